"""5,000 real MNIST digits shipped inside the package, so the course works offline.

The file mnist_subset.npz holds a fixed stratified split: 4,000 training digits
(400 of each digit) and 1,000 test digits (100 of each), stored as uint8. How it
was made, and where the digits come from, is in MNIST_SUBSET.md next to it.
"""

import functools
import importlib.resources

import numpy as np

from lectureml.data.mnist import _to_model_arrays

SUBSET_FILE = "mnist_subset.npz"


@functools.lru_cache(maxsize=1)
def _read_subset():
    """The stored uint8 arrays, read once per process and made read-only."""
    # importlib.resources rather than __file__: the package may be imported from a zip or wheel.
    resource = importlib.resources.files(__package__).joinpath(SUBSET_FILE)
    with resource.open("rb") as stream, np.load(stream) as archive:
        arrays = {key: archive[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    for array in arrays.values():
        array.flags.writeable = False
    return arrays


def load_mnist_subset():
    """4,000 training and 1,000 test handwritten digits, available without a network.

    The split is stratified (400 training and 100 test images per digit) and always
    the same. The file is decoded once per process; every call returns new arrays,
    so changing them in place (normalising, shuffling) never affects a later call.

    Returns:
        x_train: float32 (4000, 1, 28, 28), pixel values in [0, 1] (0 is background).
        y_train: int64 (4000,), digits 0 to 9, in shuffled order.
        x_test: float32 (1000, 1, 28, 28), pixel values in [0, 1].
        y_test: int64 (1000,), digits 0 to 9, in shuffled order.
    """
    arrays = _read_subset()
    x_train, y_train = _to_model_arrays(arrays["x_train"], arrays["y_train"], SUBSET_FILE)
    x_test, y_test = _to_model_arrays(arrays["x_test"], arrays["y_test"], SUBSET_FILE)
    return x_train, y_train, x_test, y_test
