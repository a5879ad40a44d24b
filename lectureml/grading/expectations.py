"""`expect(check_name, answer)`: what a hidden test calls.

Two modes, chosen by the environment the kernel was started with:

- grading (`lectureml-grade grade` sets LECTUREML_GRADING_RECORD to a record file): the
  answer is observed (the student's function run on the check's cases, or the value itself)
  and appended to the record file. Nothing is decided in the kernel, so a student who
  replaces `np.allclose` or `expect` itself gains nothing: the grader decides from the
  records in its own process, and a missing record fails the exercise.
- anywhere else (JupyterLab, nbval, nbgrader): the same record is decided at once, in the
  kernel, and a rejected answer raises AssertionError saying which case failed and how.
"""

import json
import os

from lectureml.grading import records
from lectureml.grading.registry import get_check
from lectureml.grading.verdict import decide

RECORD_ENV = "LECTUREML_GRADING_RECORD"


def expect(check_name, answer):
    """Check `answer` (a function or a value) against the registered check `check_name`.

    Raises AssertionError when the answer is rejected (outside `grade`), LookupError when no
    check has that name.
    """
    __tracebackhide__ = True  # IPython then shows the hidden test's line, not our frames
    check = get_check(check_name)
    record = records.observe(check, answer)
    record_file = os.environ.get(RECORD_ENV)
    if record_file:
        records.append(record_file, record)
        return
    verdict = decide(json.loads(records.dumps(record)))
    if not verdict.ok:
        raise AssertionError(verdict.message)
