"""Data for the course.

- Seeded toy sets: make_regression_1d (curves in 1-D) and make_classification_2d
  (two-class patterns in the plane). Both take an explicit numpy.random.Generator.
- load_mnist_subset: 5,000 real MNIST digits shipped with the package (offline).
- load_mnist: the full 70,000 MNIST digits, downloaded once into a cache directory.
"""

from lectureml.data._download import DownloadError
from lectureml.data.mnist import load_mnist
from lectureml.data.mnist_subset import load_mnist_subset
from lectureml.data.toy_sets import (
    CLASSIFICATION_KINDS,
    REGRESSION_FUNCTIONS,
    make_classification_2d,
    make_regression_1d,
)

__all__ = [
    "CLASSIFICATION_KINDS",
    "REGRESSION_FUNCTIONS",
    "DownloadError",
    "load_mnist",
    "load_mnist_subset",
    "make_classification_2d",
    "make_regression_1d",
]
