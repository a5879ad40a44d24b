"""Grade a class: rebuild each submission from the source, run it, decide, write grades.csv.

Layout of the submissions directory, one folder per student holding the notebooks under the
file names of the source notebooks (other files are ignored):

    submissions/
        alice/fixture.ipynb
        bob/fixture.ipynb

Each submission is rebuilt from the instructor's source: only the student's solution cells
(matched by nbgrader grade_id) are taken, every other cell, test cells included, comes from
the source, so an edited or deleted test cell changes nothing (the feedback says so). A
missing solution cell is graded as the released stub; extra or reordered cells are ignored.
The rebuilt notebook runs on a temporary copy (the submission file is only read) in a fresh
kernel, and the hidden tests' records are decided here, in the grader's process.

Statuses in grades.csv (STATUSES below): passed, failed, error, blank, timeout, kernel_died,
missing, invalid_notebook, manual. An autograded exercise earns all its points when it
passed and none otherwise; a manual one has empty points for a person to fill in.
totals.csv sums grades.csv per student (lectureml.grading.totals).
"""

import copy
import csv
import difflib
import json
import os
import queue
import re
import stat
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lectureml.grading import records as record_format
from lectureml.grading.feedback import (
    autograded_points,
    display_name,
    format_points,
    points_text,
    write_feedback,
)
from lectureml.grading.notebook import (
    find_exercises,
    grade_id,
    is_blank_answer,
    is_solution_cell,
    is_test_cell,
    notebook_paths,
    read_source,
    released_grade_id,
    solution_stub,
    source_text,
    strip_hidden_tests,
)
from lectureml.grading.registry import get_check
from lectureml.grading.runner import (
    DEFAULT_CELL_TIMEOUT,
    MAX_RECORD_BYTES,
    resolve_kernel_user,
    run_notebook,
)
from lectureml.grading.totals import GRADES_COLUMNS, TOTALS_FILE, GradeRow, write_totals
from lectureml.grading.verdict import decide

STATUSES = {
    "passed": "the tests ran without error and every hidden check accepted the answer",
    "failed": "a visible assert failed, or a hidden check rejected the answer or got none",
    "error": "the test cell raised another exception (NotImplementedError, NameError, ...)",
    "blank": "not attempted: every solution cell of the exercise is as released (or missing)",
    "timeout": "a cell of the exercise exceeded --timeout-cell, or the notebook its budget",
    "kernel_died": "the kernel died (os._exit, a crash) before the exercise's tests finished",
    "missing": "the student's folder has no file for this notebook",
    "invalid_notebook": "the file is empty, not JSON, not an nbformat 4 notebook, unreadable, "
    "or a symbolic link",
    "manual": "graded by a person: points left empty",
}
BLANK_DETAIL = "Not attempted: the solution cell is as released, or was not found."
MAX_SUBMISSION_BYTES = 100 * 2**20
DEFAULT_KERNEL_USER = "nobody"
_CELL_FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")


class InvalidNotebook(ValueError):
    """A submission that cannot be read as a notebook."""


class SetupError(ValueError):
    """A problem of the instructor's source or arguments: grading does not start."""


@dataclass(frozen=True)
class GradeSettings:
    cell_timeout: float = DEFAULT_CELL_TIMEOUT
    notebook_timeout: float = 600
    memory_limit_mb: int | None = 4096
    # None: `nobody` where that works, else the grader's own user (with a warning). A name
    # given here is a requirement: grading stops if kernels cannot run as that user.
    kernel_user: str | None = None
    jobs: int | None = None


@dataclass
class ExerciseResult:
    exercise: object
    status: str
    points: float | None
    details: list = field(default_factory=list)


