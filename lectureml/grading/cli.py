"""Command line: `lectureml-grade` or `python -m lectureml.grading`.

lectureml-grade release SOURCE... --out DIR
lectureml-grade grade --source NOTEBOOK_OR_DIR [--source ...] SUBMISSIONS_DIR --out DIR
                      [--overwrite] [--jobs N] [--timeout-cell S] [--timeout-notebook S]
                      [--memory-limit MB] [--kernel-user NAME]
lectureml-grade totals GRADED_DIR  (or the path of GRADED_DIR/grades.csv)
lectureml-grade check NOTEBOOK [--timeout-cell S]

`grade` writes DIR/grades.csv, DIR/totals.csv (one row per student) and DIR/feedback/.
After you fill in the points of the written answers in grades.csv, `totals` reads it (and
never writes it) and rewrites totals.csv beside it, saying which answers still lack points.
"""

import argparse
import sys
import time
from pathlib import Path

from lectureml.grading.child import skip_iri_grammar


def _positive(kind):
    noun = "a whole number" if kind is int else "a number"

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {noun} > 0, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return value

    return parse


def _add_cell_timeout(parser):
    from lectureml.grading.runner import DEFAULT_CELL_TIMEOUT

    parser.add_argument(
        "--timeout-cell",
        type=_positive(float),
        default=DEFAULT_CELL_TIMEOUT,
        metavar="S",
        help=f"seconds before a cell is interrupted (default {DEFAULT_CELL_TIMEOUT})",
    )


def _parser():
    from lectureml.grading.grade import STATUSES

    parser = argparse.ArgumentParser(
        prog="lectureml-grade",
        description="Release student versions, grade submissions, total the grades per student, "
        "check your own notebook.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    release_parser = commands.add_parser(
        "release",
        help="write the student versions",
        description="Writes DIR/<notebook>.ipynb for each source: solutions replaced by "
        "raise NotImplementedError(), hidden tests and outputs removed.",
    )
    release_parser.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="an instructor notebook (with solutions), or a directory of them",
    )
    release_parser.add_argument(
        "--out", required=True, metavar="DIR", help="where the student versions go"
    )

    statuses = "; ".join(f"{name}: {meaning}" for name, meaning in STATUSES.items())
    grade_parser = commands.add_parser(
        "grade",
        help="grade SUBMISSIONS_DIR/<student>/<notebook>.ipynb",
        description="Writes DIR/grades.csv (one row per exercise), DIR/totals.csv (one row per "
        "student) and DIR/feedback/<student>.md. Statuses: " + statuses,
    )
    grade_parser.add_argument(
        "--source",
        required=True,
        action="append",
        metavar="NOTEBOOK_OR_DIR",
        help="the instructor's notebook (with solutions and hidden tests), or a directory of "
        "them; repeat it to grade several. Notebooks no student submitted are left out",
    )
    grade_parser.add_argument(
        "submissions",
        metavar="SUBMISSIONS_DIR",
        help="one folder per student: SUBMISSIONS_DIR/<student>/<notebook>.ipynb",
    )
    grade_parser.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="where grades.csv, totals.csv and feedback/ are written",
    )
    grade_parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the grades.csv, totals.csv and feedback/ of an earlier run in DIR "
        "(refused otherwise)",
    )
    grade_parser.add_argument(
        "--jobs",
        type=_positive(int),
        default=None,
        metavar="N",
        help="notebooks graded at the same time (default: the number of CPU cores)",
    )
    _add_cell_timeout(grade_parser)
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

    totals_parser = commands.add_parser(
        "totals",
        help="rewrite totals.csv after you filled in grades.csv",
        description="Reads grades.csv (it is never written), e.g. after you filled in the "
        "points of the written answers, and rewrites totals.csv beside it: one row per student "
        "with the points of each notebook, points, max_points (every exercise, written ones "
        "included) and manual_pending (written answers whose points cell is still empty; they "
        "count 0). Prints who still has answers pending. Cells may be separated by commas, or "
        "by semicolons or tabs (then 2,5 reads as 2.5). A cell it cannot sum stops it with "
        "exit code 2 and one line naming the row, column, value and what was expected; "
        "totals.csv is then left as it was. Details: docs/grading.md.",
    )
    totals_parser.add_argument(
        "grades",
        metavar="GRADED_DIR",
        help="the --out directory of grade, or the path of its grades.csv",
    )

    check_parser = commands.add_parser(
        "check",
        help="run a notebook's visible tests",
        description="Runs the saved notebook top to bottom in a fresh kernel, as the grader "
        "does, and prints one line per exercise. Exit code 0 when every exercise passes.",
    )
    check_parser.add_argument("notebook", metavar="NOTEBOOK", help="your saved notebook")
    _add_cell_timeout(check_parser)
    return parser


def _grade(args):
    from lectureml.grading.grade import GradeSettings, grade_class, is_missing, is_unreadable
    from lectureml.grading.totals import TOTALS_FILE

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
        overwrite=args.overwrite,
    )
    elapsed = time.perf_counter() - started
    missing = sum(is_missing(result) for result in results)
    unreadable = sum(is_unreadable(result) for result in results)
    graded = len(results) - missing - unreadable
    left_out = f"{missing} notebook{'' if missing == 1 else 's'} not submitted"
    if unreadable:
        # Graded 0 like a missing notebook, but not "graded": nothing of it ran.
        left_out = f"{unreadable} could not be read, {left_out}"
    print(
        f"graded {graded} submission{'' if graded == 1 else 's'} ({left_out}) "
        f"in {elapsed:.1f} s; wrote {Path(args.out) / 'grades.csv'} and {TOTALS_FILE}"
    )
    return 0


def _totals(args):
    from lectureml.grading.totals import grades_file, pending_report, rewrite_totals

    totals_path, totals = rewrite_totals(grades_file(args.grades))
    print(f"wrote {totals_path} ({len(totals)} student{'' if len(totals) == 1 else 's'})")
    print(pending_report(totals))
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
        if args.command == "totals":
            return _totals(args)
        from lectureml.grading.selfcheck import PASSING, format_report, self_check

        report = self_check(args.notebook, cell_timeout=args.timeout_cell)
        print(format_report(args.notebook, report))
        return 0 if all(r.status in (*PASSING, "manual") for r in report.results) else 1
    except (OSError, ValueError, RuntimeError) as error:
        # MarkerError, SetupError and GradesFileError are ValueErrors: the source, the
        # arguments or grades.csv are wrong.
        print(f"lectureml-grade {args.command}: {error}", file=sys.stderr)
        return 2
