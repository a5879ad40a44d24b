"""Every course notebook's exercises, checked through release and grading.

Parametrised over notebooks/*.ipynb, so a new notebook is covered as soon as it exists:
its released version fails exactly at its exercises, grading the released version gives 0
and grading the instructor's version full marks (written answers listed as manual).
"""

import csv
import shutil
from pathlib import Path

import pytest

from lectureml.grading import records
from lectureml.grading.grade import GradeSettings, SourceNotebook, grade_class, rebuild, score
from lectureml.grading.notebook import is_solution_cell, is_test_cell
from lectureml.grading.registry import get_check
from lectureml.grading.release import release_notebook
from lectureml.grading.runner import run_notebook

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
COURSE = [pytest.param(path, id=path.stem) for path in NOTEBOOKS] or [
    pytest.param(None, marks=pytest.mark.skip(reason="notebooks/ has no notebook yet"))
]
SETTINGS = GradeSettings(cell_timeout=300, notebook_timeout=1200, jobs=1)


@pytest.mark.parametrize("path", COURSE)
def test_every_test_cell_hands_registered_checks_to_expect(path):
    source = SourceNotebook.load(path)  # also refuses misplaced markers and unknown checks
    for exercise in source.exercises:
        if not exercise.manual:
            assert exercise.checks, f"{exercise.grade_id} has no hidden expect(...) call"
            assert exercise.hidden_lines, f"{exercise.grade_id} has no hidden tests"
            for name in exercise.checks:
                assert get_check(name).name == name


@pytest.mark.slow
@pytest.mark.parametrize("path", COURSE)
def test_released_version_fails_exactly_at_its_exercises_and_scores_zero(path):
    """One run serves both claims: the graded run of a released copy is the released
    notebook with the hidden tests put back, which fail only after the visible ones."""
    source = SourceNotebook.load(path)
    nb, notes = rebuild(source, release_notebook(source.nb).cells)
    assert notes == []
    run = run_notebook(
        nb,
        cell_timeout=SETTINGS.cell_timeout,
        notebook_timeout=SETTINGS.notebook_timeout,
        record=True,
    )
    assert not run.problem and not run.budget_exceeded
    failing = {i for i, cell in run.cells.items() if cell.status != "ok"}
    exercise_cells = {
        i for i, cell in enumerate(nb.cells) if is_solution_cell(cell) or is_test_cell(cell)
    }
    tagged = {
        i for i, cell in enumerate(nb.cells) if "raises-exception" in cell.metadata.get("tags", [])
    }
    outside = sorted(failing - exercise_cells - tagged)
    assert not outside, f"cells {outside} fail outside the exercises: " + "; ".join(
        f"{run.cells[i].ename}: {run.cells[i].evalue}" for i in outside
    )
    parsed = records.parse(run.records)
    for exercise in source.exercises:
        result = score(exercise, nb, run, parsed, source.nb)
        if exercise.manual:
            assert (result.status, result.points) == ("manual", None)
        else:
            assert exercise.cell_index in failing, f"{exercise.grade_id} passes when released"
            assert (result.status, result.points) == ("blank", 0), exercise.grade_id


@pytest.mark.slow
@pytest.mark.parametrize("path", COURSE)
def test_instructor_version_scores_full_marks(path, tmp_path):
    (tmp_path / "class" / "instructor").mkdir(parents=True)
    shutil.copy(path, tmp_path / "class" / "instructor" / path.name)
    grade_class(path, tmp_path / "class", tmp_path / "out", SETTINGS)
    with open(tmp_path / "out" / "grades.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    feedback = (tmp_path / "out" / "feedback" / "instructor.md").read_text()
    assert rows, f"{path.name} has no graded exercise"
    for row in rows:
        expected = ("manual", "") if row["status"] == "manual" else ("passed", row["max_points"])
        assert (row["status"], row["points"]) == expected, f"{row['exercise']}:\n{feedback}"