@dataclass
class SubmissionResult:
    student: str
    notebook: str
    results: list
    notes: list = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class SourceNotebook:
    """An instructor notebook and its exercises, checked once before grading starts."""

    path: Path
    nb: object
    exercises: list

    @property
    def name(self):
        return self.path.name

    @classmethod
    def load(cls, path):
        nb = read_source(path)
        try:
            exercises = find_exercises(nb.cells)
            for index, cell in enumerate(nb.cells):
                if is_solution_cell(cell):
                    solution_stub(cell, f"cell {index} ({grade_id(cell)})")
            for exercise in exercises:
                for name in exercise.checks:
                    check = get_check(name)
                    if check.kind == "function":
                        check.reference_outputs()  # once, before the threads start
        except (ValueError, LookupError) as error:
            raise SetupError(f"{path}: {error}") from None
        return cls(Path(path), nb, exercises)


def load_submission_cells(path):
    """The cells (dicts) of a student's notebook file; InvalidNotebook when unreadable."""
    size = path.stat().st_size
    if size > MAX_SUBMISSION_BYTES:
        raise InvalidNotebook(f"the file has {size} bytes, more than a notebook should")
    data = path.read_bytes()
    if not data.strip():
        raise InvalidNotebook("the file is empty")
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise InvalidNotebook(f"the file is not valid JSON ({str(error)[:200]})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise InvalidNotebook("the file is JSON but not a notebook (it has no list of cells)")
    if nb.get("nbformat") != 4:
        raise InvalidNotebook(f"nbformat {nb.get('nbformat')!r} is not 4; save it with JupyterLab")
    return [cell for cell in nb["cells"] if isinstance(cell, dict)]


def rebuild(source, student_cells):
    """The notebook to run: the source with the student's solution cells; and notes."""
    submitted, nb, notes = {}, copy.deepcopy(source.nb), []
    for cell in student_cells:
        name = grade_id(cell)
        if name in submitted and name is not None:
            notes.append(f"Your notebook has several cells '{name}'; the first one was graded.")
        submitted.setdefault(name, cell)
    expected = {grade_id(cell) for cell in nb.cells if is_solution_cell(cell)}
    # Solution cells whose grade_id the student changed, by the grade_id they were released with.
    renamed, unknown = {}, []
    for cell in student_cells:
        name = grade_id(cell)
        if not is_solution_cell(cell) or name in expected:
            continue
        released = released_grade_id(cell)
        if released in expected and released not in submitted:
            renamed.setdefault(released, cell)
        else:
            unknown.append(name)
    for cell in nb.cells:
        name, student = grade_id(cell), submitted.get(grade_id(cell))
        if is_solution_cell(cell):
            if student is None and name in renamed:
                student = renamed[name]
                notes.append(
                    f"Your cell '{name}' now has the grade_id '{grade_id(student)}'; it was "
                    f"found by the grade_id it was released with and graded."
                )
            if student is None:
                notes.append(f"Your notebook has no cell '{name}'; it was graded as left blank.")
                cell.source = solution_stub(cell)
            elif student.get("cell_type") != cell.cell_type:
                notes.append(f"Cell '{name}' is not a {cell.cell_type} cell; graded as blank.")
                cell.source = solution_stub(cell)
            else:
                cell.source = source_text(student)
        elif is_test_cell(cell):
            if student is None:
                notes.append(f"Test cell '{name}' was deleted; the original tests were run.")
            elif source_text(student).strip() != strip_hidden_tests(source_text(cell)).strip():
                notes.append(f"Test cell '{name}' was edited; the original tests were run.")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        notes.append(
            f"Your notebook has solution cells with grade_ids the assignment does not have "
            f"({names}); they were not graded. A cell's grade_id (cell metadata) must stay as "
            f"released."
        )
    notes += _notes_on_cells_not_run(source, student_cells)
    return nb, notes


def _notes_on_cells_not_run(source, student_cells):
    """A note when the student wrote code outside the solution cells, which is not run.

    Without it a helper defined in an added cell shows up only as a NameError in the
    feedback, for a name the student can see defined in their notebook.
    """
    released = {
        strip_hidden_tests(source_text(cell)).strip()
        for cell in source.nb.cells
        if cell.cell_type == "code" and not is_solution_cell(cell)
    }
    outside = [
        source_text(cell).strip()
        for cell in student_cells
        if cell.get("cell_type") == "code"
        and not is_solution_cell(cell)
        and not is_test_cell(cell)
        and source_text(cell).strip() not in released | {""}
    ]
    if not outside:
        return []
    first_line = outside[0].splitlines()[0][:60]
    return [
        f"Your notebook has {len(outside)} code cell(s) outside the solution cells that the "
        f"assignment does not have (added or changed; the first begins {first_line!r}). The "
        f"grader runs the assignment's own cells, so that code was not run: keep the code your "
        f"solutions need inside the solution cells."
    ]


def _failure_in_visible_tests(exercise, cell_run):
    """True when the test cell's own frame that raised is a visible line (not hidden)."""
    for count, line in _CELL_FRAME.findall(cell_run.traceback):
        if int(count) == cell_run.execution_count:
            return int(line) not in exercise.hidden_lines
    return False


def _records_of(run, exercise, parsed_records):
    test_run = run.cells[exercise.cell_index]
    earlier = [c.records_end for i, c in run.cells.items() if i < exercise.cell_index]
    start = max(earlier, default=0)
    return [r for offset, r in parsed_records if start <= offset < test_run.records_end]


def _error_text(cell_run):
    return f"{cell_run.ename}: {cell_run.evalue}" if cell_run.evalue else cell_run.ename


def _cell_name(nb, index):
    """How the feedback names a cell: by its grade_id where it has one, else by its first line."""
    cell = nb.cells[index]
    if is_solution_cell(cell):
        return f"your cell '{grade_id(cell)}'"
    if is_test_cell(cell):
        return f"the test cell '{grade_id(cell)}'"
    lines = source_text(cell).strip().splitlines() or [""]
    return f"the cell beginning {lines[0][:60]!r}"


def _left_as_released(exercise, nb, source_nb):
    """True when every solution cell of the exercise reads as released (or was missing)."""
    if source_nb is None:
        return False
    solutions = [i for i in exercise.span[:-1] if is_solution_cell(nb.cells[i])]
    return bool(solutions) and all(
        source_text(nb.cells[i]).strip() == solution_stub(source_nb.cells[i]).strip()
        for i in solutions
    )


def score(exercise, nb, run, parsed_records, source_nb=None, cell_timeout=None):
    """The ExerciseResult of one exercise of an executed submission.

    nb is the notebook that ran. With the instructor's source_nb, an exercise that did not
    pass and whose solution cells are all as released is "blank"; with cell_timeout (s), the
    feedback on a timeout states the limit.
    """
    if exercise.manual:
        blank = is_blank_answer(nb.cells[exercise.cell_index])
        # Said in the feedback, not scored: the points stay the person's to give.
        return ExerciseResult(exercise, "manual", None, ["Left blank."] if blank else [])
    result = _score_autograded(exercise, nb, run, parsed_records, cell_timeout)
    if result.status != "passed" and _left_as_released(exercise, nb, source_nb):
        return ExerciseResult(exercise, "blank", 0.0, [BLANK_DETAIL])
    return result


def _score_autograded(exercise, nb, run, parsed_records, cell_timeout):
    details = []
    for index in exercise.span[:-1]:
        cell_run = run.cells.get(index)
        cell = nb.cells[index]
        if cell_run and cell_run.status == "error" and is_solution_cell(cell):
            details.append(f"Your cell '{grade_id(cell)}' raised {_error_text(cell_run)}")
    test_run = run.cells.get(exercise.cell_index)
    span_runs = [run.cells[i] for i in exercise.span if i in run.cells]
    earlier_runs = [c for i, c in run.cells.items() if i < exercise.cell_index]
    failed = ExerciseResult(exercise, "failed", 0.0, details)
    if test_run is None:
        if run.budget_exceeded:
            details.append("The notebook ran out of its time budget before these tests finished.")
            return ExerciseResult(exercise, "timeout", 0.0, details)
        died = [c for c in earlier_runs if c.status == "kernel_died"]
        if died:
            details.append(
                f"The kernel died in {_cell_name(nb, died[0].index)}, before these tests ran."
            )
            return ExerciseResult(exercise, "kernel_died", 0.0, details)
        details.append("These tests could not be run (the instructor has the details).")
        return ExerciseResult(exercise, "error", 0.0, details)
    if test_run.status == "kernel_died":
        details.append("The kernel died while these tests ran.")
        return ExerciseResult(exercise, "kernel_died", 0.0, details)
    timed_out = [c for c in span_runs if c.status == "timeout"]
    if timed_out:
        name = _cell_name(nb, timed_out[0].index)
        limit = f" of {cell_timeout:g} s" if cell_timeout else ""
        details.append(
            f"{name[0].upper()}{name[1:]} ran past the time limit{limit} per cell and was "
            f"interrupted."
        )
        return ExerciseResult(exercise, "timeout", 0.0, details)
    if test_run.status == "error":
        if _failure_in_visible_tests(exercise, test_run):
            details.append(f"Visible test: {_error_text(test_run)}")
        else:
            details.append(f"The hidden tests raised {test_run.ename}.")
        status = "failed" if test_run.ename == "AssertionError" else "error"
        return ExerciseResult(exercise, status, 0.0, details)
    cell_records = _records_of(run, exercise, parsed_records)
    for name in exercise.checks:
        found = [r for r in cell_records if r.get("check") == name]
        if not found:
            details.append(f"No answer reached check '{name}' (was `expect` replaced?).")
            return failed
        for record in found:
            verdict = decide(record)
            if not verdict.ok:
                details.append(verdict.feedback)
                return failed
    return ExerciseResult(exercise, "passed", exercise.points, details)


def grade_submission(source, student, path, settings, kernel_user=None, assigned=()):
    """SubmissionResult of one student's file for one source notebook.

    `assigned`: the file names of all notebooks being graded, which a missing file's hint
    never suggests renaming.
    """
    started = time.perf_counter()
    result = SubmissionResult(student, source.name, [])

    def every_exercise(status, note):
        result.notes.append(note)
        result.results = [ExerciseResult(e, status, 0.0) for e in source.exercises]
        return result

    if path.is_symlink() or path.parent.is_symlink():
        # A link can point at any file the grader may read, the instructor's solutions included.
        return every_exercise(
            "invalid_notebook",
            f"{source.name} is a symbolic link (or inside one); submit the notebook file itself.",
        )
    if not path.is_file():
        hint = _renamed(path, assigned)
        return every_exercise("missing", f"No file {source.name} was submitted.{hint}")
    try:
        cells = load_submission_cells(path)
    except InvalidNotebook as error:
        return every_exercise("invalid_notebook", f"{source.name} could not be read: {error}.")
    except OSError as error:
        return every_exercise(
            "invalid_notebook",
            f"{source.name} could not be read: {error.strerror or type(error).__name__}.",
        )
    try:
        nb, result.notes = rebuild(source, cells)
        run = run_notebook(
            nb,
            cell_timeout=settings.cell_timeout,
            notebook_timeout=settings.notebook_timeout,
            memory_limit_mb=settings.memory_limit_mb,
            kernel_user=kernel_user,
            record=True,
        )
    except Exception as error:  # one submission must never stop the class's grading
        who = f"{display_name(student)}/{source.name}"
        print(f"warning: {who}: {type(error).__name__}: {error}", file=sys.stderr)
        return every_exercise("error", f"{source.name} could not be run by the grader.")
    if run.problem:
        print(f"warning: {display_name(student)}/{source.name}: {run.problem}", file=sys.stderr)
    if run.records_truncated:
        result.notes.append(
            f"The hidden tests recorded more than {MAX_RECORD_BYTES // 2**20} MB of answers; "
            f"the rest was ignored, so its checks got no answer."
        )
    parsed = record_format.parse(run.records)
    result.results = [
        score(exercise, nb, run, parsed, source.nb, settings.cell_timeout)
        for exercise in source.exercises
    ]
    result.seconds = time.perf_counter() - started
    return result


def _renamed(path, assigned=()):
    """A hint naming the student's notebooks whose names resemble the missing one's.

    Browsers save a second download as "04-convolution (1).ipynb"; the grader only takes the
    exact name, so say which file it passed over. Files named like another notebook being
    graded (`assigned`) are graded as that one, so they are not suggested.
    """
    try:
        others = [
            entry.name
            for entry in path.parent.glob("*.ipynb")
            if entry.is_file() and entry.name not in assigned
        ]
    except OSError:
        return ""
    similar = difflib.get_close_matches(path.name, others, n=3, cutoff=0.6)
    if not similar:
        return ""
    found = ", ".join(repr(name) for name in similar)
    return f" Found {found} instead: rename your notebook to {path.name} and submit it again."


def is_missing(result):
    """True when the student submitted no file for this notebook."""
    return bool(result.results) and all(r.status == "missing" for r in result.results)


def is_unreadable(result):
    """True when the submitted file could not be read as a notebook (nothing of it ran)."""
    return bool(result.results) and all(r.status == "invalid_notebook" for r in result.results)


def write_grades(results, path):
    """grades.csv: one row per (student, notebook, exercise), in a fixed order.

    Returns the GradeRows written, from which totals.csv is summed.
    """
    rows = [
        GradeRow(
            display_name(submission.student),
            submission.notebook,
            item.exercise.grade_id,
            item.points,
            item.exercise.points,
            item.status,
        )
        for submission in sorted(results, key=lambda s: (s.student, s.notebook))
        for item in submission.results
    ]
    # backslashreplace: a lone surrogate (e.g. from a student's printed output) must not
    # stop the file half-written.
    with open(path, "w", newline="", encoding="utf-8", errors="backslashreplace") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(GRADES_COLUMNS)
        writer.writerows(
            (
                row.student,
                row.notebook,
                row.exercise,
                format_points(row.points),
                format_points(row.max_points),
                row.status,
            )
            for row in rows
        )
    return rows


def _readable_by_others(path):
    path = Path(path).resolve()
    if not path.stat().st_mode & stat.S_IROTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.parents)


