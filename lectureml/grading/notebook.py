"""Exercise cells: nbgrader metadata, solution and hidden-test markers.

A course notebook marks its exercises the way nbgrader does (see NOTEBOOKS.md):

- a *solution cell* (`nbgrader.solution` true) holds the instructor's code between
  `### BEGIN SOLUTION` and `### END SOLUTION`;
- a *test cell* (`nbgrader.grade` true, `solution` false, code) holds visible asserts, then
  hidden tests between `### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`;
- a *manual* exercise is a written answer (`grade` and `solution` true) or a `task` cell.

Cells are plain dicts here (nbformat's NotebookNode is one), so the same functions read the
instructor's trusted source and a student's untrusted JSON.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN_TESTS = "### BEGIN HIDDEN TESTS"
END_HIDDEN_TESTS = "### END HIDDEN TESTS"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
TEXT_STUB = "YOUR ANSWER HERE"
# Cell metadata key under which release() stores the fingerprint of each released code cell,
# so the self-check can tell added and changed cells from the released ones.
RELEASE_METADATA = "lectureml"

# `expect("name"` or `expect('name'`, however the function was imported.
_EXPECT_CALL = re.compile(r"""\bexpect\(\s*(["'])([^"'\n]+)\1""")


class MarkerError(ValueError):
    """A solution or hidden-test marker is missing, unbalanced or in the wrong cell."""


@dataclass(frozen=True)
class Exercise:
    """One graded item of a notebook: an autograded test cell or a manually graded cell.

    `span` holds the indices of the cells that belong to an autograded exercise: the cells
    after the previous test cell up to and including this one (its solution and task cells).
    `hidden_lines` are the 1-based line numbers of the test cell's hidden tests.
    """

    grade_id: str
    cell_index: int
    points: float
    manual: bool
    checks: tuple = ()
    span: tuple = ()
    hidden_lines: frozenset = frozenset()


def source_text(cell):
    """A cell's source as one string (nbformat allows a list of lines on disk)."""
    source = cell.get("source", "")
    return "".join(map(str, source)) if isinstance(source, list) else str(source)


def fingerprint(text):
    """A short digest of a cell's source, ignoring leading and trailing blank space."""
    return hashlib.sha256(text.strip().encode("utf-8", errors="surrogatepass")).hexdigest()[:16]


def _released(cell, key):
    metadata = cell.get("metadata")
    stored = metadata.get(RELEASE_METADATA) if isinstance(metadata, dict) else None
    value = stored.get(key) if isinstance(stored, dict) else None
    return value if isinstance(value, str) else None


def released_fingerprint(cell):
    """The fingerprint release() stored in a code cell, or None for a cell it did not write
    (one a student added, or one from a notebook released before fingerprints existed)."""
    return _released(cell, "source")


def checks_form_only(cell):
    """True for a test cell whose visible asserts check only the answer's form (its type,
    shape or range), because any value they checked would give the answer away; the author
    marks it with "visible_test": "form" in the cell's "lectureml" metadata."""
    metadata = cell.get("metadata")
    stored = metadata.get(RELEASE_METADATA) if isinstance(metadata, dict) else None
    return isinstance(stored, dict) and stored.get("visible_test") == "form"


def released_grade_id(cell):
    """The grade_id a cell had when release() wrote it (None: none, or released before
    release() recorded it). The cell's own grade_id may since have been edited."""
    return _released(cell, "grade_id")


def is_blank_answer(cell):
    """True when a written answer (or a manually graded code cell) still reads as released."""
    return source_text(cell).strip() in ("", TEXT_STUB, "\n".join(CODE_STUB))


def nbgrader_metadata(cell):
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return nbgrader if isinstance(nbgrader, dict) else {}


def grade_id(cell):
    value = nbgrader_metadata(cell).get("grade_id")
    return value if isinstance(value, str) and value else None


def is_solution_cell(cell):
    return bool(nbgrader_metadata(cell).get("solution")) and grade_id(cell) is not None


def is_test_cell(cell):
    """An autograded test cell: a code cell whose points come from running it."""
    meta = nbgrader_metadata(cell)
    return (
        cell.get("cell_type") == "code"
        and bool(meta.get("grade"))
        and not meta.get("solution")
        and grade_id(cell) is not None
    )


def is_manual_cell(cell):
    """A written answer or task a person grades (nbgrader's grade+solution, or task)."""
    meta = nbgrader_metadata(cell)
    graded_answer = bool(meta.get("grade")) and bool(meta.get("solution"))
    return (graded_answer or bool(meta.get("task"))) and grade_id(cell) is not None


def points(cell):
    value = nbgrader_metadata(cell).get("points", 0)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _marked_regions(lines, begin, end, where):
    """(start, stop) line indices of each begin..end block, markers included."""
    regions, start = [], None
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(begin):
            if start is not None:
                raise MarkerError(f"{where}: '{begin}' at line {number + 1} is nested")
            start = number
        elif stripped.startswith(end):
            if start is None:
                raise MarkerError(f"{where}: '{end}' at line {number + 1} has no '{begin}'")
            regions.append((start, number))
            start = None
    if start is not None:
        raise MarkerError(f"{where}: '{begin}' at line {start + 1} is never closed by '{end}'")
    return regions


def _replace_regions(source, begin, end, replacement, where):
    """Replace each marked block by `replacement(indent)` lines; (new source, block count)."""
    lines = source.split("\n")
    regions = _marked_regions(lines, begin, end, where)
    for start, stop in reversed(regions):
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
        lines[start : stop + 1] = replacement(indent)
    return "\n".join(lines), len(regions)


def hidden_test_lines(source, where="cell"):
    """1-based line numbers (markers included) of the hidden tests in a source."""
    regions = _marked_regions(source.split("\n"), BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS, where)
    return frozenset(n + 1 for start, stop in regions for n in range(start, stop + 1))


def strip_hidden_tests(source, where="cell"):
    """The source without its hidden-test blocks (what the student sees)."""
    stripped, count = _replace_regions(
        source, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS, lambda indent: [], where
    )
    # The blank lines that separated visible from hidden tests would dangle at the end.
    return stripped.rstrip() if count else source


def solution_stub(cell, where="cell"):
    """The student version of a solution cell's source.

    Code: each solution block becomes `# YOUR CODE HERE` / `raise NotImplementedError()` at
    the block's indentation (a code solution cell without a block is an authoring error).
    Markdown: each block becomes `YOUR ANSWER HERE`; without a block the whole cell does,
    as in nbgrader.
    """
    source = source_text(cell)
    if cell.get("cell_type") == "code":
        stubbed, count = _replace_regions(
            source,
            BEGIN_SOLUTION,
            END_SOLUTION,
            lambda indent: [indent + line for line in CODE_STUB],
            where,
        )
        if count == 0:
            hint = (
                "; it looks like a released student version: use the instructor's notebook"
                if CODE_STUB[1] in source
                else ""
            )
            raise MarkerError(f"{where}: solution cell has no '{BEGIN_SOLUTION}' block{hint}")
        return stubbed
    stubbed, count = _replace_regions(
        source, BEGIN_SOLUTION, END_SOLUTION, lambda indent: [indent + TEXT_STUB], where
    )
    return stubbed if count else TEXT_STUB


def checks_called(source):
    """Names passed to `expect(...)` in a test cell, in order of first appearance."""
    return tuple(dict.fromkeys(match.group(2) for match in _EXPECT_CALL.finditer(source)))


def find_exercises(cells):
    """Every graded item of a notebook (a list of cell dicts), in cell order."""
    exercises, span_start = [], 0
    for index, cell in enumerate(cells):
        where = f"cell {index} ({grade_id(cell)})"
        if is_test_cell(cell):
            source = source_text(cell)
            exercises.append(
                Exercise(
                    grade_id=grade_id(cell),
                    cell_index=index,
                    points=points(cell),
                    manual=False,
                    checks=checks_called(source),
                    span=tuple(range(span_start, index + 1)),
                    hidden_lines=hidden_test_lines(source, where),
                )
            )
            span_start = index + 1
        elif is_manual_cell(cell):
            exercises.append(Exercise(grade_id(cell), index, points(cell), manual=True))
    return exercises


def notebook_paths(sources):
    """The .ipynb files named by `sources` (files, or directories searched non-recursively)."""
    paths = []
    for source in map(Path, sources):
        if source.is_dir():
            paths.extend(sorted(source.glob("*.ipynb")))
        elif source.is_file():
            paths.append(source)
        else:
            raise FileNotFoundError(f"source {str(source)!r} is neither a notebook nor a directory")
    names = [path.name for path in paths]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"two source notebooks share the file name {duplicates[0]!r}")
    return paths


def read_source(path):
    """The instructor's notebook (trusted), as an nbformat v4 NotebookNode.

    Cells of an nbformat 4.5 notebook that lack an id get "cell-<index>": nbformat would
    invent random ids, and a release must be byte-identical from run to run.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("nbformat") == 4 and data.get("nbformat_minor", 0) >= 5:
        for index, cell in enumerate(data.get("cells", [])):
            cell.setdefault("id", f"cell-{index}")
    return nbformat.reads(json.dumps(data), as_version=4)
