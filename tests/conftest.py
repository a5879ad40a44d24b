"""Collection rules for the whole test suite.

nbval (pyproject's addopts pass --nbval) re-checks the course notebooks in notebooks/ only:
notebooks kept under tests/ are fixtures (grading submissions, some broken on purpose,
browser fixtures, released copies) and are never collected, nor are the grading
fixtures' helper modules and the wrong-answer data.

pytest-xdist runs one worker per core; each worker (and each notebook kernel it starts) gets
one BLAS thread, because two multi-threaded BLAS pools on two cores slowed a training step
from about 17 ms to 150-460 ms by oversubscription.
"""

import os
import sys

import pytest

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

collect_ignore_glob = ["*.ipynb", "grading_fixtures/*", "wrong_answers/*"]


@pytest.fixture(autouse=True)
def close_figures():
    """Close every matplotlib figure a test opened, so hundreds of plotting tests do not pile up
    figures (and matplotlib's more-than-20-figures warning). Tests that never import pyplot pay
    nothing."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
