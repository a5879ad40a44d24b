"""Interactive ipywidgets explorers for the notebooks, one module per topic."""

import matplotlib.pyplot as plt
from IPython.display import display


def show_figure(output, fig):
    """Replace what the ipywidgets Output `output` shows by `fig`, then free the figure.

    Every explorer redraws through this on each slider move; closing the figure keeps pyplot
    from holding one more figure per move.
    """
    with output:
        output.clear_output(wait=True)
        display(fig)
    plt.close(fig)
