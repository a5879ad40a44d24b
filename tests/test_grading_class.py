"""Grading a class of real submission files, one per robustness case (tests/grading_fixtures).

The class is graded once per test session with short timeouts; the tests read its
grades.csv and feedback. Regenerate the fixtures with tests/grading_fixtures/builder.py.
"""

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from grading_fixtures.builder import HERE, SOURCE, SUBMISSIONS, build

from lectureml.grading.grade import GradeSettings, grade_class
from lectureml.grading.runner import _read_records, resolve_kernel_user

KERNEL_USER, KERNEL_USER_STORY = resolve_kernel_user("nobody")
SETTINGS = GradeSettings(cell_timeout=5, notebook_timeout=20, memory_limit_mb=1024, jobs=2)
EXERCISES = ("fixture-relu-tests", "fixture-shape-tests", "fixture-kernel-tests")
POINTS = {"fixture-relu-tests": 2, "fixture-shape-tests": 1, "fixture-kernel-tests": 1}
# student: statuses of the relu, shape and kernel exercises (the written answer is manual).
EXPECTED = {
    "blank": ("blank", "blank", "blank"),
    "changed_grade_id": ("passed", "passed", "blank"),
    "correct": ("passed", "passed", "passed"),
    "deleted_test": ("failed", "passed", "passed"),
    "edited_test": ("failed", "passed", "passed"),
    "empty_file": ("invalid_notebook",) * 3,
    "exception_before": ("error", "passed", "passed"),
    "extra_cells": ("passed", "passed", "passed"),
    "huge_output": ("error", "passed", "passed"),
    "infinite_loop": ("timeout", "passed", "passed"),
    "invalid_json": ("invalid_notebook",) * 3,
    "kernel_exit": ("passed", "kernel_died", "kernel_died"),
    "memory_bomb": ("passed", "passed", "error"),
    "missing_exercise": ("passed", "blank", "passed"),
    "missing_notebook": ("missing",) * 3,
    "monkeypatch": ("failed", "failed", "failed"),
    "not_a_notebook": ("invalid_notebook",) * 3,
    "partly_correct": ("passed", "failed", "passed"),
    "reordered_cells": ("passed", "passed", "passed"),
    "stubborn_loop": ("passed", "timeout", "timeout"),
    "wrong": ("failed", "failed", "failed"),
}


def _expected_rows(students):
    rows = []
    for student in students:
        statuses = EXPECTED[student]
        for exercise, status in zip(EXERCISES, statuses, strict=True):
            earned = POINTS[exercise] if status == "passed" else 0
            rows.append([student, "fixture.ipynb", exercise, str(earned), str(POINTS[exercise])])
            rows[-1].append(status)
        unreadable = statuses[0] in ("invalid_notebook", "missing")
        manual = ("0", statuses[0]) if unreadable else ("", "manual")
        rows.append([student, "fixture.ipynb", "fixture-explain", manual[0], "1", manual[1]])
    return rows


def _hashes(directory):
    return {
        path.relative_to(directory): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("graded")
    before = _hashes(SUBMISSIONS)
    results = grade_class(SOURCE, SUBMISSIONS, out, SETTINGS)
    return out, {r.student: r for r in results}, before


def test_fixture_files_are_what_the_builder_writes(tmp_path):
    written = build(tmp_path)
    committed = [
        path
        for folder in ("source", "submissions")
        for path in (HERE / folder).rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.parts)
    ]
    assert {p.relative_to(tmp_path) for p in written} == {p.relative_to(HERE) for p in committed}
    for path in written:
        assert path.read_bytes() == (HERE / path.relative_to(tmp_path)).read_bytes(), path


@pytest.mark.slow
def test_grades_csv_has_the_expected_row_for_every_case(graded):
    out, _, _ = graded
    rows = _read_csv(out / "grades.csv")
    assert rows[0] == ["student", "notebook", "exercise", "points", "max_points", "status"]
    assert rows[1:] == _expected_rows(sorted(EXPECTED))


@pytest.mark.slow
def test_grading_never_changes_a_submission(graded):
    _, _, before = graded
    assert _hashes(SUBMISSIONS) == before


@pytest.mark.slow
def test_monkeypatching_earns_nothing_beyond_the_same_wrong_answers(graded):
    _, results, _ = graded
    points = {s: [r.points for r in results[s].results] for s in ("monkeypatch", "wrong")}
    assert points["monkeypatch"] == points["wrong"] == [0.0, 0.0, 0.0, None]
    details = "\n".join(d for r in results["monkeypatch"].results for d in r.details)
    assert "No answer reached check 'fixture-shape'" in details


@pytest.mark.slow
def test_runaway_submissions_are_cut_off_in_bounded_time(graded):
    _, results, _ = graded
    assert results["infinite_loop"].seconds < 2 * SETTINGS.cell_timeout + 15
    assert results["stubborn_loop"].seconds < SETTINGS.notebook_timeout + 5
    assert results["correct"].seconds < SETTINGS.notebook_timeout


