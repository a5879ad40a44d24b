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
    grade_parser.add_argument("--source", required=True, metavar="NOTEBOOK_OR_DIR")
    grade_parser.add_argument("submissions", metavar="SUBMISSIONS_DIR")
    grade_parser.add_argument("--out", required=True, metavar="DIR")
    grade_parser.add_argument("--jobs", type=_positive(int), default=None, metavar="N")
    grade_parser.add_argument("--timeout-cell", type=_positive(float), default=60, metavar="S")
    grade_parser.add_argument("--timeout-notebook", type=_positive(float), default=600, metavar="S")
    grade_parser.add_argument(
        "--memory-limit",
        type=_positive(int),
        default=4096,
        metavar="MB",
        help="address-space limit of each kernel (default 4096)",
    )
    grade_parser.add_argument(
        "--kernel-user",
        default="nobody",
        metavar="NAME[,NAME...]",
        help="when run as root, run kernels as this user, or one user per parallel job "
        "(default nobody)",
    )

    check_parser = commands.add_parser("check", help="run a notebook's visible tests")
    check_parser.add_argument("notebook", metavar="NOTEBOOK")
    check_parser.add_argument("--timeout-cell", type=_positive(float), default=60, metavar="S")
    return parser


def _grade(args):
    from lectureml.grading.grade import GradeSettings, grade_class

    settings = GradeSettings(
        cell_timeout=args.timeout_cell,
        notebook_timeout=args.timeout_notebook,
        memory_limit_mb=args.memory_limit,
        kernel_user=args.kernel_user,
        jobs=args.jobs,
    )
    started = time.perf_counter()
    results = grade_class(
        args.source,
        args.submissions,
        args.out,
        settings,
        log=lambda message: print(message, file=sys.stderr),
    )
    elapsed = time.perf_counter() - started
    print(f"graded {len(results)} submissions in {elapsed:.1f} s; wrote {args.out}/grades.csv")
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

        results = self_check(args.notebook, cell_timeout=args.timeout_cell)
        print(format_report(args.notebook, results))
        return 0 if all(r.status in ("pass", "manual") for r in results) else 1
    except (OSError, ValueError, RuntimeError) as error:
        # MarkerError and SetupError are ValueErrors: the source or the arguments are wrong.
        print(f"lectureml-grade {args.command}: {error}", file=sys.stderr)
        return 2
