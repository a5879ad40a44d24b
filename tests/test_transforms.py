"""Geometric transforms: exact integer cases, conventions, dtype and argument errors."""

import numpy as np
import pytest

from lectureml import transforms


def _random_batch(rng, n=3, c=2, h=7, w=9, dtype=np.float64):
    return rng.random((n, c, h, w)).astype(dtype)


def test_integer_shift_moves_pixels_exactly_with_zero_fill():
    rng = np.random.default_rng(0)
    images = _random_batch(rng)
    shifted = transforms.shift(images, 2, -3)
    expected = np.zeros_like(images)
    expected[:, :, 2:, :-3] = images[:, :, :-2, 3:]
    np.testing.assert_array_equal(shifted, expected)


def test_per_image_shifts_are_applied_to_their_own_image():
    rng = np.random.default_rng(1)
    images = _random_batch(rng, n=2)
    shifted = transforms.shift(images, np.array([1.0, 0.0]), np.array([0.0, -1.0]))
    np.testing.assert_array_equal(shifted[0, :, 1:], images[0, :, :-1])
    np.testing.assert_array_equal(shifted[0, :, 0], 0.0)
    np.testing.assert_array_equal(shifted[1, :, :, :-1], images[1, :, :, 1:])
    np.testing.assert_array_equal(shifted[1, :, :, -1], 0.0)


def test_half_pixel_shift_averages_neighbours():
    images = np.zeros((1, 1, 1, 4))
    images[0, 0, 0, 1] = 1.0
    shifted = transforms.shift(images, 0, 0.5)
    np.testing.assert_allclose(shifted[0, 0, 0], [0.0, 0.5, 0.5, 0.0])


def test_rotate_90_degrees_matches_rot90_counter_clockwise():
    rng = np.random.default_rng(2)
    images = _random_batch(rng, h=6, w=6)
    rotated = transforms.rotate(images, 90.0)
    np.testing.assert_allclose(rotated, np.rot90(images, k=1, axes=(2, 3)), atol=1e-12)


def test_rotate_minus_90_is_clockwise():
    rng = np.random.default_rng(3)
    images = _random_batch(rng, h=5, w=5)
    rotated = transforms.rotate(images, -90.0)
    np.testing.assert_allclose(rotated, np.rot90(images, k=-1, axes=(2, 3)), atol=1e-12)


def test_identity_parameters_return_the_input():
    rng = np.random.default_rng(4)
    images = _random_batch(rng)
    np.testing.assert_array_equal(transforms.rotate(images, 0.0), images)
    np.testing.assert_array_equal(transforms.scale(images, 1.0), images)
    np.testing.assert_array_equal(transforms.shift(images, 0, 0), images)


def test_scale_two_reads_the_centre_at_half_distance():
    # A 5x5 ramp along columns: zooming by 2 about column 2 halves every offset from it.
    images = np.tile(np.arange(5.0), (1, 1, 5, 1))
    zoomed = transforms.scale(images, 2.0)
    np.testing.assert_allclose(zoomed[0, 0, 2], [1.0, 1.5, 2.0, 2.5, 3.0])


def test_shrinking_leaves_a_zero_border():
    images = np.ones((1, 1, 9, 9))
    shrunk = transforms.scale(images, 0.5)
    assert shrunk[0, 0, 0, 0] == 0.0
    assert shrunk[0, 0, 4, 4] == 1.0


def test_rotation_moves_a_blob_counter_clockwise_about_the_centre():
    # A smooth blob 6 px right of the centre of a 29x29 image: after a 30 degree
    # counter-clockwise turn its centre of mass sits 3 px up and 6 cos(30) px right.
    rows, cols = np.mgrid[0:29, 0:29].astype(float)
    blob = np.exp(-((rows - 14) ** 2 + (cols - 20) ** 2) / 4.0)[None, None]
    turned = transforms.rotate(blob, 30.0)[0, 0]
    mass = turned.sum()
    centre_row = (turned * rows).sum() / mass
    centre_col = (turned * cols).sum() / mass
    np.testing.assert_allclose(
        [centre_row, centre_col], [14 - 3.0, 14 + 6 * np.cos(np.pi / 6)], atol=0.02
    )
    assert abs(mass - blob.sum()) / blob.sum() < 0.01


def test_affine_warp_with_per_image_matrices():
    rng = np.random.default_rng(5)
    images = _random_batch(rng, n=2, h=6, w=6)
    matrices = np.stack([np.eye(2), np.array([[0.0, 1.0], [-1.0, 0.0]])])
    warped = transforms.affine_warp(images, matrices, np.zeros((2, 2)))
    np.testing.assert_array_equal(warped[0], images[0])
    np.testing.assert_allclose(warped[1], np.rot90(images[1], k=1, axes=(1, 2)), atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved(dtype):
    images = _random_batch(np.random.default_rng(6), dtype=dtype)
    for out in (
        transforms.shift(images, 0.5, 1),
        transforms.rotate(images, 10),
        transforms.scale(images, 1.1),
    ):
        assert out.dtype == dtype


def test_errors_name_argument_expected_and_given():
    images = np.zeros((2, 1, 5, 5))
    with pytest.raises(ValueError, match=r"images must have 4 dimensions \(N, C, H, W\).*got 2"):
        transforms.rotate(np.zeros((5, 5)), 10)
    with pytest.raises(TypeError, match=r"images must be a numpy array.*got list"):
        transforms.scale([[0.0]], 1.0)
    with pytest.raises(ValueError, match=r"rows must be .*shape \(2,\).*got shape \(3,\)"):
        transforms.shift(images, np.zeros(3), 0)
    with pytest.raises(TypeError, match=r"cols must be a number .*got str 'x'"):
        transforms.shift(images, 0, "x")
    with pytest.raises(ValueError, match=r"degrees must be finite, got nan"):
        transforms.rotate(images, float("nan"))
    with pytest.raises(ValueError, match=r"factor must be > 0, got -1.0"):
        transforms.scale(images, -1.0)
    with pytest.raises(
        ValueError,
        match=r"matrix must have shape \(2, 2\) or \(2, 2, 2\) for 2 images, got shape \(3, 3\)",
    ):
        transforms.affine_warp(images, np.eye(3), np.zeros(2))
    with pytest.raises(
        ValueError,
        match=r"offset must have shape \(2,\) or \(2, 2\) for 2 images, got shape \(3,\)",
    ):
        transforms.affine_warp(images, np.eye(2), np.zeros(3))


@pytest.mark.parametrize(
    ("value", "given"),
    [
        (np.array([1 + 5j, 0]), "dtype complex128"),
        (np.array(["1", "0"]), "dtype <U1"),
        (np.array([True, False]), "dtype bool"),
        (np.bool_(True), "bool np.True_"),
    ],
)
def test_per_image_amounts_must_be_real_numbers_not_complex_strings_or_bools(value, given):
    with pytest.raises(
        TypeError,
        match=r"rows must be a number or an array of shape \(2,\) of ints or floats, got .*"
        + given,
    ):
        transforms.shift(np.zeros((2, 1, 5, 5)), value, 0)