def find_students(submissions_dir):
    return sorted(
        entry.name
        for entry in Path(submissions_dir).iterdir()
        if entry.is_dir() and not entry.name.startswith(".")
    )


def kernel_user_slots(names, jobs, log):
    """The kernel user of each of the `jobs` parallel jobs (None: the grader's own user).

    `names` is "nobody" or "grader1,grader2,..."; jobs beyond the names share them. None
    tries `nobody` and falls back to the grader's own user; named users that cannot run
    kernels raise SetupError instead, since the instructor asked for that protection.
    """
    users = []
    for name in (names or DEFAULT_KERNEL_USER).split(","):
        user, how = resolve_kernel_user(name.strip())
        if user is None and names:
            raise SetupError(f"--kernel-user {names}: {how}")
        log(how)
        if user is None:
            return [None] * jobs
        users.append(user)
    if len(users) < jobs:
        log(
            f"note: {jobs} parallel jobs share {len(users)} kernel user(s), so a submission "
            f"could disturb another graded at the same time; give each job its own user "
            f"(--kernel-user user1,user2,...) or grade with --jobs {len(users)}"
        )
    return [users[slot % len(users)] for slot in range(jobs)]


def _submitted(submissions_dir, student, name):
    path = Path(submissions_dir) / student / name
    return path.is_symlink() or path.exists()


