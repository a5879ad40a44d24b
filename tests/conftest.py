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

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

collect_ignore_glob = ["*.ipynb", "grading_fixtures/*", "wrong_answers/*"]
