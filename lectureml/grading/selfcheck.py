"""The student's self-check: run a notebook's visible tests and say which exercises pass.

It runs the notebook as saved on disk, top to bottom in a fresh kernel (save first), not the
state of the student's own kernel. Like the grader, it leaves out the code cells a student
added (release() fingerprints the cells it writes), and it says when a cell outside the
solution cells was changed: the grader runs those as released, so results could differ.
"""

import copy
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat

from lectureml.grading.expectations import RECORD_ENV
from lectureml.grading.feedback import points_text, truncate
from lectureml.grading.notebook import (
    checks_form_only,
    find_exercises,
    fingerprint,
    grade_id,
    is_blank_answer,
    is_solution_cell,
    is_test_cell,
    released_fingerprint,
    released_grade_id,
    source_text,
)
from lectureml.grading.runner import DEFAULT_CELL_TIMEOUT, NESTED_ENV, run_notebook

SESSION_ENV = "JPY_SESSION_NAME"  # JupyterLab sets it to the notebook's path
# The naming rule of NOTEBOOKS.md: a solution cell "<grade_id>" is tested by "<grade_id>-tests".
TESTS_SUFFIX = "-tests"
FORM_OK = "form ok"
# Statuses that pass the visible tests; "manual" answers are graded by a person.
PASSING = ("pass", FORM_OK)


@dataclass(frozen=True)
class SelfCheckReport:
    """results: one SelfCheckResult per exercise; notes: sentences about the notebook."""

    results: list
    notes: list


@dataclass(frozen=True)
class SelfCheckResult:
    """status: pass, form ok (passes a visible test that checks only the answer's form),
    fail, todo (raises NotImplementedError), error, timeout, not run, manual,
    no test (the exercise's test cell was deleted; its points are then unknown, None),
    no solution (no solution cell has the grade_id the grader looks for), or edited test
    (the test cell was changed, so its result says nothing)."""

    grade_id: str
    points: float | None
    status: str
    message: str = ""


def _outcome(exercise, run, cells, edited_tests, released):
    if exercise.manual:
        if is_blank_answer(cells[exercise.cell_index]):
            return "manual", "a person grades this answer; it is still blank, as released"
        return "manual", "a person grades this answer"
    if exercise.grade_id in edited_tests:
        return "edited test", (
            "this test cell differs from the released one, so its result says nothing: the "
            "grader runs the original. Get it back from a fresh copy of the notebook"
        )
    solution = exercise.grade_id.removesuffix(TESTS_SUFFIX)
    has_solution = any(
        is_solution_cell(cell) and solution in (grade_id(cell), _exercise_name(cell))
        for cell in cells
    )
    if released and solution != exercise.grade_id and not has_solution:
        return "no solution", (
            f"the grader finds no solution cell '{solution}' (it matches cells by grade_id) "
            f"and grades this exercise as blank: was the cell deleted or its grade_id changed? "
            f"Get it back from a fresh copy of the notebook"
        )
    span = [run.cells[i] for i in exercise.span if i in run.cells]
    test = run.cells.get(exercise.cell_index)
    if any(c.ename == "NotImplementedError" for c in span):
        return "todo", "not done yet (NotImplementedError)"
    if any(c.status == "timeout" for c in span):
        return "timeout", "a cell ran past the time limit and was interrupted"
    if test is None or test.status == "kernel_died":
        return "not run", "the kernel died or the notebook ran out of time before this test"
    if test.status == "ok":
        if checks_form_only(cells[exercise.cell_index]):
            return FORM_OK, (
                "the visible test checks only the answer's form; the grader checks its value"
            )
        return "pass", ""
    status = "fail" if test.ename == "AssertionError" else "error"
    # The student's own error usually explains the test's failure better than the test does.
    own = [
        f"your cell '{grade_id(cells[c.index])}' raised {c.ename}: {c.evalue}; then "
        for c in span
        if c.status == "error" and is_solution_cell(cells[c.index])
    ]
    return status, truncate(f"{''.join(own[:1])}{test.ename}: {test.evalue}")


def self_check(path, cell_timeout=DEFAULT_CELL_TIMEOUT, notebook_timeout=1800):
    """SelfCheckReport for the notebook at `path`: a result for every exercise, and notes."""
    path = Path(path)
    nb, notes, edited_tests = _as_the_grader_runs_it(nbformat.read(path, as_version=4))
    run = run_notebook(
        nb,
        cell_timeout=cell_timeout,
        notebook_timeout=notebook_timeout,
        cwd=path.resolve().parent,
    )
    if run.problem:
        raise RuntimeError(f"could not run {path.name}: {run.problem}")
    exercises = find_exercises(nb.cells)
    released = any(released_fingerprint(cell) for cell in nb.cells)
    results = [
        SelfCheckResult(
            exercise.grade_id,
            exercise.points,
            *_outcome(exercise, run, nb.cells, edited_tests, released),
        )
        for exercise in exercises
    ]
    return SelfCheckReport(results + _untested_solutions(nb.cells, exercises), notes)


