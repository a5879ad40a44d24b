"""Command line: `lectureml-grade` or `python -m lectureml.grading`.

lectureml-grade release SOURCE... --out DIR
lectureml-grade grade --source NOTEBOOK_OR_DIR SUBMISSIONS_DIR --out DIR
                      [--jobs N] [--timeout-cell S] [--timeout-notebook S]
                      [--memory-limit MB] [--kernel-user NAME]
lectureml-grade check NOTEBOOK [--timeout-cell S]
"""

import argparse
import sys
import time
from pathlib import Path

from lectureml.grading.child import skip_iri_grammar


def _positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return value

    return parse


def _parser():
    from lectureml.grading.grade import STATUSES

    parser = argparse.ArgumentParser(
        prog="lectureml-grade",
        description="Release student versions, grade submissions, check your own notebook.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    release_parser = commands.add_parser("release", help="write the student versions")
    release_parser.add_argument("sources", nargs="+", metavar="SOURCE")
    release_parser.add_argument("--out", required=True, metavar="DIR")

    statuses = "; ".join(f"{name}: {meaning}" for name, meaning in STATUSES.items())
    grade_parser = commands.add_parser(
        "grade",
        help="grade SUBMISSIONS_DIR/<student>/<notebook>.ipynb",
        description="Writes DIR/grades.csv and DIR/feedback/<student>.md. Statuses: " + statuses,
    )
    grade_parser.add_argument(
        "--source",
        required=True,
        action="append",
        metavar="NOTEBOOK_OR_DIR",
        help="the instructor's notebook, or a directory of them (give it once)",
    )
    grade_parser.add_argument("submissions", metavar="SUBMISSIONS_DIR")
    grade_parser.add_argument("--out", required=True, metavar="DIR")
    grade_parser.add_argument(
        "--jobs",
        type=_positive(int),
        default=None,
        metavar="N",
        help="notebooks graded at the same time (default: the number of CPU cores)",
    )
    grade_parser.add_argument(
        "--timeout-cell",
        type=_positive(float),
        default=60,
        metavar="S",
        help="seconds before a cell is interrupted (default 60)",
    )
    grade_parser.add_argument(
        "--timeout-notebook",
        type=_positive(float),
        default=600,
        metavar="S",
        help="wall-clock budget per submission, kernel start included (default 600)",
    )
    grade_parser.add_argument(
        "--memory-limit",
        type=_positive(int),
        default=4096,
        metavar="MB",
        help="address-space limit of each kernel (default 4096)",
    )
    grade_parser.add_argument(
        "--kernel-user",
        default=None,
        metavar="NAME[,NAME...]",
        help="run kernels as this user, or one user per parallel job; grading stops if that "
        "is not possible (needs root). Default: nobody when run as root and nobody can run "
        "this Python, otherwise your own user",
    )

    check_parser = commands.add_parser("check", help="run a notebook's visible tests")
    check_parser.add_argument("notebook", metavar="NOTEBOOK")
    check_parser.add_argument("--timeout-cell", type=_positive(float), default=60, metavar="S")
    return parser


def _grade(args):
    from lectureml.grading.grade import GradeSettings, SetupError, grade_class, is_missing

    if len(args.source) > 1:
        # Grading only the last one would look like a complete run.
        raise SetupError(
            f"--source must be given once, got {len(args.source)}: "
            f"{', '.join(args.source)}; put the notebooks in one directory and pass that"
        )

    settings = GradeSettings(
        cell_timeout=args.timeout_cell,
        notebook_timeout=args.timeout_notebook,
        memory_limit_mb=args.memory_limit,
        kernel_user=args.kernel_user,
        jobs=args.jobs,
    )
    started = time.perf_counter()
    results = grade_class(
        args.source[0],
        args.submissions,
        args.out,
        settings,
        log=lambda message: print(message, file=sys.stderr),
    )
    elapsed = time.perf_counter() - started
    missing = sum(is_missing(result) for result in results)
    print(
        f"graded {len(results) - missing} submissions ({missing} notebooks not submitted) "
        f"in {elapsed:.1f} s; wrote {Path(args.out) / 'grades.csv'}"
    )
    return 0


def main(argv=None):
    skip_iri_grammar()
    args = _parser().parse_args(argv)
    try:
        if args.command == "release":
            from lectureml.grading.release import release

            for path in release(args.sources, args.out):
                print(path)
            return 0
        if args.command == "grade":
            return _grade(args)
        from lectureml.grading.selfcheck import format_report, self_check

        report = self_check(args.notebook, cell_timeout=args.timeout_cell)
        print(format_report(args.notebook, report))
        return 0 if all(r.status in ("pass", "manual") for r in report.results) else 1
    except (OSError, ValueError, RuntimeError) as error:
        # MarkerError and SetupError are ValueErrors: the source or the arguments are wrong.
        print(f"lectureml-grade {args.command}: {error}", file=sys.stderr)
        return 2
