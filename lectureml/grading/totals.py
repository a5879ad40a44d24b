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
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from lectureml.grading.feedback import format_points

GRADES_COLUMNS = ("student", "notebook", "exercise", "points", "max_points", "status")
KEY_COLUMNS = ("student", "notebook", "exercise")
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
    manual_answers: int = 0


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
        total.manual_answers += row.status == "manual"
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
    if not any(total.manual_answers for total in totals):
        return "no written answers to grade: the totals are final"
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
    """The GradeRows of a grades.csv, checked; GradesFileError says what is wrong and where.

    Line numbers are rows as a spreadsheet numbers them (the header is line 1), also when a
    cell holds several lines. Cells may be separated by commas, semicolons or tabs (the
    header tells which); with semicolons or tabs a decimal comma (2,5) is read as 2.5.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GradesFileError(
            f"{path} does not exist; expected the grades.csv that lectureml-grade grade wrote "
            f"(give its --out directory or the file)"
        ) from None
    try:
        # utf-8-sig: spreadsheets save "CSV UTF-8" with a byte order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GradesFileError(
            f"{path}, line {line}: not UTF-8 text ({error.reason} at byte {error.start}); "
            f"save it as CSV UTF-8"
        ) from None
    separator = _separator(text.partition("\n")[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        records = list(reader)
    except csv.Error as error:
        raise GradesFileError(
            f"{path}, line {reader.line_num}: not readable as CSV ({error})"
        ) from None
    if not records:
        raise GradesFileError(
            f"{path} is empty; expected the header line {', '.join(GRADES_COLUMNS)}"
        )
    positions = _column_positions(path, records[0])
    rows, first_line = [], {}
    for line, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or a row emptied in a spreadsheet (",,,,,")
        row = _parse_row(
            f"{path}, line {line}", cells, positions, len(records[0]), separator != ","
        )
        key = (row.student, row.notebook, row.exercise)
        if key in first_line:
            raise GradesFileError(
                f"{path}, line {line}: student {row.student}, notebook {row.notebook}, "
                f"exercise {row.exercise} is also on line {first_line[key]}; expected each "
                f"exercise once per student"
            )
        first_line[key] = line
        rows.append(row)
    if not rows:
        raise GradesFileError(
            f"{path} has no rows under its header; expected one row per student, notebook and "
            f"exercise, as lectureml-grade grade wrote them"
        )
    return rows


def _separator(header_line):
    """The separator that splits the header into the expected columns (a comma otherwise)."""
    for separator in (",", ";", "\t"):
        if set(GRADES_COLUMNS) <= {cell.strip() for cell in header_line.split(separator)}:
            return separator
    return ","


def _column_positions(path, header):
    """Column name -> index in the header; GradesFileError when one is missing."""
    header = [cell.strip() for cell in header]
    missing = [column for column in GRADES_COLUMNS if column not in header]
    if missing:
        raise GradesFileError(
            f"{path}, line 1: column{'' if len(missing) == 1 else 's'} {', '.join(missing)} "
            f"not found in the header ({', '.join(header)}); expected the columns "
            f"{', '.join(GRADES_COLUMNS)}"
        )
    return {column: header.index(column) for column in GRADES_COLUMNS}


def _parse_row(where, cells, positions, width, decimal_comma):
    """One data row as a GradeRow; `width` is the number of cells in the header."""
    identity = [cells[positions[key]].strip() for key in KEY_COLUMNS if positions[key] < len(cells)]
    identity = [cell for cell in identity if cell]
    if identity:
        where += f" ({', '.join(identity)})"
    if any(cell.strip() for cell in cells[width:]):
        raise GradesFileError(
            f"{where}: {len(cells)} cells, more than the header's {width}; expected one cell "
            f"per column. A decimal comma without quotes (1,5) splits a number into two "
            f"cells: write 1.5"
        )
    short = [column for column in GRADES_COLUMNS if positions[column] >= len(cells)]
    if short:
        raise GradesFileError(
            f"{where}, column {short[0]}: no cell, the line is shorter than the header; "
            f"expected a cell under each of {', '.join(GRADES_COLUMNS)}"
        )
    cells = {column: cells[positions[column]].strip() for column in GRADES_COLUMNS}
    for column in (*KEY_COLUMNS, "status"):
        if not cells[column]:
            raise GradesFileError(
                f"{where}, column {column}: empty; expected the {column} of every row "
                f"(keep sums and comments out of these columns, e.g. in a column of your own)"
            )
    if cells["status"] not in _statuses():
        raise GradesFileError(
            f"{where}, column status: {cells['status']!r} is not a status; expected one of "
            f"{', '.join(_statuses())}"
        )
    max_points = _parse_number(where, "max_points", cells["max_points"], decimal_comma)
    if max_points is None:
        raise GradesFileError(f"{where}, column max_points: empty; expected {EXPECTED_NUMBER}")
    if max_points < 0:
        raise GradesFileError(
            f"{where}, column max_points: {cells['max_points']!r} is negative; "
            f"expected a number of 0 or more"
        )
    points = _parse_number(where, "points", cells["points"], decimal_comma)
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


def _statuses():
    # Imported here: grade.py imports this module to write totals.csv.
    from lectureml.grading.grade import STATUSES

    return STATUSES


def _parse_number(where, column, text, decimal_comma):
    """The number in a points or max_points cell; None when the cell is empty."""
    if not text.strip():
        return None
    try:
        value = float(text.replace(",", ".", 1) if decimal_comma else text)
        valid = math.isfinite(value)  # float() also reads "nan" and "inf"
    except ValueError:
        valid = False
    if not valid:
        raise GradesFileError(
            f"{where}, column {column}: {text!r} is not a number; expected {EXPECTED_NUMBER}"
        )
    return value