def _as_the_grader_runs_it(nb):
    """(nb without the code cells the student added, notes, grade_ids of edited test cells).

    A notebook without fingerprints (released before they existed, or the instructor's own)
    runs as it is.
    """
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    if not any(released_fingerprint(cell) for cell in code):
        return nb, [], set()
    kept, added, changed, edited_tests = [], [], [], set()
    for cell in nb.cells:
        stored = released_fingerprint(cell)
        if cell.cell_type != "code" or is_solution_cell(cell):
            kept.append(cell)
        elif stored is None:
            added.append(cell)
        else:
            if stored != fingerprint(source_text(cell)):
                if is_test_cell(cell):
                    edited_tests.add(grade_id(cell))
                else:
                    changed.append(cell)
            kept.append(cell)
    notes = [
        f"cell '{released_grade_id(cell)}' has the grade_id '{grade_id(cell)}' now; the grader "
        f"still finds it by the grade_id it was released with, but set it back in the cell's "
        f"metadata to be safe"
        for cell in kept
        if is_solution_cell(cell) and released_grade_id(cell) not in (None, grade_id(cell))
    ]
    if added:
        notes.append(
            f"skipped {len(added)} code cell(s) you added ({_first_line(added)}), as the grader "
            f"does: code your solutions need belongs inside the solution cells"
        )
    if changed:
        notes.append(
            f"{len(changed)} cell(s) outside your solution cells differ from the released "
            f"notebook ({_first_line(changed)}); the grader runs them as released, so its "
            f"results may differ from these"
        )
    graded = copy.copy(nb)
    graded.cells = kept
    return graded, notes, edited_tests


def _first_line(cells):
    lines = source_text(cells[0]).strip().splitlines() or [""]
    return f"the first begins {lines[0][:60]!r}"


def _untested_solutions(cells, exercises):
    """A "no test" result for each solution cell whose test cell ("<grade_id>-tests") is gone.

    Without it a deleted test cell would silently drop its exercise from the report, while
    the grader restores the cell and grades the exercise all the same.
    """
    tested = {exercise.grade_id for exercise in exercises}
    return [
        SelfCheckResult(
            f"{_exercise_name(cell)}{TESTS_SUFFIX}",
            None,
            "no test",
            "its test cell is missing, or this solution cell's grade_id was changed; nothing "
            "was checked. The grader restores a deleted test cell, but finds solution cells "
            "only by grade_id. Get the test back with Edit > Undo Cell Operation, or from a "
            "fresh copy",
        )
        for cell in cells
        if cell.get("cell_type") == "code"
        and is_solution_cell(cell)
        and f"{_exercise_name(cell)}{TESTS_SUFFIX}" not in tested
    ]


def _exercise_name(cell):
    """A solution cell's grade_id as released (a student may have edited the current one)."""
    return released_grade_id(cell) or grade_id(cell)


def format_report(name, report):
    auto = [r for r in report.results if r.status != "manual"]
    passed = [r for r in auto if r.status in PASSING]
    lines = [f"{name}: {len(passed)} of {len(auto)} exercises pass their visible tests"]
    for result in report.results:
        worth = "points unknown" if result.points is None else points_text(result.points)
        line = f"  [{result.status}] {result.grade_id} ({worth})"
        # A visible test's message may span lines (shapes, then the student's own error):
        # indented, they stay visibly part of their exercise.
        message = result.message.replace("\n", "\n      ")
        lines.append(f"{line}: {message}" if message else line)
    lines += [f"  note: {note}" for note in report.notes]
    return "\n".join(lines)


def _current_notebook():
    session = os.environ.get(SESSION_ENV, "")
    for candidate in (Path(session), Path.cwd() / Path(session).name):
        if session and candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate
    raise ValueError("cannot tell which notebook this is; call check('NAME.ipynb') with its path")


def check(path=None, cell_timeout=DEFAULT_CELL_TIMEOUT):
    """Run the visible tests of a notebook (default: the one this kernel belongs to).

    Save the notebook first: the saved file runs top to bottom in a fresh kernel. Prints one
    line per exercise; returns None. Inside a kernel started by the grader (or by another
    check) it does nothing, so a notebook may keep a `check()` cell.
    """
    if os.environ.get(NESTED_ENV) or os.environ.get(RECORD_ENV):
        print("check() does nothing while the notebook is being graded or checked")
        return
    try:
        notebook = Path(path) if path is not None else _current_notebook()
    except ValueError as error:
        print(error)  # a sentence for the student, not a traceback
        return
    print(format_report(notebook.name, self_check(notebook, cell_timeout)))
