"""The full MNIST set (60,000 training and 10,000 test digits), downloaded once and cached.

load_mnist fetches the four original IDX files from the first mirror that answers,
checks each against its published MD5 sum, keeps them in a cache directory and
decodes them with numpy. The cache directory is, in order of precedence:

1. the `cache_dir` argument (the files go directly into it);
2. $LECTUREML_DATA_DIR/mnist;
3. $XDG_CACHE_HOME/lectureml/mnist, or ~/.cache/lectureml/mnist without XDG_CACHE_HOME.

Course notebooks use the 5,000 digits shipped with the package instead
(lectureml.data.load_mnist_subset), which needs no network.
"""

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from lectureml._validate import check_positive_number, describe
from lectureml.data._download import fetch_verified
from lectureml.data._idx import parse_idx

MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
"""Base URLs tried in order; the original site comes last because it is often down."""

# The MD5 sums published for the original files (the same ones torchvision checks).
# Tests replace this table to serve small files of their own.
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}

IMAGE_SIZE = 28
NUM_CLASSES = 10


def _cache_directory(cache_dir):
    """The directory that holds (or will hold) the four MNIST files."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    data_root = os.environ.get("LECTUREML_DATA_DIR")
    if data_root:
        return Path(data_root).expanduser() / "mnist"
    cache_root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_root).expanduser() / "lectureml" / "mnist"


def _check_mirrors(mirrors):
    """Base URLs as a list, each ending in "/"; the defaults when `mirrors` is None."""
    if mirrors is None:
        return list(MNIST_MIRRORS)
    expected = f"a non-empty list of base URLs such as ['{MNIST_MIRRORS[0]}']"
    if not isinstance(mirrors, (list, tuple)):
        raise TypeError(f"mirrors must be {expected}, got {describe(mirrors)}")
    if not mirrors:
        raise ValueError(f"mirrors must be {expected}, got an empty {type(mirrors).__name__}")
    for mirror in mirrors:
        if not isinstance(mirror, str) or not mirror.startswith(("http://", "https://")):
            raise ValueError(
                "every entry of mirrors must be an http:// or https:// base URL such as "
                f"'{MNIST_MIRRORS[0]}', got {describe(mirror)}"
            )
    return [mirror if mirror.endswith("/") else mirror + "/" for mirror in mirrors]


def _read_idx_gz(path, ndim):
    """Decompress and decode one cached IDX file."""
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(f"{path} is not a valid gzip file: {error}") from error
    return parse_idx(raw, path.name, ndim)


def _to_model_arrays(images, labels, source):
    """(N, 28, 28) uint8 images and (N,) labels -> float32 (N, 1, 28, 28) in [0, 1], int64 (N,)."""
    if images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
        raise ValueError(
            f"{source}: images must be {IMAGE_SIZE}x{IMAGE_SIZE} pixels, "
            f"got shape {images.shape[1:]}"
        )
    if labels.shape != (images.shape[0],):
        raise ValueError(
            f"{source}: expected one label per image, shape ({images.shape[0]},), "
            f"got shape {labels.shape}"
        )
    if labels.size and labels.max() >= NUM_CLASSES:
        raise ValueError(
            f"{source}: labels must be digits 0 to {NUM_CLASSES - 1}, got {labels.max()}"
        )
    pixels = images.astype(np.float32)[:, None] / np.float32(255)
    return pixels, labels.astype(np.int64)


def load_mnist(cache_dir=None, mirrors=None, timeout=30.0):
    """The full MNIST data set, downloaded on first use and cached on disk.

    The first call downloads about 11 MB (four .gz files) with a progress bar;
    later calls only re-check the cached files' MD5 sums and decode them (about a
    second). See the module docstring for where the cache lives.

    Args:
        cache_dir: directory for the four files (str or path), created if missing;
            None for the default cache directory.
        mirrors: list of base URLs to try in order; None for MNIST_MIRRORS.
        timeout: seconds to wait for a mirror to answer before trying the next one.

    Returns:
        x_train: float32 (60000, 1, 28, 28), pixel values in [0, 1].
        y_train: int64 (60000,), digits 0 to 9.
        x_test: float32 (10000, 1, 28, 28), pixel values in [0, 1].
        y_test: int64 (10000,), digits 0 to 9.

    Raises:
        DownloadError: when a file could not be fetched intact from any mirror.
    """
    if cache_dir is not None and not isinstance(cache_dir, (str, os.PathLike)):
        raise TypeError(
            f"cache_dir must be None or a directory path (str or pathlib.Path), "
            f"got {describe(cache_dir)}"
        )
    mirrors = _check_mirrors(mirrors)
    timeout = check_positive_number(timeout, "timeout")
    directory = _cache_directory(cache_dir)
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"cache_dir must be a directory, got {directory}, which is a file")
    directory.mkdir(parents=True, exist_ok=True)

    paths = {}
    for file_name, md5 in MNIST_MD5.items():
        paths[file_name], serving_mirror = fetch_verified(
            file_name, md5, directory, mirrors, timeout
        )
        if serving_mirror is not None:
            # A mirror that just worked is the best bet for the remaining files.
            mirrors.remove(serving_mirror)
            mirrors.insert(0, serving_mirror)

    arrays = []
    for split in ("train", "t10k"):
        images = _read_idx_gz(paths[f"{split}-images-idx3-ubyte.gz"], ndim=3)
        labels = _read_idx_gz(paths[f"{split}-labels-idx1-ubyte.gz"], ndim=1)
        arrays.extend(_to_model_arrays(images, labels, f"MNIST {split} files in {directory}"))
    return tuple(arrays)
