"""Figures for the notebooks, one module per topic, so cells stay short.

Every function returns the matplotlib Figure it drew and never calls ``plt.show()``;
the notebook decides when to display it.
"""
