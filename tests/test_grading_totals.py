"""totals.csv: per-student totals written by `grade` and rewritten by `totals` from grades.csv."""

import shutil
import subprocess
import sys

import pytest
from grading_fixtures.builder import SOURCE, SUBMISSIONS

from lectureml.grading.cli import main

HEADER = "student,notebook,exercise,points,max_points,status\n"
# Two notebooks, each with an autograded exercise and a written answer (status manual). al and
# bo each have one written answer left empty; cy submitted nothing; dee's manual points 0.1 and
# 0.2 would sum to 3.8000000000000003 unformatted.
GRADES = HEADER + (
    "al,04-convolution.ipynb,conv-tests,2,2,passed\n"
    "al,04-convolution.ipynb,conv-explain,1.5,2,manual\n"
    "al,05-pooling.ipynb,pool-tests,0,1.5,failed\n"
    "al,05-pooling.ipynb,pool-explain,,1,manual\n"
    "bo,04-convolution.ipynb,conv-tests,0,2,timeout\n"
    "bo,04-convolution.ipynb,conv-explain,,2,manual\n"
    "bo,05-pooling.ipynb,pool-tests,1.5,1.5,passed\n"
    "bo,05-pooling.ipynb,pool-explain,2.5e-1,1,manual\n"
    "cy,04-convolution.ipynb,conv-tests,0,2,missing\n"
    "cy,04-convolution.ipynb,conv-explain,0,2,missing\n"
    "cy,05-pooling.ipynb,pool-tests,0,1.5,missing\n"
    "cy,05-pooling.ipynb,pool-explain,0,1,missing\n"
    "dee,04-convolution.ipynb,conv-tests,2,2,passed\n"
    "dee,04-convolution.ipynb,conv-explain,0.1,2,manual\n"
    "dee,05-pooling.ipynb,pool-tests,1.5,1.5,passed\n"
    "dee,05-pooling.ipynb,pool-explain,0.2,1,manual\n"
)
TOTALS = (
    "student,04-convolution,05-pooling,points,max_points,manual_pending\n"
    "al,3.5,0,3.5,6.5,1\n"
    "bo,0,1.75,1.75,6.5,1\n"
    "cy,0,0,0,6.5,0\n"
    "dee,2.1,1.7,3.8,6.5,0\n"
)


def _graded_dir(tmp_path, text=GRADES):
    (tmp_path / "grades.csv").write_text(text, encoding="utf-8")
    return tmp_path


