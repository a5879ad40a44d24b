"""Exercise cells, release, rebuild and scoring of lectureml.grading, without a kernel."""

import json
from pathlib import Path

import nbformat
import pytest
from grading_fixtures.builder import SOURCE, SUBMISSIONS
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lectureml.grading import records
from lectureml.grading.feedback import render, truncate
from lectureml.grading.grade import (
    GradeSettings,
    InvalidNotebook,
    SourceNotebook,
    SubmissionResult,
    _renamed,
    grade_submission,
    load_submission_cells,
    rebuild,
    score,
    write_grades,
)
from lectureml.grading.notebook import (
    MarkerError,
    checks_called,
    checks_form_only,
    find_exercises,
    fingerprint,
    read_source,
    solution_stub,
    strip_hidden_tests,
)
from lectureml.grading.release import release, release_notebook
from lectureml.grading.runner import CellRun, NotebookRun


def _nbgrader(grade_id, grade=False, solution=False, task=False, points=None):
    meta = {"grade": grade, "solution": solution, "locked": False, "task": task}
    meta.update(grade_id=grade_id, schema_version=3)
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def test_code_stub_keeps_the_block_indentation_and_the_rest_of_the_cell():
    cell = new_code_cell(
        "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n    ### END SOLUTION",
        metadata=_nbgrader("nb-f", solution=True),
    )
    assert solution_stub(cell) == (
        "def f(x):\n    y = 1\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    )


def test_every_solution_block_of_a_cell_is_replaced():
    cell = new_code_cell(
        "### BEGIN SOLUTION\na = 1\n### END SOLUTION\nb = 2\n### BEGIN SOLUTION\nc = 3\n"
        "### END SOLUTION",
        metadata=_nbgrader("nb-abc", solution=True),
    )
    stub = "# YOUR CODE HERE\nraise NotImplementedError()"
    assert solution_stub(cell) == f"{stub}\nb = 2\n{stub}"


def test_written_answer_block_or_whole_cell_becomes_your_answer_here():
    marked = new_markdown_cell(
        "Answer:\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION",
        metadata=_nbgrader("nb-why", grade=True, solution=True, points=1),
    )
    unmarked = new_markdown_cell("Because.", metadata=marked.metadata)
    assert solution_stub(marked) == "Answer:\nYOUR ANSWER HERE"
    assert solution_stub(unmarked) == "YOUR ANSWER HERE"


def test_code_solution_without_block_is_an_authoring_error():
    cell = new_code_cell("x = 1", metadata=_nbgrader("nb-x", solution=True))
    with pytest.raises(MarkerError, match="no '### BEGIN SOLUTION' block"):
        solution_stub(cell, "cell 3 (nb-x)")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("### BEGIN HIDDEN TESTS\nx = 1", "line 1 is never closed"),
        ("x = 1\n### END HIDDEN TESTS", "'### END HIDDEN TESTS' at line 2 has no"),
        ("### BEGIN HIDDEN TESTS\n" * 2 + "### END HIDDEN TESTS", "line 2 is nested"),
    ],
)
def test_unbalanced_markers_name_the_line(source, message):
    with pytest.raises(MarkerError, match=message):
        strip_hidden_tests(source)


def test_hidden_tests_are_stripped_with_their_separating_blank_lines():
    source = "assert f(1) == 2\n\n### BEGIN HIDDEN TESTS\nexpect('nb-f', f)\n### END HIDDEN TESTS\n"
    assert strip_hidden_tests(source) == "assert f(1) == 2"
    assert strip_hidden_tests("x = 1\n") == "x = 1\n"


def test_checks_called_reads_every_spelling_once_in_order():
    source = (
        "from lectureml.grading import expect\nexpect('b-one', f)\n"
        'lectureml.grading.expect( "a-two", g)\nexpect("b-one", h)\nexpected = 3'
    )
    assert checks_called(source) == ("b-one", "a-two")


