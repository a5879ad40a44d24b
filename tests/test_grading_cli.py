"""The lectureml-grade command line and the students' self-check."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from grading_fixtures.builder import SOURCE, SUBMISSIONS

from lectureml.grading import check
from lectureml.grading.cli import main
from lectureml.grading.runner import NESTED_ENV
from lectureml.grading.selfcheck import (
    SESSION_ENV,
    SelfCheckReport,
    SelfCheckResult,
    _current_notebook,
    format_report,
    self_check,
)

CONSOLE_SCRIPT = Path(sys.executable).parent / "lectureml-grade"


def test_console_script_and_module_both_run_the_cli():
    assert CONSOLE_SCRIPT.exists(), "run: pip install -e . (the console script is missing)"
    for command in ([str(CONSOLE_SCRIPT)], [sys.executable, "-m", "lectureml.grading"]):
        done = subprocess.run([*command, "--help"], capture_output=True, text=True, check=False)
        assert done.returncode == 0
        assert "{release,grade,totals,check}" in done.stdout


def test_release_command_writes_the_student_version(tmp_path, capsys):
    assert main(["release", str(SOURCE.parent), "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'fixture.ipynb'}\n"
    assert (tmp_path / "fixture.ipynb").read_bytes() == (
        SUBMISSIONS / "blank" / "fixture.ipynb"
    ).read_bytes()


def test_command_errors_are_one_line_with_exit_code_2(tmp_path, capsys):
    assert main(["release", str(tmp_path / "nothing.ipynb"), "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("lectureml-grade release: source ") and "nothing.ipynb" in error
    assert main(["grade", "--source", str(SOURCE), str(tmp_path / "no"), "--out", "x"]) == 2
    assert "submissions directory" in capsys.readouterr().err


def test_grade_options_are_validated(capsys):
    with pytest.raises(SystemExit):
        main(["grade", "--source", "s", "subs", "--out", "o", "--jobs", "0"])
    assert "--jobs: must be > 0, got 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["grade", "--source", "s", "subs", "--out", "o", "--timeout-cell", "abc"])
    assert "--timeout-cell: must be a number > 0, got 'abc'" in capsys.readouterr().err


def test_two_sources_with_one_name_are_refused_before_grading(tmp_path, capsys):
    command = ["grade", "--source", str(SOURCE), "--source", str(SOURCE), str(SUBMISSIONS)]
    assert main([*command, "--out", str(tmp_path)]) == 2
    assert "two source notebooks share the file name 'fixture.ipynb'" in capsys.readouterr().err
    assert not (tmp_path / "grades.csv").exists()


def test_a_wrong_submissions_layout_is_refused_before_grading(tmp_path, capsys):
    grade = ["grade", "--source", str(SOURCE)]
    (tmp_path / "flat").mkdir()
    shutil.copy(SOURCE, tmp_path / "flat" / "fixture.ipynb")
    (tmp_path / "flat" / "alice").mkdir()
    assert main([*grade, str(tmp_path / "flat"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"lectureml-grade grade: no student folder in {tmp_path / 'flat'} holds any of "
        f"fixture.ipynb (1 folder(s)); it holds 1 notebook(s) directly, e.g. 'fixture.ipynb'; "
        f"expected {tmp_path / 'flat'}/<student>/<notebook>\n"
    )
    assert main([*grade, str(SOURCE), "--out", str(tmp_path / "out")]) == 2
    assert f"submissions directory {SOURCE} is not a directory" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_earlier_runs_results_are_kept_unless_overwrite_is_asked(tmp_path, capsys):
    out = tmp_path / "out"
    (out / "feedback").mkdir(parents=True)
    (out / "feedback" / "old-student.md").write_text("last week's feedback")
    command = ["grade", "--source", str(SOURCE), str(SUBMISSIONS), "--out", str(out)]
    assert main(command) == 2
    assert "choose another --out, or replace them with --overwrite" in capsys.readouterr().err
    assert (out / "feedback" / "old-student.md").exists()


def test_a_student_version_given_as_source_is_named_as_such(tmp_path, capsys):
    student = SUBMISSIONS / "blank" / "fixture.ipynb"
    assert main(["grade", "--source", str(student), str(SUBMISSIONS), "--out", str(tmp_path)]) == 2
    assert "it looks like a released student version" in capsys.readouterr().err


def test_a_kernel_user_asked_for_by_name_is_required_not_hoped_for(tmp_path, capsys):
    # As root the user does not exist; as anyone else switching users needs root. Either
    # way the kernels could not run as asked, so nothing is graded.
    command = ["grade", "--source", str(SOURCE), str(SUBMISSIONS), "--out", str(tmp_path)]
    assert main([*command, "--kernel-user", "no-such-grader"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("lectureml-grade grade: --kernel-user no-such-grader: kernels run as ")
    assert not (tmp_path / "grades.csv").exists()


def test_grade_help_shows_every_default(capsys):
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for default in ("number of CPU cores)", "(default 120)", "(default 600)", "(default 4096)"):
        assert default in help_text


@pytest.mark.slow
def test_check_command_reports_each_exercise(tmp_path):
    for student, code in (("correct", 0), ("blank", 1)):
        notebook = shutil.copy(SUBMISSIONS / student / "fixture.ipynb", tmp_path / "fixture.ipynb")
        command = [str(CONSOLE_SCRIPT), "check", str(notebook), "--timeout-cell", "30"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == code, done.stderr
        lines = done.stdout.splitlines()
        if student == "correct":
            assert lines[0].endswith("fixture.ipynb: 3 of 3 exercises pass their visible tests")
            assert lines[1] == "  [pass] fixture-relu-tests (2 points)"
        else:
            assert lines[0].endswith("fixture.ipynb: 0 of 3 exercises pass their visible tests")
            assert lines[1] == (
                "  [todo] fixture-relu-tests (2 points): not done yet (NotImplementedError)"
            )
        blank = "; it is still blank, as released" if student == "blank" else ""
        assert lines[-1] == (
            f"  [manual] fixture-explain (1 point): a person grades this answer{blank}"
        )


@pytest.mark.slow
def test_check_reports_an_exercise_whose_test_cell_was_deleted(tmp_path):
    notebook = shutil.copy(SUBMISSIONS / "deleted_test" / "fixture.ipynb", tmp_path)
    report = format_report("fixture.ipynb", self_check(notebook, cell_timeout=30))
    lines = report.splitlines()
    # Before, the exercise vanished from the report ("2 of 2") though the grader grades it.
    assert lines[0] == "fixture.ipynb: 2 of 3 exercises pass their visible tests"
    assert lines[-1].startswith(
        "  [no test] fixture-relu-tests (points unknown): its test cell is missing, or this "
        "solution cell's grade_id was changed"
    )


@pytest.mark.slow
def test_check_agrees_with_the_grader_on_missing_and_renamed_solution_cells(tmp_path):
    notebook = shutil.copy(SUBMISSIONS / "missing_exercise" / "fixture.ipynb", tmp_path)
    report = self_check(notebook, cell_timeout=30)
    shape = next(r for r in report.results if r.grade_id == "fixture-shape-tests")
    assert shape.status == "no solution"
    assert shape.message.startswith("the grader finds no solution cell 'fixture-shape'")
    notebook = shutil.copy(SUBMISSIONS / "changed_grade_id" / "fixture.ipynb", tmp_path)
    report = self_check(notebook, cell_timeout=30)
    statuses = {r.grade_id: r.status for r in report.results}
    # relu's cell is found by the grade_id it was released with, as the grader finds it.
    assert statuses == {
        "fixture-relu-tests": "pass",
        "fixture-shape-tests": "pass",
        "fixture-kernel-tests": "no solution",
        "fixture-explain": "manual",
        "my-kernel-tests": "no test",
    }
    assert report.notes[0].startswith(
        "cell 'fixture-relu' has the grade_id 'fixture-relu-v2' now; the grader still finds it"
    )


@pytest.mark.slow
def test_check_runs_what_the_grader_runs_and_says_what_it_left_out(tmp_path):
    # Added cells are skipped, as by the grader: without that, a helper defined in an added
    # cell passed here and failed with a NameError in grading.
    notebook = shutil.copy(SUBMISSIONS / "extra_cells" / "fixture.ipynb", tmp_path)
    lines = format_report("fixture.ipynb", self_check(notebook, cell_timeout=30)).splitlines()
    assert lines[0] == "fixture.ipynb: 3 of 3 exercises pass their visible tests"
    assert lines[-1] == (
        "  note: skipped 2 code cell(s) you added (the first begins 'relu = None  # an extra "
        "cell, ignored'), as the grader does: code your solutions need belongs inside the "
        "solution cells"
    )
    notebook = shutil.copy(SUBMISSIONS / "edited_test" / "fixture.ipynb", tmp_path)
    report = self_check(notebook, cell_timeout=30)
    assert report.results[0].status == "edited test"
    assert "differs from the released one" in report.results[0].message
    # The student's own error comes first: the failing assert alone points elsewhere.
    nb = nbformat.read(SUBMISSIONS / "correct" / "fixture.ipynb", as_version=4)
    solution = next(cell for cell in nb.cells if cell.id == "relu-solution")
    solution.source = "def relu(a):\n    return a\n\nraise KeyError('photo')"
    nbformat.write(nb, tmp_path / "fixture.ipynb")
    result = self_check(tmp_path / "fixture.ipynb", cell_timeout=30).results[0]
    assert result.status == "fail"
    assert result.message.startswith("your cell 'fixture-relu' raised KeyError: 'photo'; then ")


def test_check_does_nothing_inside_a_kernel_the_grader_started(monkeypatch, capsys):
    monkeypatch.setenv(NESTED_ENV, "1")
    check("does-not-exist.ipynb")
    assert capsys.readouterr().out == (
        "check() does nothing while the notebook is being graded or checked\n"
    )


def test_check_finds_the_notebook_of_the_jupyterlab_session(monkeypatch, tmp_path):
    notebook = tmp_path / "04-convolution.ipynb"
    notebook.write_text("{}")
    monkeypatch.setenv(SESSION_ENV, str(notebook))
    assert _current_notebook() == notebook
    monkeypatch.setenv(SESSION_ENV, "some/server/path/04-convolution.ipynb")
    monkeypatch.chdir(tmp_path)
    assert _current_notebook() == tmp_path / "04-convolution.ipynb"
    monkeypatch.delenv(SESSION_ENV)
    with pytest.raises(ValueError, match=r"call check\('NAME.ipynb'\) with its path"):
        _current_notebook()


def test_check_outside_jupyterlab_says_how_to_name_the_notebook(monkeypatch, capsys):
    monkeypatch.delenv(SESSION_ENV, raising=False)
    monkeypatch.delenv(NESTED_ENV, raising=False)
    check()
    assert capsys.readouterr().out == (
        "cannot tell which notebook this is; call check('NAME.ipynb') with its path\n"
    )


def test_the_report_keeps_a_long_message_whole_and_indents_its_lines():
    """A visible test's explanation (the shapes, then the student's own numpy error) runs to
    several lines and past 300 characters; the student must see all of it, under its exercise."""
    explanation = "The kernel is not square: K_H = w.shape[0] = 3 rows, K_W = w.shape[1] = 2. " * 5
    message = f"AssertionError: conv raised IndexError: index 2 is out of bounds\n{explanation}"
    report = SelfCheckReport(
        [
            SelfCheckResult("04-conv2d-tests", 2, "fail", message),
            SelfCheckResult("04-output-sizes-tests", 1, "pass", ""),
        ],
        [],
    )
    lines = format_report("04-convolution.ipynb", report).splitlines()
    assert lines == [
        "04-convolution.ipynb: 1 of 2 exercises pass their visible tests",
        "  [fail] 04-conv2d-tests (2 points): AssertionError: conv raised IndexError: index 2 "
        "is out of bounds",
        f"      {explanation}",
        "  [pass] 04-output-sizes-tests (1 point)",
    ]


def test_the_report_counts_a_form_only_pass_and_says_what_it_checked():
    report = SelfCheckReport(
        [
            SelfCheckResult("03-bump-tests", 2, "fail", "AssertionError: too wide"),
            SelfCheckResult("03-predict-pieces-tests", 1, "form ok", "the grader checks it"),
        ],
        [],
    )
    assert format_report("03.ipynb", report).splitlines() == [
        "03.ipynb: 1 of 2 exercises pass their visible tests",
        "  [fail] 03-bump-tests (2 points): AssertionError: too wide",
        "  [form ok] 03-predict-pieces-tests (1 point): the grader checks it",
    ]


@pytest.mark.slow
def test_check_says_when_a_passing_visible_test_checked_only_the_form(tmp_path):
    # Such a test printed "form OK" in the notebook, but the terminal said [pass], as if the
    # value had been checked; the grader may still reject it.
    nb = nbformat.read(SUBMISSIONS / "correct" / "fixture.ipynb", as_version=4)
    test_cell = next(cell for cell in nb.cells if cell.id == "shape-tests")
    test_cell.metadata["lectureml"]["visible_test"] = "form"
    nbformat.write(nb, tmp_path / "fixture.ipynb")
    command = [str(CONSOLE_SCRIPT), "check", str(tmp_path / "fixture.ipynb")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith("fixture.ipynb: 3 of 3 exercises pass their visible tests")
    assert lines[2] == (
        "  [form ok] fixture-shape-tests (1 point): the visible test checks only the answer's "
        "form; the grader checks its value"
    )
