"""Interactive ipywidgets explorers for the notebooks, one module per topic."""