def test_find_exercises_gives_spans_points_and_manual_items():
    cells = [
        new_code_cell("import numpy as np"),
        new_markdown_cell("Task", metadata=_nbgrader("nb-task", task=True, points=3)),
        new_code_cell(
            "### BEGIN SOLUTION\nx=1\n### END SOLUTION", metadata=_nbgrader("nb-x", solution=True)
        ),
        new_code_cell(
            "assert x\n### BEGIN HIDDEN TESTS\nexpect('nb-x', x)\n### END HIDDEN TESTS",
            metadata=_nbgrader("nb-x-tests", grade=True, points=2),
        ),
        new_markdown_cell(
            "Why?", metadata=_nbgrader("nb-why", grade=True, solution=True, points=1)
        ),
        new_code_cell("assert True", metadata=_nbgrader("nb-y-tests", grade=True, points=0.5)),
    ]
    exercises = find_exercises(cells)
    assert [(e.grade_id, e.manual, e.points) for e in exercises] == [
        ("nb-task", True, 3.0),
        ("nb-x-tests", False, 2.0),
        ("nb-why", True, 1.0),
        ("nb-y-tests", False, 0.5),
    ]
    assert exercises[1].span == (0, 1, 2, 3)
    assert exercises[1].checks == ("nb-x",)
    assert exercises[1].hidden_lines == frozenset({2, 3, 4})
    assert exercises[3].span == (4, 5)


# --- release -----------------------------------------------------------------------------


def test_release_of_the_fixture_follows_the_rules():
    source = read_source(SOURCE)
    released = release_notebook(source)
    assert len(released.cells) == len(source.cells)
    for before, after in zip(source.cells, released.cells, strict=True):
        nbgrader = before.metadata.get("nbgrader", {})
        text = "".join(after.source)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        assert "expect(" not in text
        if after.cell_type == "code":
            assert after.outputs == [] and after.execution_count is None
        if after.cell_type == "code" or "grade_id" in nbgrader:
            # The fingerprint the self-check uses to tell added and changed cells apart, and
            # the grade_id that still finds a cell whose nbgrader grade_id was edited.
            expected = {"source": fingerprint(text)} if after.cell_type == "code" else {}
            if "grade_id" in nbgrader:
                expected["grade_id"] = nbgrader["grade_id"]
            assert after.metadata.pop("lectureml") == expected
        if nbgrader.get("solution"):
            assert "jupyter" not in after.metadata  # un-collapsed
            assert ("NotImplementedError" in text) == (after.cell_type == "code")
            assert ("YOUR ANSWER HERE" in text) == (after.cell_type == "markdown")
        elif nbgrader.get("grade"):
            assert after.metadata["editable"] is False and after.metadata["deletable"] is False
            assert text.startswith(before.source.split("### BEGIN HIDDEN TESTS")[0].strip())
        else:
            assert after == before  # everything else is unchanged
    assert "source_hidden" in json.dumps(source.cells[3].metadata)  # the source is untouched


def test_release_is_byte_identical_and_matches_the_fixture_students_start_from(tmp_path):
    first = release([SOURCE], tmp_path / "one")
    second = release([SOURCE.parent], tmp_path / "two")
    assert [p.name for p in first] == [p.name for p in second] == ["fixture.ipynb"]
    assert first[0].read_bytes() == second[0].read_bytes()
    assert first[0].read_bytes() == (SUBMISSIONS / "blank" / "fixture.ipynb").read_bytes()


def test_release_drops_the_instructors_widget_state_and_cell_timings():
    source = read_source(SOURCE)
    source.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    source.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-11-27T10:00:00Z"}
    released = release_notebook(source)
    assert "widgets" not in released.metadata and "widgets" in source.metadata
    assert "execution" not in released.cells[1].metadata
    assert released.metadata["kernelspec"] == source.metadata["kernelspec"]


