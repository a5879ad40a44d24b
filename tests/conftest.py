"""Collection rules for the whole test suite.

nbval (pyproject's addopts pass --nbval) re-checks the course notebooks in notebooks/ only:
notebooks kept under tests/ are fixtures (grading submissions, some broken on purpose,
browser fixtures, released copies) and are never collected, nor are the grading
fixtures' helper modules and the wrong-answer data.
"""

collect_ignore_glob = ["*.ipynb", "grading_fixtures/*", "wrong_answers/*"]
