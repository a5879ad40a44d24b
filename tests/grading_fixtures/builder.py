"""Builds the grading fixtures: an instructor notebook and a class of submissions.

    python tests/grading_fixtures/builder.py     # rewrites source/ and submissions/

The files are committed; tests/test_grading_class.py checks they are what this script
writes, so edit the script, never the files. Each submission starts from the released
student version, as a real student's does, and is one robustness case.
"""

import json
import sys
from pathlib import Path

import nbformat
from lectureml.grading.release import release_notebook
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source" / "fixture.ipynb"
SUBMISSIONS = HERE / "submissions"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _solution(cell_id, grade_id, source, cell_type="code", points=None):
    nbgrader = {
        "grade": points is not None,
        "solution": True,
        "locked": False,
        "task": False,
        "grade_id": grade_id,
        "schema_version": 3,
    }
    if points is not None:
        nbgrader["points"] = points
    make = new_code_cell if cell_type == "code" else new_markdown_cell
    metadata = {"nbgrader": nbgrader}
    if cell_type == "code":
        metadata["jupyter"] = {"source_hidden": True}
    return make(source, id=cell_id, metadata=metadata)


def _tests(cell_id, grade_id, source, points):
    nbgrader = {
        "grade": True,
        "solution": False,
        "locked": True,
        "task": False,
        "points": points,
        "grade_id": grade_id,
        "schema_version": 3,
    }
    return new_code_cell(source, id=cell_id, metadata={"nbgrader": nbgrader})


RELU_SOLUTION = '''def relu(a):
    """Elementwise max(0, a), keeping the shape and dtype of `a`."""
    ### BEGIN SOLUTION
    return np.where(a > 0, a, np.zeros_like(a))
    ### END SOLUTION'''

RELU_TESTS = """a = np.array([-1.0, 0.0, 0.5])
assert np.allclose(relu(a), [0.0, 0.0, 0.5]), "relu zeroes the negative entries, keeps the rest"
### BEGIN HIDDEN TESTS
from lectureml.grading import expect

expect("fixture-relu", relu)
### END HIDDEN TESTS"""

SHAPE_SOLUTION = """### BEGIN SOLUTION
conv_output_shape = (8, 16, 30, 30)
### END SOLUTION"""

SHAPE_TESTS = """assert len(conv_output_shape) == 4, "the output has four axes (N, C, H, W)"
### BEGIN HIDDEN TESTS
from lectureml.grading import expect

expect("fixture-shape", conv_output_shape)
### END HIDDEN TESTS"""

KERNEL_SOLUTION = """### BEGIN SOLUTION
edge_kernel = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
### END SOLUTION"""

KERNEL_TESTS = """assert np.shape(edge_kernel) == (3, 3), "the kernel is 3 x 3"
### BEGIN HIDDEN TESTS
from lectureml.grading import expect

expect("fixture-kernel", edge_kernel)
### END HIDDEN TESTS"""

WRITTEN_ANSWER = """### BEGIN SOLUTION
For a positive input ReLU's derivative is exactly 1, so the error signal passes back through
many layers without shrinking; the sigmoid's derivative is at most 1/4 and vanishes for large
inputs, so deep sigmoid networks learn slowly in their first layers.
### END SOLUTION"""


def source_notebook():
    cells = [
        new_markdown_cell(
            "# Grading fixture\n\nA tiny notebook in the course's exercise format, used to "
            "test `lectureml.grading`.",
            id="title",
        ),
        new_code_cell("import numpy as np", id="imports"),
        new_markdown_cell(
            "## Exercise 1: ReLU (2 points)\n\nImplement $\\mathrm{ReLU}(a) = \\max(0, a)$ "
            "elementwise for an array of any shape, keeping its dtype.",
            id="relu-task",
        ),
        _solution("relu-solution", "fixture-relu", RELU_SOLUTION),
        _tests("relu-tests", "fixture-relu-tests", RELU_TESTS, 2),
        new_markdown_cell(
            "## Exercise 2: predict a shape (1 point)\n\nA batch of 8 RGB images of 32 x 32 "
            "pixels passes through a convolution layer with 16 filters of 3 x 3, stride 1 and "
            "no padding. Set `conv_output_shape` to the output's shape (N, C, H, W).",
            id="shape-task",
        ),
        _solution("shape-solution", "fixture-shape", SHAPE_SOLUTION),
        _tests("shape-tests", "fixture-shape-tests", SHAPE_TESTS, 1),
        new_markdown_cell(
            "## Exercise 3: design a kernel (1 point)\n\nDesign a 3 x 3 kernel `edge_kernel` "
            "that responds to vertical edges and gives zero on flat regions and on "
            "horizontal edges.",
            id="kernel-task",
        ),
        _solution("kernel-solution", "fixture-kernel", KERNEL_SOLUTION),
        _tests("kernel-tests", "fixture-kernel-tests", KERNEL_TESTS, 1),
        new_markdown_cell(
            "## Exercise 4: explain (1 point, graded by a person)\n\nWhy does ReLU help deep "
            "networks learn where the sigmoid struggles?",
            id="explain-task",
        ),
        _solution("explain-answer", "fixture-explain", WRITTEN_ANSWER, "markdown", points=1),
        new_markdown_cell("Run `lectureml.grading.check()` to check yourself.", id="end"),
    ]
    return new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})


# --- the class of submissions --------------------------------------------------------------

