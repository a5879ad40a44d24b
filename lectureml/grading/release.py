"""Release: the student version of an instructor notebook.

- code solution blocks become `# YOUR CODE HERE` / `raise NotImplementedError()`, written
  answers' blocks become `YOUR ANSWER HERE`, and solution cells are un-collapsed;
- hidden tests are removed;
- test cells become read-only and undeletable in JupyterLab (`editable`/`deletable` false);
- every code cell loses its outputs, execution count and timing metadata, and the notebook
  its saved widget state;
- every code cell records a fingerprint of its released source in its metadata
  (`lectureml.source`): the self-check tells by it which cells a student added or changed,
  which the grader does not run; every exercise cell also records its grade_id
  (`lectureml.grade_id`), which still finds the cell if its nbgrader grade_id is edited;
- everything else is kept as it is. The same input always gives byte-identical output.
"""

import copy
from pathlib import Path

import nbformat

from lectureml.grading.notebook import (
    BEGIN_HIDDEN_TESTS,
    BEGIN_SOLUTION,
    RELEASE_METADATA,
    MarkerError,
    fingerprint,
    grade_id,
    is_solution_cell,
    is_test_cell,
    notebook_paths,
    read_source,
    solution_stub,
    source_text,
    strip_hidden_tests,
)


def _uncollapse(cell):
    jupyter = cell.metadata.get("jupyter")
    if isinstance(jupyter, dict) and "source_hidden" in jupyter:
        del jupyter["source_hidden"]
        if not jupyter:
            del cell.metadata["jupyter"]


def release_cell(cell, index):
    """The student version of one cell (a copy; the instructor's cell is untouched)."""
    cell = copy.deepcopy(cell)
    where = f"cell {index} ({grade_id(cell) or cell.get('id', 'no id')})"
    source = source_text(cell)
    if is_solution_cell(cell):
        cell.source = solution_stub(cell, where)
        _uncollapse(cell)
    elif BEGIN_SOLUTION in source:
        raise MarkerError(
            f"{where} contains '{BEGIN_SOLUTION}' but its nbgrader metadata does not mark it "
            f"as a solution cell; the solution would reach students"
        )
    else:
        cell.source = strip_hidden_tests(source, where)
    if is_test_cell(cell):
        cell.metadata["editable"] = False
        cell.metadata["deletable"] = False
    elif BEGIN_HIDDEN_TESTS in source:
        raise MarkerError(f"{where} has hidden tests but is not an nbgrader test cell")
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)  # the instructor's run's timestamps
        # Beside what the author put there, such as a test cell's "visible_test" mark.
        cell.metadata.setdefault(RELEASE_METADATA, {})["source"] = fingerprint(source_text(cell))
    if grade_id(cell) is not None:
        # Kept apart from nbgrader's, which a student can edit: the grader finds a solution
        # cell whose grade_id was changed by this one, and the self-check says so.
        cell.metadata.setdefault(RELEASE_METADATA, {})["grade_id"] = grade_id(cell)
    return cell


def release_notebook(nb):
    """The student version of a notebook (a new NotebookNode)."""
    released = copy.deepcopy(nb)
    released.cells = [release_cell(cell, index) for index, cell in enumerate(nb.cells)]
    # The widgets' saved state is output too (plots, progress bars of the instructor's run).
    released.metadata.pop("widgets", None)
    return released


def release(sources, out_dir):
    """Write the student version of each source notebook (files or directories) to out_dir.

    Returns the written paths. Raises MarkerError, naming the notebook and cell, when a
    solution or hidden-test marker is misplaced, before writing anything.
    """
    out_dir = Path(out_dir)
    released = []
    for path in notebook_paths(sources):
        try:
            released.append((out_dir / path.name, release_notebook(read_source(path))))
        except MarkerError as error:
            raise MarkerError(f"{path}: {error}") from None
    out_dir.mkdir(parents=True, exist_ok=True)
    for target, nb in released:
        text = nbformat.writes(nb)
        target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return [target for target, _ in released]