@pytest.mark.slow
def test_feedback_shows_the_students_errors_but_never_the_hidden_tests(graded):
    out, _, _ = graded
    feedback = {path.stem: path.read_text() for path in (out / "feedback").glob("*.md")}
    assert sorted(feedback) == sorted(EXPECTED)
    for text in feedback.values():
        assert "HIDDEN" not in text and "expect(" not in text
        assert "30, 30" not in text and "zeros_like" not in text  # reference answers
    assert "## fixture.ipynb: 4 of 4 points" in feedback["correct"]
    assert "Still to be graded by a person: fixture-explain (1 point)." in feedback["correct"]
    assert "Visible test: ValueError: boom boom" in feedback["huge_output"]
    assert "(the rest is cut)" in feedback["huge_output"]
    assert len(feedback["huge_output"]) < 10_000
    assert "was edited; the original tests were run" in feedback["edited_test"]
    assert "was deleted; the original tests were run" in feedback["deleted_test"]
    assert (
        "Your cell 'fixture-relu' ran past the time limit of 5 s per cell and was interrupted."
    ) in feedback["infinite_loop"]
    assert ("The kernel died in your cell 'fixture-shape', before these tests ran.") in feedback[
        "kernel_exit"
    ]
    assert "### fixture-shape-tests: blank, 0 of 1 point" in feedback["missing_exercise"]
    # Found by the grade_id it was released with; the other cell has lost that record.
    assert (
        "Your cell 'fixture-relu' now has the grade_id 'fixture-relu-v2'; it was found by the "
        "grade_id it was released with and graded."
    ) in feedback["changed_grade_id"]
    assert "grade_ids the assignment does not have ('my-kernel')" in feedback["changed_grade_id"]
    assert "raised MemoryError" in feedback["memory_bomb"]
    assert "raised ModuleNotFoundError" in feedback["exception_before"]
    assert "the file is not valid JSON" in feedback["invalid_json"]
    assert "the answer[2] is 32, which is not the expected value" in feedback["partly_correct"]


@pytest.mark.slow
def test_grading_twice_gives_identical_grades_csv(tmp_path):
    students = ("correct", "infinite_loop", "kernel_exit")
    for student in students:
        shutil.copytree(SUBMISSIONS / student, tmp_path / "class" / student)
    for run in ("first", "second"):
        grade_class(SOURCE, tmp_path / "class", tmp_path / run, SETTINGS)
    first = (tmp_path / "first" / "grades.csv").read_bytes()
    assert first == (tmp_path / "second" / "grades.csv").read_bytes()
    assert _read_csv(tmp_path / "first" / "grades.csv")[1:] == _expected_rows(students)


