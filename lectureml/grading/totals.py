"""Per-student totals: totals.csv, summed from the rows of grades.csv.

`lectureml-grade grade` writes totals.csv next to grades.csv. Once the instructor has filled
in the points of the written answers, `lectureml-grade totals` reads grades.csv again (it never
writes it) and rewrites totals.csv. Both sum the rows with `student_totals`.

totals.csv has one row per student, in the order the students appear in grades.csv, and the
columns `student`, one per notebook (its file name without `.ipynb`, in file-name order),
`points`, `max_points` and `manual_pending`:

- a notebook's cell holds the points the student earned in it, empty when grades.csv has no
  row for that student and notebook;
- a written answer whose points cell is still empty counts 0 and adds 1 to `manual_pending`,
  so a row with `manual_pending` above 0 is not final yet;
- `points` is the sum over the notebooks, `max_points` the sum of max_points over all the
  student's exercises, written answers and missing notebooks included;
- numbers are written as in grades.csv (`feedback.format_points`): 4, 2.5.
"""

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

from lectureml.grading.feedback import format_points

GRADES_COLUMNS = ("student", "notebook", "exercise", "points", "max_points", "status")
TOTALS_FILE = "totals.csv"
EXPECTED_NUMBER = "a number with a decimal point, such as 2 or 2.5"


class GradesFileError(ValueError):
    """A grades.csv that cannot be summed; the message names the file, line, column and value."""


@dataclass(frozen=True)
class GradeRow:
    """One row of grades.csv. `points` is None for a written answer not graded yet."""

    student: str
    notebook: str
    exercise: str
    points: float | None
    max_points: float
    status: str

    @property
    def pending(self):
        return self.status == "manual" and self.points is None


@dataclass
class StudentTotal:
    """One row of totals.csv, before formatting."""

    student: str
    points_by_notebook: dict = field(default_factory=dict)  # notebook file name: points
    points: float = 0.0
    max_points: float = 0.0
    manual_pending: int = 0


def student_totals(rows):
    """One StudentTotal per student of the GradeRows, in the order they first appear."""
    totals = {}
    for row in rows:
        total = totals.setdefault(row.student, StudentTotal(row.student))
        earned = row.points or 0.0
        notebook_points = total.points_by_notebook.get(row.notebook, 0.0)
        total.points_by_notebook[row.notebook] = notebook_points + earned
        total.points += earned
        total.max_points += row.max_points
        total.manual_pending += row.pending
    return list(totals.values())


def write_totals(rows, path):
    """Write totals.csv (see the module docstring) for the GradeRows; returns the totals."""
    totals = student_totals(rows)
    notebooks = sorted({row.notebook for row in rows})
    notebook_columns = [Path(name).stem for name in notebooks]
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["student", *notebook_columns, "points", "max_points", "manual_pending"])
        for total in totals:
            by_notebook = [format_points(total.points_by_notebook.get(name)) for name in notebooks]
            writer.writerow(
                [
                    total.student,
                    *by_notebook,
                    format_points(total.points),
                    format_points(total.max_points),
                    total.manual_pending,
                ]
            )
    return totals


def pending_report(totals):
    """Console lines saying how many written answers still lack points, by student."""
    pending = sum(total.manual_pending for total in totals)
    if not pending:
        return "every written answer has its points: the totals are final"
    lines = [
        f"{pending} written answer{'' if pending == 1 else 's'} still "
        f"{'has' if pending == 1 else 'have'} no points (counted as 0), so these totals are "
        f"not final:"
    ]
    lines += [f"  {t.student}: {t.manual_pending}" for t in totals if t.manual_pending]
    return "\n".join(lines)


def grades_file(path):
    """The grades.csv that `lectureml-grade totals PATH` means: PATH, or PATH/grades.csv."""
    path = Path(path)
    return path / "grades.csv" if path.is_dir() else path


def rewrite_totals(grades_path):
    """Read grades_path (never written) and write totals.csv beside it: (its path, totals)."""
    rows = read_grades(grades_path)
    totals_path = Path(grades_path).with_name(TOTALS_FILE)
    return totals_path, write_totals(rows, totals_path)