def test_release_refuses_a_solution_marker_outside_a_solution_cell(tmp_path):
    nb = new_notebook(cells=[new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", id="a")])
    nbformat.write(nb, tmp_path / "bad.ipynb")
    with pytest.raises(MarkerError, match=r"bad.ipynb: cell 0 .* not mark it as a solution cell"):
        release([tmp_path / "bad.ipynb"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_release_gives_missing_cell_ids_stable_names(tmp_path):
    data = json.loads(nbformat.writes(new_notebook(cells=[new_code_cell("x = 1")])))
    del data["cells"][0]["id"]
    (tmp_path / "old.ipynb").write_text(json.dumps(data))
    once = release([tmp_path / "old.ipynb"], tmp_path / "a")
    twice = release([tmp_path], tmp_path / "b")
    assert once[0].read_bytes() == twice[0].read_bytes()
    assert '"id": "cell-0"' in once[0].read_text()


# --- submissions: reading and rebuilding --------------------------------------------------


@pytest.mark.parametrize(
    ("student", "message"),
    [
        ("empty_file", "the file is empty"),
        ("invalid_json", "not valid JSON"),
        ("not_a_notebook", "not a notebook"),
    ],
)
def test_unreadable_submissions_say_why(student, message):
    with pytest.raises(InvalidNotebook, match=message):
        load_submission_cells(SUBMISSIONS / student / "fixture.ipynb")


def test_an_nbformat_3_notebook_is_refused(tmp_path):
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({"nbformat": 3, "cells": []}))
    with pytest.raises(InvalidNotebook, match="nbformat 3 is not 4"):
        load_submission_cells(path)


def _rebuilt(student):
    source = SourceNotebook.load(SOURCE)
    cells = load_submission_cells(SUBMISSIONS / student / "fixture.ipynb")
    return source, *rebuild(source, cells)


def test_rebuild_takes_only_solution_cells_from_the_student():
    source, nb, notes = _rebuilt("extra_cells")
    assert notes == [
        "Your notebook has 2 code cell(s) outside the solution cells that the assignment does "
        "not have (added or changed; the first begins 'relu = None  # an extra cell, ignored'). "
        "The grader runs the assignment's own cells, so that code was not run: keep the code "
        "your solutions need inside the solution cells."
    ]
    assert [c.id for c in nb.cells] == [c.id for c in source.nb.cells]
    assert "np.maximum(a, 0)" in nb.cells[3].source  # the student's relu
    assert nb.cells[4].source == source.nb.cells[4].source  # the test cell, hidden tests included


def test_rebuild_restores_edited_and_deleted_test_cells_and_says_so():
    for student, word in (("edited_test", "edited"), ("deleted_test", "deleted")):
        source, nb, notes = _rebuilt(student)
        assert notes == [f"Test cell 'fixture-relu-tests' was {word}; the original tests were run."]
        assert nb.cells[4].source == source.nb.cells[4].source


def test_rebuild_grades_a_missing_solution_cell_as_the_released_stub():
    _, nb, notes = _rebuilt("missing_exercise")
    assert notes == ["Your notebook has no cell 'fixture-shape'; it was graded as left blank."]
    assert nb.cells[6].source == "# YOUR CODE HERE\nraise NotImplementedError()"


def test_rebuild_finds_a_renamed_solution_cell_by_its_released_grade_id():
    source, nb, notes = _rebuilt("changed_grade_id")
    assert notes == [
        "Your cell 'fixture-relu' now has the grade_id 'fixture-relu-v2'; it was found by the "
        "grade_id it was released with and graded.",
        "Your notebook has no cell 'fixture-kernel'; it was graded as left blank.",
        "Your notebook has solution cells with grade_ids the assignment does not have "
        "('my-kernel'); they were not graded. A cell's grade_id (cell metadata) must stay as "
        "released.",
    ]
    assert "np.maximum(a, 0)" in nb.cells[3].source
    assert nb.cells[9].source == solution_stub(source.nb.cells[9])


def test_a_missing_notebooks_hint_never_suggests_another_assigned_notebook(tmp_path):
    for name in ("04-convolution.ipynb", "05-pooling (1).ipynb"):
        (tmp_path / name).write_text("{}")
    assigned = ("04-convolution.ipynb", "05-pooling.ipynb", "06-relu.ipynb")
    assert _renamed(tmp_path / "06-relu.ipynb", assigned) == ""
    assert _renamed(tmp_path / "05-pooling.ipynb", assigned) == (
        " Found '05-pooling (1).ipynb' instead: rename your notebook to 05-pooling.ipynb and "
        "submit it again."
    )


def test_rebuild_ignores_the_order_of_the_students_cells():
    _, in_order, _ = _rebuilt("correct")
    _, reordered, notes = _rebuilt("reordered_cells")
    assert notes == [] and in_order == reordered


# --- scoring a run (synthetic runs, no kernel) ---------------------------------------------


def _scored(runs, record_lines=(), budget_exceeded=False, problem=""):
    source = SourceNotebook.load(SOURCE)
    data = b"".join((records.dumps(r) + "\n").encode() for r in record_lines)
    run = NotebookRun({c.index: c for c in runs}, budget_exceeded, problem, data)
    parsed = records.parse(run.records)
    return {e.grade_id: score(e, source.nb, run, parsed) for e in source.exercises}


def _ok(index, end=0):
    return CellRun(index, "ok", execution_count=index, records_end=end)


def _shape_record(answer):
    return {"check": "fixture-shape", "kind": "value", "value": records.encode(answer)}


def test_a_test_cell_scores_only_with_its_own_accepted_record():
    good = (records.dumps(_shape_record((8, 16, 30, 30))) + "\n").encode()
    end = len(good)
    runs = [_ok(1), _ok(3), _ok(4), _ok(6), _ok(7, end)]
    results = _scored(runs, [_shape_record((8, 16, 30, 30))])
    assert (results["fixture-shape-tests"].status, results["fixture-shape-tests"].points) == (
        "passed",
        1.0,
    )
    # The same record written by the solution cell (before the test cell) does not count.
    early = [_ok(1), _ok(3), _ok(4), _ok(6, end), _ok(7, end)]
    results = _scored(early, [_shape_record((8, 16, 30, 30))])
    assert results["fixture-shape-tests"].status == "failed"
    assert "No answer reached check 'fixture-shape'" in results["fixture-shape-tests"].details[0]


def test_a_rejected_record_fails_without_revealing_the_expected_value():
    runs = [_ok(1), _ok(3), _ok(4), _ok(6), _ok(7, 10_000)]
    result = _scored(runs, [_shape_record((8, 16, 30, 30)), _shape_record((8, 16, 32, 32))])[
        "fixture-shape-tests"
    ]
    assert (result.status, result.points) == ("failed", 0.0)
    assert result.details == [
        "check 'fixture-shape': the answer[2] is 32, which is not the expected value"
    ]


def test_visible_failures_are_shown_and_hidden_ones_only_named():
    visible = CellRun(
        4,
        "error",
        "AssertionError",
        "relu zeroes the negative entries",
        "AssertionError ...\nCell In[4], line 2\n",
        4,
    )
    hidden = CellRun(4, "error", "ValueError", "secret reference 42", "Cell In[4], line 6\n", 4)
    shown = _scored([_ok(1), _ok(3), visible])["fixture-relu-tests"]
    assert shown.status == "failed"
    assert shown.details == ["Visible test: AssertionError: relu zeroes the negative entries"]
    named = _scored([_ok(1), _ok(3), hidden])["fixture-relu-tests"]
    assert named.status == "error"
    assert named.details == ["The hidden tests raised ValueError."]


def test_a_written_answer_left_blank_is_marked_so_for_the_person_grading_it():
    for student, details in (("blank", ["Left blank."]), ("correct", [])):
        source, nb, _ = _rebuilt(student)
        (manual,) = [e for e in source.exercises if e.manual]
        result = score(manual, nb, NotebookRun({}, False, "", b""), [])
        assert (result.status, result.points, result.details) == ("manual", None, details)


def test_runs_cut_short_give_timeout_or_kernel_died_to_the_rest():
    results = _scored([_ok(1), _ok(3), _ok(4)], budget_exceeded=True)
    assert results["fixture-shape-tests"].status == "timeout"
    died = _scored([_ok(1), _ok(3), _ok(4), CellRun(6, "kernel_died")])
    assert died["fixture-shape-tests"].status == "kernel_died"
    assert died["fixture-kernel-tests"].status == "kernel_died"
    timed_out = _scored([_ok(1), CellRun(3, "timeout", "CellTimeout"), _ok(4)])
    assert timed_out["fixture-relu-tests"].status == "timeout"
    assert died["fixture-explain"].status == "manual" and died["fixture-explain"].points is None


def test_grades_csv_is_sorted_by_student_then_cell_order(tmp_path):
    source = SourceNotebook.load(SOURCE)
    results = _scored([])
    rows = [SubmissionResult(s, "fixture.ipynb", list(results.values())) for s in ("bo", "al")]
    write_grades(rows, tmp_path / "grades.csv")
    lines = (tmp_path / "grades.csv").read_text().splitlines()
    assert lines[0] == "student,notebook,exercise,points,max_points,status"
    assert lines[1:5] == [
        f"al,fixture.ipynb,{e.grade_id},{'' if e.manual else 0},{int(e.points)},"
        f"{'manual' if e.manual else 'error'}"
        for e in source.exercises
    ]
    assert lines[5].startswith("bo,")


def test_feedback_truncates_and_fences_any_text():
    text = "```\n" + "x" * 5000
    assert truncate(text) == text[:1500] + "\n... (the rest is cut)"
    failing = CellRun(4, "error", "ValueError", text, "Cell In[4], line 2", 4)
    results = _scored([_ok(1), _ok(3), failing])
    rendered = render("al", [SubmissionResult("al", "fixture.ipynb", list(results.values()))])
    assert "````text\nVisible test: ValueError: ```" in rendered
    assert len(rendered) < 4000
    assert rendered.startswith("# Feedback for al\n\n## fixture.ipynb: 0 of 4 points")


def test_a_submission_that_cannot_even_be_written_out_is_an_error_not_a_crash(tmp_path, capsys):
    nb = json.loads((SUBMISSIONS / "correct" / "fixture.ipynb").read_text())
    nb["cells"][3]["source"] = ["def relu(a):\n", 1, "\ud800"]  # not text, a lone surrogate
    path = tmp_path / "fixture.ipynb"
    path.write_text(json.dumps(nb))
    source = SourceNotebook.load(SOURCE)
    result = grade_submission(source, "al", path, GradeSettings())
    assert [r.status for r in result.results] == ["error"] * 4
    assert result.notes == ["fixture.ipynb could not be run by the grader."]
    assert "warning: al/fixture.ipynb: UnicodeEncodeError" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("notebook", "form_only"),
    [
        ("03-universal-approximation.ipynb", {"03-predict-pieces-tests"}),
        ("04-convolution.ipynb", {"04-output-sizes-tests"}),
        ("05-pooling.ipynb", set()),
    ],
)
def test_release_keeps_the_mark_of_visible_tests_that_check_only_the_form(notebook, form_only):
    # The self-check reads the mark from the student's copy to say "form ok", not "pass".
    source = read_source(Path(__file__).resolve().parents[1] / "notebooks" / notebook)
    released = release_notebook(source)
    marked = {
        cell.metadata["nbgrader"]["grade_id"] for cell in released.cells if checks_form_only(cell)
    }
    assert marked == form_only
    for cell in released.cells:
        if checks_form_only(cell):
            assert cell.metadata["lectureml"]["source"] == fingerprint("".join(cell.source))