def _check_out_dir(out_dir, overwrite):
    """Refuse to mix with an earlier run's results, or (overwrite) remove its feedback.

    grades.csv and totals.csv are not removed: writing the new ones replaces them.
    """
    feedback = out_dir / "feedback"
    earlier_feedback = sorted(feedback.glob("*.md")) if feedback.is_dir() else []
    found = [name for name in ("grades.csv", TOTALS_FILE) if (out_dir / name).exists()]
    found += ["feedback/"] if earlier_feedback else []
    if found and not overwrite:
        raise SetupError(
            f"{out_dir} already holds the results of an earlier run ({', '.join(found)}); "
            f"choose another --out, or replace them with --overwrite"
        )
    for path in earlier_feedback:
        path.unlink()


def _progress_line(result):
    """One console line per graded file: points, and the statuses that cost points."""
    who = f"{display_name(result.student)}/{result.notebook}"
    if is_missing(result):
        return f"{who}: missing"
    earned, possible = autograded_points(result.results)
    lost = Counter(r.status for r in result.results if r.status not in ("passed", "manual"))
    why = "".join(f", {count} {status}" for status, count in lost.items())
    return (
        f"{who}: {format_points(earned)} of {points_text(possible)}{why} ({result.seconds:.1f} s)"
    )


def grade_class(
    source, submissions_dir, out_dir, settings=GradeSettings(), log=None, overwrite=False
):
    """Grade every student folder of submissions_dir against the source notebook(s).

    `source` is a notebook, a directory of them, or a list of such. Notebooks that no student
    submitted are left out (said in the log). Writes out_dir/grades.csv, out_dir/totals.csv
    and out_dir/feedback/<student>.md, refusing an out_dir with an earlier run's results
    unless `overwrite`; returns the SubmissionResults. `log(message)` receives progress lines.
    """
    log = log or (lambda message: None)
    sources_given = source if isinstance(source, (list, tuple)) else [source]
    sources = [SourceNotebook.load(path) for path in notebook_paths(sources_given)]
    if not sources:
        raise SetupError(f"no notebooks found in {', '.join(map(str, sources_given))}")
    submissions = Path(submissions_dir)
    if not submissions.exists():
        raise SetupError(f"submissions directory {submissions} does not exist")
    if not submissions.is_dir():
        raise SetupError(f"submissions directory {submissions} is not a directory")
    students = find_students(submissions)
    names = [item.name for item in sources]
    submitted = [
        item for item in sources if any(_submitted(submissions, s, item.name) for s in students)
    ]
    if not submitted:
        loose = sorted(path.name for path in submissions.glob("*.ipynb"))
        found = f"; it holds {len(loose)} notebook(s) directly, e.g. {loose[0]!r}" if loose else ""
        raise SetupError(
            f"no student folder in {submissions} holds any of {', '.join(names)} "
            f"({len(students)} folder(s)){found}; expected {submissions}/<student>/<notebook>"
        )
    out_dir = Path(out_dir)
    _check_out_dir(out_dir, overwrite)
    for item in sources:
        if item not in submitted:
            log(f"note: no student submitted {item.name}; it is left out of the grades")
    jobs = settings.jobs or os.cpu_count() or 1
    slots = queue.Queue()
    for user in kernel_user_slots(settings.kernel_user, jobs, log):
        slots.put(user)
        if user is not None and any(_readable_by_others(item.path) for item in submitted):
            log(f"warning: the sources are readable by {user.name}; chmod -R o-rwx them")
    tasks = [(item, student) for student in students for item in submitted]
    finished = iter(range(1, len(tasks) + 1))
    finished_lock = threading.Lock()

    def grade_one(task):
        item, student = task
        path = submissions / student / item.name
        kernel_user = slots.get()
        try:
            result = grade_submission(item, student, path, settings, kernel_user, names)
        except Exception as error:  # one student's file must never stop the class's grading
            who = f"{display_name(student)}/{item.name}"
            print(f"warning: {who}: {type(error).__name__}: {error}", file=sys.stderr)
            result = SubmissionResult(student, item.name, [])
            result.notes.append(f"{item.name} could not be graded ({type(error).__name__}).")
            result.results = [ExerciseResult(e, "error", 0.0) for e in item.exercises]
        finally:
            slots.put(kernel_user)
        line = _progress_line(result)
        with finished_lock:
            log(f"[{next(finished)}/{len(tasks)}] {line}")
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(grade_one, tasks))
    (out_dir / "feedback").mkdir(parents=True, exist_ok=True)
    rows = write_grades(results, out_dir / "grades.csv")
    totals = write_totals(rows, out_dir / TOTALS_FILE)
    for student in students:
        write_feedback(student, [r for r in results if r.student == student], out_dir / "feedback")
    pending = sum(total.manual_pending for total in totals)
    if pending:
        log(
            f"note: {out_dir / TOTALS_FILE} counts the {pending} written answer"
            f"{'' if pending == 1 else 's'} as 0 until you fill in their points in "
            f"{out_dir / 'grades.csv'} and run: lectureml-grade totals {out_dir}"
        )
    return results