@pytest.mark.slow
def test_the_command_line_writes_grades_and_feedback(tmp_path):
    shutil.copytree(SUBMISSIONS / "correct", tmp_path / "class" / "al")
    # Not a notebook: graded 0, and not counted among the graded submissions.
    shutil.copytree(SUBMISSIONS / "invalid_json", tmp_path / "class" / "cy")
    # A browser's second download: the grader takes only the exact name, and says so.
    (tmp_path / "class" / "bo").mkdir()
    shutil.copy(
        SUBMISSIONS / "correct" / "fixture.ipynb", tmp_path / "class" / "bo" / "fixture (1).ipynb"
    )
    # A second source nobody submitted is left out, not graded as missing for everyone.
    unassigned = shutil.copy(SOURCE, tmp_path / "unassigned.ipynb")
    command = [sys.executable, "-m", "lectureml.grading", "grade", "--source", str(SOURCE)]
    command += ["--source", str(unassigned)]
    command += [str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--jobs", "1"]
    command += ["--timeout-cell", "30", "--timeout-notebook", "120"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    assert done.stdout.startswith(
        "graded 1 submission (1 could not be read, 1 notebook not submitted) in "
    )
    assert "] cy/fixture.ipynb: 0 of 5 points, 4 invalid_notebook (" in done.stderr
    assert done.stdout.endswith(f"; wrote {out / 'grades.csv'} and totals.csv\n")
    assert "note: no student submitted unassigned.ipynb; it is left out" in done.stderr
    assert "] al/fixture.ipynb: 4 of 4 points (" in done.stderr
    assert "] bo/fixture.ipynb: missing" in done.stderr
    # A second run into the same directory must not mix with the first one's files.
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 2
    assert "already holds the results of an earlier run" in again.stderr
    assert (
        "No file fixture.ipynb was submitted. Found 'fixture (1).ipynb' instead: rename your "
        "notebook to fixture.ipynb and submit it again."
    ) in (out / "feedback" / "bo.md").read_text()
    assert (tmp_path / "out" / "feedback" / "al.md").exists()
    assert _read_csv(tmp_path / "out" / "grades.csv")[1][-3:] == ["2", "2", "passed"]


@pytest.mark.slow
@pytest.mark.skipif(KERNEL_USER is None, reason=KERNEL_USER_STORY)
def test_a_kernel_run_as_nobody_cannot_read_the_source_or_write_the_grades(tmp_path):
    """The shape answer is right only if the kernel runs as a user other than root that can
    neither read the instructor's source nor write into the grades' directory."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    source = shutil.copy(SOURCE, private / SOURCE.name)
    out = tmp_path / "out"
    probe = (
        "import os\n\n"
        f"attempts = [lambda: open({str(source)!r}).read(),\n"
        f"            lambda: open({str(out / 'grades.csv')!r}, 'w')]\n"
        "refused = 0\n"
        "for attempt in attempts:\n"
        "    try:\n"
        "        attempt()\n"
        "    except PermissionError:\n"
        "        refused += 1\n"
        "conv_output_shape = (8, 16, 30, 30) if refused == 2 and os.getuid() != 0 else ()\n"
    )
    nb = nbformat.read(SUBMISSIONS / "correct" / "fixture.ipynb", as_version=4)
    next(cell for cell in nb.cells if cell.id == "shape-solution").source = probe
    (tmp_path / "class" / "al").mkdir(parents=True)
    nbformat.write(nb, tmp_path / "class" / "al" / "fixture.ipynb")
    grade_class(source, tmp_path / "class", out, SETTINGS)
    assert [row[-1] for row in _read_csv(out / "grades.csv")[1:4]] == ["passed"] * 3


def test_a_record_file_swapped_for_a_link_or_a_pipe_reads_as_empty(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text('{"check": "fixture-shape", "kind": "value", "value": 1}\n')
    (tmp_path / "link.jsonl").symlink_to(secret)
    os.mkfifo(tmp_path / "pipe.jsonl")
    assert _read_records(tmp_path / "link.jsonl") == b""
    assert _read_records(tmp_path / "pipe.jsonl") == b""
    assert _read_records(secret) == secret.read_bytes()


def test_links_unreadable_files_and_non_utf8_names_cost_only_their_own_grades(
    tmp_path, monkeypatch
):
    """A link can point at the solutions; an unreadable file or a folder name that is not
    UTF-8 (unzipped from a Windows archive) used to stop the class's grading half-way."""
    submissions = tmp_path / "class"
    (submissions / "linked_file").mkdir(parents=True)
    (submissions / "linked_file" / "fixture.ipynb").symlink_to(SOURCE)
    (submissions / "linked_folder").symlink_to(SOURCE.parent, target_is_directory=True)
    shutil.copytree(SUBMISSIONS / "correct", submissions / "unreadable")
    os.mkdir(os.path.join(os.fsencode(submissions), b"caf\xe9"))
    real_read_bytes = Path.read_bytes

    def read_bytes(path):
        if path.parent.name == "unreadable":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    out = tmp_path / "out"
    grade_class(SOURCE, submissions, out, SETTINGS)

    statuses = {}
    for student, _, _, points, _, status in _read_csv(out / "grades.csv")[1:]:
        statuses.setdefault(student, set()).add((status, points))
    assert statuses == {
        "caf\\xe9": {("missing", "0")},
        "linked_file": {("invalid_notebook", "0")},
        "linked_folder": {("invalid_notebook", "0")},
        "unreadable": {("invalid_notebook", "0")},
    }
    feedback = out / "feedback"
    assert "symbolic link" in (feedback / "linked_folder.md").read_text(encoding="utf-8")
    assert "could not be read: Permission denied." in (feedback / "unreadable.md").read_text(
        encoding="utf-8"
    )
    odd_name = os.path.join(os.fsencode(feedback), b"caf\xe9.md")
    with open(odd_name, encoding="utf-8") as odd_feedback:
        assert odd_feedback.readline() == "# Feedback for caf\\xe9\n"


@pytest.mark.slow
def test_a_flood_of_records_is_cut_off_and_said(tmp_path):
    """Parsing 256 MB of records took 3.2 GB of the grader's memory; now 4 MB is the limit."""
    flood = (
        "import os\n\n"
        "with open(os.environ['LECTUREML_GRADING_RECORD'], 'a') as record:\n"
        "    record.write(('[' + '0.5,' * 250_000 + '0]\\n') * 5)\n"
    )
    nb = nbformat.read(SUBMISSIONS / "correct" / "fixture.ipynb", as_version=4)
    relu_cell = next(cell for cell in nb.cells if cell.id == "relu-solution")
    relu_cell.source = flood + relu_cell.source
    (tmp_path / "class" / "flood").mkdir(parents=True)
    nbformat.write(nb, tmp_path / "class" / "flood" / "fixture.ipynb")
    (result,) = grade_class(SOURCE, tmp_path / "class", tmp_path / "out", SETTINGS)
    # The hidden tests' answers came after the 5 MB of junk, so none was read.
    assert [r.status for r in result.results] == ["failed", "failed", "failed", "manual"]
    assert any("more than 4 MB of answers" in note for note in result.notes)