CORRECT = {
    "fixture-relu": 'def relu(a):\n    """Elementwise max(0, a)."""\n    return np.maximum(a, 0)',
    "fixture-shape": "conv_output_shape = (8, 16, 30, 30)",
    "fixture-kernel": "edge_kernel = np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]])",
    "fixture-explain": "Its gradient is 1 for positive inputs, so it does not vanish.",
}
# Plausible mistakes that pass the visible asserts and only the hidden checks catch.
WRONG = {
    "fixture-relu": "def relu(a):\n    return np.clip(a, 0, 1)",
    "fixture-shape": "conv_output_shape = (8, 16, 32, 32)",
    "fixture-kernel": "edge_kernel = np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]).T",
    "fixture-explain": "It is faster.",
}
MONKEYPATCHES = {
    "fixture-relu": "import numpy\n\nnumpy.allclose = lambda *args, **kwargs: True\n",
    "fixture-shape": (
        "import lectureml.grading\n\nlectureml.grading.expect = lambda *args, **kwargs: None\n"
    ),
    "fixture-kernel": (
        "import lectureml.grading.expectations as expectations\n"
        "from lectureml.grading.verdict import Verdict\n\n"
        "expectations.decide = lambda record: Verdict(True)\n"
        "np.isfinite = lambda *args, **kwargs: True\n"
    ),
}
INFINITE_LOOP = "while True:\n    pass\n"
STUBBORN_LOOP = (
    "import time\n\nwhile True:\n    try:\n        time.sleep(0.05)\n"
    "    except KeyboardInterrupt:\n        pass\n"
)
MEMORY_BOMB = "hoard = []\nwhile True:\n    hoard.append(np.ones(12_500_000))\n"
HUGE_OUTPUT_RELU = (
    'print("x" * 5_000_000)\n\n\ndef relu(a):\n    raise ValueError("boom " * 200_000)'
)


def _answers(base=CORRECT, **changes):
    return {**base, **{key.replace("_", "-"): value for key, value in changes.items()}}


def _fill(released, answers):
    """The released notebook with its solution cells replaced by `answers` (by grade_id)."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(released)))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def _without(nb, *cell_ids):
    nb.cells = [cell for cell in nb.cells if cell.id not in cell_ids]
    return nb


def _cell(nb, cell_id):
    return next(cell for cell in nb.cells if cell.id == cell_id)


def submissions(released):
    """{student: notebook, or raw bytes for files that are not notebooks}."""
    class_ = {
        "correct": _fill(released, CORRECT),
        "wrong": _fill(released, WRONG),
        "blank": _fill(released, {}),
        "partly_correct": _fill(released, _answers(fixture_shape=WRONG["fixture-shape"])),
        "exception_before": _fill(
            released,
            _answers(fixture_relu="import numpy.no_such_module\n\n" + CORRECT["fixture-relu"]),
        ),
        "infinite_loop": _fill(
            released, _answers(fixture_relu=INFINITE_LOOP + CORRECT["fixture-relu"])
        ),
        "stubborn_loop": _fill(
            released, _answers(fixture_shape=STUBBORN_LOOP + CORRECT["fixture-shape"])
        ),
        "kernel_exit": _fill(released, _answers(fixture_shape="import os\n\nos._exit(1)\n")),
        "memory_bomb": _fill(
            released, _answers(fixture_kernel=MEMORY_BOMB + CORRECT["fixture-kernel"])
        ),
        "missing_exercise": _without(_fill(released, CORRECT), "shape-solution"),
        "monkeypatch": _fill(
            released,
            {name: MONKEYPATCHES.get(name, "") + answer for name, answer in WRONG.items()},
        ),
        "huge_output": _fill(released, _answers(fixture_relu=HUGE_OUTPUT_RELU)),
        "invalid_json": b'{"cells": [{"cell_type": "code", "source": "relu = ',
        "not_a_notebook": b'{"name": "my grocery list", "items": ["eggs", "milk"]}\n',
        "empty_file": b"",
    }

    extra = _fill(released, CORRECT)
    extra.cells.insert(5, new_code_cell("relu = None  # an extra cell, ignored", id="mine"))
    extra.cells.append(new_code_cell('raise SystemExit("an extra cell")', id="mine-too"))
    extra.cells.append(new_markdown_cell("My notes.", id="notes"))
    class_["extra_cells"] = extra

    reordered = _fill(released, CORRECT)
    reordered.cells.reverse()
    class_["reordered_cells"] = reordered

    edited = _fill(released, _answers(fixture_relu="def relu(a):\n    return np.abs(a)"))
    _cell(edited, "relu-tests").source = "# these tests are fine\npass"
    class_["edited_test"] = edited

    deleted = _fill(released, _answers(fixture_relu="def relu(a):\n    return np.abs(a)"))
    class_["deleted_test"] = _without(deleted, "relu-tests")

    # One grade_id edited (release recorded the original), one edited with that record gone.
    renamed = _fill(released, CORRECT)
    _cell(renamed, "relu-solution").metadata["nbgrader"]["grade_id"] = "fixture-relu-v2"
    kernel = _cell(renamed, "kernel-solution")
    kernel.metadata["nbgrader"]["grade_id"] = "my-kernel"
    del kernel.metadata["lectureml"]
    class_["changed_grade_id"] = renamed
    return class_


def build(root=HERE):
    """Write source/fixture.ipynb and submissions/<student>/fixture.ipynb under root."""
    source = source_notebook()
    written = {}
    written[root / "source" / "fixture.ipynb"] = nbformat.writes(source) + "\n"
    for student, content in submissions(release_notebook(source)).items():
        path = root / "submissions" / student / "fixture.ipynb"
        written[path] = content if isinstance(content, bytes) else nbformat.writes(content) + "\n"
    written[root / "submissions" / "missing_notebook" / "README.txt"] = (
        "This student handed in nothing but this note.\n"
    )
    for path, content in written.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return sorted(written)


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
