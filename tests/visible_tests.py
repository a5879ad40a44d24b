"""Run the visible part of an exercise's test cell, as a student of the released notebook does.

Shared by tests/test_visible_tests_*.py, which check that each plausible wrong answer of
tests/wrong_answers/ already fails the visible test (with a message for the student) before
the hidden check rejects it, and that the instructor's solution passes.
"""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
WRONG_ANSWERS_DIR = Path(__file__).parent / "wrong_answers"


def exercise_cells(notebook):
    """grade_id -> source of every exercise cell of notebooks/<notebook>.ipynb."""
    nb = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    return {
        cell["metadata"]["nbgrader"]["grade_id"]: "".join(cell["source"])
        for cell in nb["cells"]
        if "nbgrader" in cell["metadata"]
    }


def run_visible(notebook, grade_id, namespace):
    """Run the test cell of `grade_id` as released (the hidden tests cut off) in namespace."""
    source = exercise_cells(notebook)[f"{grade_id}-tests"]
    exec(source.split("### BEGIN HIDDEN TESTS")[0], namespace)


def run_solution(notebook, grade_id, namespace):
    """Run the instructor's solution cell of `grade_id` in namespace; return the namespace."""
    exec(exercise_cells(notebook)[grade_id], namespace)
    return namespace


def load_wrong_answers(module):
    """tests/wrong_answers/<module>.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location(
        f"visible_{module}", WRONG_ANSWERS_DIR / f"{module}.py"
    )
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def fails_with(notebook, grade_id, namespace, *phrases):
    """Run the visible test; it must fail with an AssertionError whose message holds every
    phrase. Returns the error (its __cause__ is the student's own error, if any)."""
    with pytest.raises(AssertionError) as raised:
        run_visible(notebook, grade_id, namespace)
    message = str(raised.value)
    for phrase in phrases:
        assert phrase in message, f"{phrase!r} not in the message:\n{message}"
    return raised.value


def answer_id(value):
    """A parametrize id: a wrong answer's function name (None for values, so pytest numbers
    them)."""
    return getattr(value, "__name__", None)
