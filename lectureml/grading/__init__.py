"""Grading: release student versions, grade submissions, let students check themselves.

Exercises follow nbgrader's metadata and markers (NOTEBOOKS.md). Hidden tests hand the
student's answer to `expect(check_name, answer)`; the *check* it names is registered in
`lectureml/grading/checks/<nbmodule>.py` (one module per course notebook, imported
automatically). In JupyterLab, nbval or nbgrader `expect` decides in the kernel and raises
AssertionError on a wrong answer; under `lectureml-grade grade` it only records what it saw,
and the grader decides in its own process, out of reach of a student who monkeypatches numpy.

Writing an exercise
-------------------
1. In `lectureml/grading/checks/nb04_convolution.py` register a check per exercise::

       import numpy as np

       from lectureml.grading import call, function_check, value_check


       def conv_cases(rng):
           # Any mix of shapes, dtypes and edge cases; rng is seeded from the check's name.
           x = rng.standard_normal((2, 3, 5, 5))
           w = rng.standard_normal((4, 3, 3, 3))
           return [(x, w), call(x.astype(np.float32), w.astype(np.float32), padding=1)]


       @function_check("04-conv2d", cases=conv_cases, rtol=1e-6, atol=1e-8, check_dtype=True)
       def conv2d_reference(x, w, padding=0):
           ...  # the reference implementation; its outputs are what the student must match


       value_check("04-output-shape", expected=(8, 16, 30, 30))   # a fixed answer


       @value_check("04-edge-kernel")        # an answer judged by what it does
       def judge_edge_kernel(kernel):
           kernel = np.asarray(kernel, dtype=float)   # validate first: any value can arrive
           if kernel.shape != (3, 3):
               return False, f"the kernel must be 3 x 3, got shape {kernel.shape}"
           ...
           return True, ""

   Name checks "<NN>-<exercise>" in module nbNN_<topic>.py: `expect` then imports only that
   module. A function check calls the student's function on every case (a tuple of positional
   arguments, a dict of keyword arguments, or `call(*args, **kwargs)`) and compares each
   output with the reference's: same structure (tuples, lists, dicts), same array shapes,
   values within |got - expected| <= atol + rtol * |expected|, and the reference's dtype
   when `check_dtype=True`. A value check compares the answer with `expected` (numbers and
   arrays within rtol/atol, tuples and lists item by item, dicts key by key), or asks the
   judge, which runs in the grader on plain data (numbers, str, lists, tuples, dicts, numpy
   arrays) and returns (ok, message). Its message is shown to the student: say what is wrong,
   never what the answer is.

2. In the notebook, the test cell (nbgrader `grade: true`, `points: N`) has visible asserts,
   then the hidden tests, which import `expect` themselves::

       assert conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3))).shape == (1, 1, 1, 1)
       ### BEGIN HIDDEN TESTS
       from lectureml.grading import expect

       expect("04-conv2d", conv2d)
       ### END HIDDEN TESTS

   An exercise earns its points when its test cell runs without error and every check it
   names (the grader reads the `expect("...")` calls of the source's test cell, so write
   the name as a string literal) received a record from that cell and accepted it. Keep
   cases small: outputs travel as JSON (at most 4 million elements per array).

3. Add at least two plausible wrong answers per check to `tests/wrong_answers/<nbmodule>.py`
   as `WRONG_ANSWERS = {"04-conv2d": [flipped_kernel_conv, ...], "04-output-shape":
   [(8, 16, 32, 32), ...]}` (functions for function checks, values for value checks);
   tests/test_grading_checks.py requires two per registered check and runs each through the
   grader's decision. A working example: tests/grading_fixtures/source/fixture.ipynb with
   its checks in lectureml/grading/checks/fixture.py.

Commands (docs/grading.md has the instructor's and the student's workflow)::

    lectureml-grade release notebooks/ --out student/
    lectureml-grade grade --source notebooks/ submissions/ --out graded/ --jobs 2
    lectureml-grade check 04-convolution.ipynb

and `lectureml.grading.check()` in a notebook cell runs the saved notebook's visible tests
(in a fresh kernel: tag such a cell `nbval-skip` in a committed notebook).
"""

import importlib

# Imported on first use: the grader's child processes import this package without numpy,
# and the self-check's nbclient stays out of hidden tests, which only need `expect`.
_EXPORTS = {
    "call": "registry",
    "check": "selfcheck",
    "expect": "expectations",
    "function_check": "registry",
    "value_check": "registry",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"lectureml.grading.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'lectureml.grading' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))