def read_grades(path):
    """The GradeRows of a grades.csv, checked; GradesFileError says what is wrong and where."""
    path = Path(path)
    try:
        # utf-8-sig: spreadsheets save "CSV UTF-8" with a byte order mark.
        with open(path, newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            _check_header(path, reader.fieldnames)
            rows, first_line = [], {}
            for cells in reader:
                if not any(cells[column] for column in GRADES_COLUMNS):
                    continue  # spreadsheets save emptied rows as ",,,,,"
                row = _parse_row(f"{path}, line {reader.line_num}", cells)
                key = (row.student, row.notebook, row.exercise)
                if key in first_line:
                    raise GradesFileError(
                        f"{path}, line {reader.line_num}: student {row.student}, notebook "
                        f"{row.notebook}, exercise {row.exercise} is also on line "
                        f"{first_line[key]}; expected each exercise once per student"
                    )
                first_line[key] = reader.line_num
                rows.append(row)
    except FileNotFoundError:
        raise GradesFileError(
            f"{path} does not exist; expected the grades.csv that lectureml-grade grade wrote "
            f"(give its --out directory or the file)"
        ) from None
    except csv.Error as error:
        raise GradesFileError(
            f"{path}, line {reader.line_num}: not readable as CSV ({error})"
        ) from None
    except UnicodeDecodeError as error:
        raise GradesFileError(
            f"{path} is not UTF-8 text ({error.reason} at byte {error.start}); save it as CSV UTF-8"
        ) from None
    return rows


def _check_header(path, header):
    expected = ", ".join(GRADES_COLUMNS)
    if header is None:
        raise GradesFileError(f"{path} is empty; expected the header line {expected}")
    missing = [column for column in GRADES_COLUMNS if column not in header]
    if not missing:
        return
    found = ", ".join(header)
    hint = ""
    if len(header) == 1 and ";" in header[0]:
        hint = "; the cells are separated by ';': save the file as CSV with commas"
    raise GradesFileError(
        f"{path}, line 1: column{'' if len(missing) == 1 else 's'} {', '.join(missing)} "
        f"not found in the header ({found}); expected the columns {expected}{hint}"
    )


def _parse_row(where, cells):
    missing = [column for column in GRADES_COLUMNS if cells[column] is None]
    if missing:
        raise GradesFileError(
            f"{where}, column {missing[0]}: no cell, the line is shorter than the header; "
            f"expected a cell under each of {', '.join(GRADES_COLUMNS)}"
        )
    where += f" ({cells['student']}, {cells['notebook']}, {cells['exercise']})"
    max_points = _parse_number(where, "max_points", cells["max_points"])
    if max_points is None:
        raise GradesFileError(f"{where}, column max_points: empty; expected {EXPECTED_NUMBER}")
    if max_points < 0:
        raise GradesFileError(
            f"{where}, column max_points: {cells['max_points']!r} is negative; "
            f"expected a number of 0 or more"
        )
    points = _parse_number(where, "points", cells["points"])
    status = cells["status"]
    if points is None and status != "manual":
        raise GradesFileError(
            f"{where}, column points: empty, but the status is {status!r}; expected "
            f"{EXPECTED_NUMBER} (only a written answer, status manual, may be left empty)"
        )
    if points is not None and not 0 <= points <= max_points:
        given = "negative" if points < 0 else f"more than max_points {format_points(max_points)}"
        raise GradesFileError(
            f"{where}, column points: {cells['points']!r} is {given}; "
            f"expected 0 to {format_points(max_points)}"
        )
    return GradeRow(
        cells["student"], cells["notebook"], cells["exercise"], points, max_points, status
    )


def _parse_number(where, column, text):
    """The number in a points or max_points cell; None when the cell is empty."""
    if not text.strip():
        return None
    try:
        value = float(text)
        valid = math.isfinite(value)  # float() also reads "nan" and "inf"
    except ValueError:
        valid = False
    if not valid:
        raise GradesFileError(
            f"{where}, column {column}: {text!r} is not a number; expected {EXPECTED_NUMBER}"
        )
    return value
