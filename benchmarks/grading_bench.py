"""How long grading takes: 30 submissions of the fixture notebook, and the overhead per
submission over executing the same notebook with plain nbclient.

    python benchmarks/grading_bench.py [--students 30] [--jobs 2] [--repeats 5]

Measures
1. the wall time of `grade` for the class (mixed right, wrong, partial and blank answers);
2. the wall time of grading one submission alone (median of --repeats runs);
3. the wall time of executing the instructor notebook with nbclient (median of --repeats):
   a fresh kernel, every cell, shutdown, which is the least any grader must do.
The overhead per submission is (2) minus (3): the child process, rebuilding the notebook,
the minimal kernel environment, records and decisions.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from lectureml.grading.grade import GradeSettings, SourceNotebook, grade_class, grade_submission

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "grading_fixtures"
SOURCE = FIXTURES / "source" / "fixture.ipynb"
KINDS = ("correct", "wrong", "partly_correct", "blank", "missing_exercise", "extra_cells")


def make_class(directory, students):
    for number in range(students):
        kind = KINDS[number % len(KINDS)]
        target = directory / f"student{number:02d}"
        target.mkdir(parents=True)
        shutil.copy(FIXTURES / "submissions" / kind / "fixture.ipynb", target / "fixture.ipynb")


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def plain_nbclient_run():
    nb = nbformat.read(SOURCE, as_version=4)
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    settings = GradeSettings(jobs=args.jobs)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        make_class(scratch / "class", args.students)
        whole = timed(lambda: grade_class(SOURCE, scratch / "class", scratch / "out", settings))
    source = SourceNotebook.load(SOURCE)
    submission = FIXTURES / "submissions" / "correct" / "fixture.ipynb"
    alone = [
        timed(lambda: grade_submission(source, "one", submission, settings))
        for _ in range(args.repeats)
    ]
    plain = [timed(plain_nbclient_run) for _ in range(args.repeats)]
    one, bare = statistics.median(alone), statistics.median(plain)
    print(f"python {sys.version.split()[0]}, {args.jobs} jobs")
    print(f"grade {args.students} submissions: {whole:.1f} s ({whole / args.students:.2f} s each)")
    print(f"grade 1 submission alone (median of {args.repeats}): {one:.2f} s")
    print(f"nbclient run of the notebook (median of {args.repeats}): {bare:.2f} s")
    print(f"overhead per submission: {one - bare:.2f} s ({(one - bare) / bare:.0%})")


if __name__ == "__main__":
    main()