def _error(tmp_path, capsys, text):
    """The one-line error of `totals` on a grades.csv holding `text`; checks nothing is written."""
    graded = _graded_dir(tmp_path, text)
    assert main(["totals", str(graded)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("lectureml-grade totals: ") and err.endswith("\n")
    assert err.count("\n") == 1
    assert not (graded / "totals.csv").exists()
    return err.removeprefix("lectureml-grade totals: ").rstrip("\n")


def test_totals_sum_each_students_notebooks_and_count_pending_written_answers(tmp_path, capsys):
    graded = _graded_dir(tmp_path)
    assert main(["totals", str(graded)]) == 0
    assert (graded / "totals.csv").read_text(encoding="utf-8") == TOTALS
    assert capsys.readouterr().out == (
        f"wrote {graded / 'totals.csv'} (4 students)\n"
        "2 written answers still have no points (counted as 0), so these totals are not final:\n"
        "  al: 1\n"
        "  bo: 1\n"
    )


def test_totals_never_write_grades_csv_and_accept_the_file_itself(tmp_path, capsys):
    graded = _graded_dir(tmp_path)
    before = (graded / "grades.csv").read_bytes()
    (graded / "totals.csv").write_text("student,points\nlast-run,99\n")
    assert main(["totals", str(graded / "grades.csv")]) == 0
    assert (graded / "grades.csv").read_bytes() == before
    assert (graded / "totals.csv").read_text(encoding="utf-8") == TOTALS
    assert capsys.readouterr().out.startswith(f"wrote {graded / 'totals.csv'} (4 students)\n")


def test_filling_in_the_last_written_answers_makes_the_totals_final(tmp_path, capsys):
    filled = GRADES.replace("pool-explain,,1,manual", "pool-explain,1,1,manual").replace(
        "conv-explain,,2,manual", "conv-explain,0.5,2,manual"
    )
    graded = _graded_dir(tmp_path, filled)
    assert main(["totals", str(graded)]) == 0
    lines = (graded / "totals.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1:3] == ["al,3.5,1,4.5,6.5,0", "bo,0.5,1.75,2.25,6.5,0"]
    assert capsys.readouterr().out.endswith(
        "\nevery written answer has its points: the totals are final\n"
    )


def test_a_grades_csv_resorted_in_a_spreadsheet_gives_the_same_totals(tmp_path):
    # Sorted by exercise, with a byte order mark, extra column and emptied row as a spreadsheet
    # saves them: the students keep the order in which they first appear.
    lines = GRADES.splitlines()[1:]
    resorted = sorted(lines, key=lambda line: line.split(",")[2])
    text = "\ufeff" + HEADER.replace("\n", ",comment\n") + "\n".join(resorted) + "\n,,,,,,\n"
    graded = _graded_dir(tmp_path, text)
    assert main(["totals", str(graded)]) == 0
    assert (graded / "totals.csv").read_text(encoding="utf-8") == TOTALS


def test_a_student_without_rows_for_a_notebook_gets_an_empty_cell_there(tmp_path):
    text = (
        HEADER
        + "al,05-pooling.ipynb,pool-tests,1.5,1.5,passed\nbo,04-convolution.ipynb,x,2,2,passed\n"
    )
    graded = _graded_dir(tmp_path, text)
    assert main(["totals", str(graded)]) == 0
    assert (graded / "totals.csv").read_text(encoding="utf-8") == (
        "student,04-convolution,05-pooling,points,max_points,manual_pending\n"
        "al,,1.5,1.5,1.5,0\n"
        "bo,2,,2,2,0\n"
    )


def test_a_missing_grades_csv_is_named(tmp_path, capsys):
    assert main(["totals", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"lectureml-grade totals: {tmp_path / 'grades.csv'} does not exist; expected the "
        f"grades.csv that lectureml-grade grade wrote (give its --out directory or the file)\n"
    )


# (what replaces what in GRADES, the error after "<path>, ")
BAD_CELLS = {
    "renamed column": (
        ("exercise,points,max", "exercise,pts,max"),
        "line 1: column points not found in the header (student, notebook, exercise, pts, "
        "max_points, status); expected the columns student, notebook, exercise, points, "
        "max_points, status",
    ),
    "missing columns": (
        (",max_points,status\n", "\n"),
        "line 1: columns max_points, status not found in the header (student, notebook, "
        "exercise, points); expected the columns student, notebook, exercise, points, "
        "max_points, status",
    ),
    "unquoted decimal comma": (
        ("conv-explain,1.5,2", "conv-explain,1,5,2"),
        "line 3 (al, 04-convolution.ipynb, conv-explain): 7 cells, more than the header's 6; "
        "expected one cell per column. A decimal comma without quotes (1,5) splits a number "
        "into two cells: write 1.5",
    ),
    "sum row": (
        (
            "dee,05-pooling.ipynb,pool-explain,0.2,1,manual\n",
            "dee,05-pooling.ipynb,pool-explain,0.2,1,manual\nTOTAL,,,29,44,\n",
        ),
        "line 18 (TOTAL), column notebook: empty; expected the notebook of every row "
        "(keep sums and comments out of these columns, e.g. in a column of your own)",
    ),
    "unknown status": (
        ("conv-explain,1.5,2,manual", "conv-explain,1.5,2,Manual"),
        "line 3 (al, 04-convolution.ipynb, conv-explain), column status: 'Manual' is not a "
        "status; expected one of passed, failed, error, blank, timeout, kernel_died, missing, "
        "invalid_notebook, manual",
    ),
    "not a number": (
        ("conv-explain,1.5,2", "conv-explain,abc,2"),
        "line 3 (al, 04-convolution.ipynb, conv-explain), column points: 'abc' is not a "
        "number; expected a number with a decimal point, such as 2 or 2.5",
    ),
    "decimal comma": (
        ("conv-explain,1.5,2", 'conv-explain,"1,5",2'),
        "line 3 (al, 04-convolution.ipynb, conv-explain), column points: '1,5' is not a "
        "number; expected a number with a decimal point, such as 2 or 2.5",
    ),
    "nan": (
        ("conv-explain,1.5,2", "conv-explain,nan,2"),
        "line 3 (al, 04-convolution.ipynb, conv-explain), column points: 'nan' is not a "
        "number; expected a number with a decimal point, such as 2 or 2.5",
    ),
    "negative points": (
        ("bo,05-pooling.ipynb,pool-explain,2.5e-1", "bo,05-pooling.ipynb,pool-explain,-1"),
        "line 9 (bo, 05-pooling.ipynb, pool-explain), column points: '-1' is negative; "
        "expected 0 to 1",
    ),
    "points above max_points": (
        ("conv-explain,1.5,2", "conv-explain,2.5,2"),
        "line 3 (al, 04-convolution.ipynb, conv-explain), column points: '2.5' is more than "
        "max_points 2; expected 0 to 2",
    ),
    "empty autograded points": (
        ("bo,04-convolution.ipynb,conv-tests,0,", "bo,04-convolution.ipynb,conv-tests,,"),
        "line 6 (bo, 04-convolution.ipynb, conv-tests), column points: empty, but the status "
        "is 'timeout'; expected a number with a decimal point, such as 2 or 2.5 (only a "
        "written answer, status manual, may be left empty)",
    ),
    "bad max_points": (
        ("pool-tests,0,1.5,failed", "pool-tests,0,one,failed"),
        "line 4 (al, 05-pooling.ipynb, pool-tests), column max_points: 'one' is not a number; "
        "expected a number with a decimal point, such as 2 or 2.5",
    ),
    "negative max_points": (
        ("pool-tests,0,1.5,failed", "pool-tests,0,-1.5,failed"),
        "line 4 (al, 05-pooling.ipynb, pool-tests), column max_points: '-1.5' is negative; "
        "expected a number of 0 or more",
    ),
    "short line": (
        ("cy,05-pooling.ipynb,pool-explain,0,1,missing", "cy,05-pooling.ipynb,pool-explain"),
        "line 13 (cy, 05-pooling.ipynb, pool-explain), column points: no cell, the line is "
        "shorter than the header; expected a cell under each of student, notebook, exercise, "
        "points, max_points, status",
    ),
    "repeated row": (
        ("dee,05-pooling.ipynb,pool-explain,0.2", "al,05-pooling.ipynb,pool-tests,0.2"),
        "line 17: student al, notebook 05-pooling.ipynb, exercise pool-tests is also on line 4; "
        "expected each exercise once per student",
    ),
}


@pytest.mark.parametrize("case", BAD_CELLS)
def test_a_bad_grades_csv_is_refused_naming_file_line_column_value_and_expectation(
    case, tmp_path, capsys
):
    (old, new), message = BAD_CELLS[case]
    assert GRADES.count(old) == 1
    assert (
        _error(tmp_path, capsys, GRADES.replace(old, new))
        == f"{tmp_path / 'grades.csv'}, {message}"
    )
    assert (tmp_path / "grades.csv").read_text(encoding="utf-8") == GRADES.replace(old, new)


def test_an_empty_or_non_utf8_grades_csv_is_refused(tmp_path, capsys):
    path = tmp_path / "grades.csv"
    assert _error(tmp_path, capsys, "") == (
        f"{path} is empty; expected the header line student, notebook, exercise, points, "
        f"max_points, status"
    )
    latin1 = GRADES.replace("cy", "Jos\xe9").encode("latin-1")  # a spreadsheet's default
    path.write_bytes(latin1)
    offset = latin1.index("\xe9".encode("latin-1"))
    assert main(["totals", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"lectureml-grade totals: {path}, line 10: not UTF-8 text (invalid continuation byte "
        f"at byte {offset}); save it as CSV UTF-8\n"
    )


def test_an_existing_totals_csv_is_kept_when_grades_csv_is_refused(tmp_path, capsys):
    graded = _graded_dir(tmp_path, GRADES.replace("conv-explain,1.5,2", "conv-explain,x,2"))
    (graded / "totals.csv").write_text("last good totals\n")
    assert main(["totals", str(graded)]) == 2
    assert "column points: 'x' is not a number" in capsys.readouterr().err
    assert (graded / "totals.csv").read_text() == "last good totals\n"


def test_the_console_script_exits_0_or_2_with_the_error_on_stderr(tmp_path):
    graded = _graded_dir(tmp_path)
    command = [sys.executable, "-m", "lectureml.grading", "totals"]
    done = subprocess.run([*command, str(graded)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"wrote {graded / 'totals.csv'} (4 students)\n")
    missing = tmp_path / "nowhere"
    done = subprocess.run([*command, str(missing)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"lectureml-grade totals: {missing} does not exist; ")


def test_an_earlier_totals_csv_alone_makes_grade_refuse_the_out_directory(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "totals.csv").write_text("student,points\nlast-week,99\n")
    assert main(["grade", "--source", str(SOURCE), str(SUBMISSIONS), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"lectureml-grade grade: {out} already holds the results of an earlier run "
        f"(totals.csv); choose another --out, or replace them with --overwrite\n"
    )
    assert (out / "totals.csv").read_text() == "student,points\nlast-week,99\n"


@pytest.mark.slow
def test_grade_writes_totals_csv_and_totals_agrees_after_the_manual_points(tmp_path, capsys):
    for student in ("correct", "missing_notebook", "partly_correct"):
        shutil.copytree(SUBMISSIONS / student, tmp_path / "class" / student)
    out = tmp_path / "out"
    out.mkdir()
    (out / "totals.csv").write_text("student,points\nlast-week,99\n")
    command = ["grade", "--source", str(SOURCE), str(tmp_path / "class"), "--out", str(out)]
    command += ["--jobs", "2", "--timeout-cell", "30", "--timeout-notebook", "120"]
    assert main([*command, "--overwrite"]) == 0
    # fixture.ipynb: relu 2, shape 1 and kernel 1 point autograded, a written answer of 1.
    # partly_correct's shape answer fails; missing_notebook's written answer is 0, not pending.
    totals = (out / "totals.csv").read_text(encoding="utf-8")
    assert totals == (
        "student,fixture,points,max_points,manual_pending\n"
        "correct,4,4,5,1\n"
        "missing_notebook,0,0,5,0\n"
        "partly_correct,3,3,5,1\n"
    )
    assert (
        f"note: {out / 'totals.csv'} counts the 2 written answers as 0 until you fill in their "
        f"points in {out / 'grades.csv'} and run: lectureml-grade totals {out}\n"
    ) in capsys.readouterr().err
    # The same sum from the file grade wrote, and again once a written answer has its points.
    assert main(["totals", str(out)]) == 0
    assert (out / "totals.csv").read_text(encoding="utf-8") == totals
    assert capsys.readouterr().out.endswith("  correct: 1\n  partly_correct: 1\n")
    grades = (out / "grades.csv").read_text(encoding="utf-8")
    pending = "\ncorrect,fixture.ipynb,fixture-explain,,1,manual\n"
    assert grades.count(pending) == 1
    filled = grades.replace(pending, pending.replace(",,", ",0.5,"))
    (out / "grades.csv").write_text(filled, encoding="utf-8")
    assert main(["totals", str(out)]) == 0
    assert (out / "totals.csv").read_text(encoding="utf-8").splitlines()[1] == "correct,4.5,4.5,5,0"
    assert capsys.readouterr().out.endswith(
        "1 written answer still has no points (counted as 0), so these totals are not final:\n"
        "  partly_correct: 1\n"
    )


def test_semicolon_or_tab_separated_files_with_decimal_commas_give_the_same_totals(tmp_path):
    """What a spreadsheet set to a German or French locale saves: ';' and 1,5."""
    for name, separator in (("semicolons", ";"), ("tabs", "\t")):
        text = GRADES.replace(",", separator).replace("1.5", "1,5").replace("0.1", "0,1")
        (tmp_path / name).mkdir()
        graded = _graded_dir(tmp_path / name, text)
        assert main(["totals", str(graded)]) == 0
        assert (graded / "totals.csv").read_text(encoding="utf-8") == TOTALS


def test_lines_are_counted_as_spreadsheet_rows_when_a_cell_spans_lines(tmp_path, capsys):
    text = HEADER.replace("status\n", "status,comment\n") + GRADES.removeprefix(HEADER)
    text = text.replace("conv-tests,2,2,passed\n", 'conv-tests,2,2,passed,"good,\nbut\nlate"\n', 1)
    text = text.replace("pool-tests,1.5,1.5,passed", "pool-tests,3,1.5,passed", 1)
    assert _error(tmp_path, capsys, text) == (
        f"{tmp_path / 'grades.csv'}, line 8 (bo, 05-pooling.ipynb, pool-tests), column points: "
        "'3' is more than max_points 1.5; expected 0 to 1.5"
    )


def test_a_grades_csv_without_rows_is_refused(tmp_path, capsys):
    assert _error(tmp_path, capsys, HEADER + ",,,,,\n") == (
        f"{tmp_path / 'grades.csv'} has no rows under its header; expected one row per "
        "student, notebook and exercise, as lectureml-grade grade wrote them"
    )


def test_without_written_answers_the_totals_are_final_and_say_why(tmp_path, capsys):
    autograded_only = "".join(
        line + "\n" for line in GRADES.splitlines() if not line.endswith(("manual", "missing"))
    )
    graded = _graded_dir(tmp_path, autograded_only)
    assert main(["totals", str(graded)]) == 0
    assert capsys.readouterr().out.endswith("\nno written answers to grade: the totals are final\n")
