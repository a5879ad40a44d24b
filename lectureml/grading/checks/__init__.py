"""Checks of the course's exercises: one module per notebook (nb04_convolution.py, ...).

Each module registers its checks with `function_check` / `value_check` (see the docstring of
lectureml.grading). Name checks "<NN>-<exercise>" after their notebook nbNN_*.py: `expect`
then imports only that notebook's module; any other name imports every module here.
"""
