"""Tests for lectureml.images: the sample photo, grayscale conversion, shifts and the kernels."""

import numpy as np
import pytest

from lectureml.conv import conv2d
from lectureml.images import (
    KERNELS,
    load_sample_photo,
    relative_change,
    shift_image,
    to_grayscale,
)


def test_sample_photo_is_grayscale_in_unit_range():
    photo = load_sample_photo()
    assert photo.shape == (600, 512)
    assert photo.dtype == np.float64
    assert 0.0 <= photo.min() < 0.05 and 0.95 < photo.max() <= 1.0
    # A portrait, not a blank or a constant: plenty of distinct grey levels.
    assert np.unique(np.round(photo * 255)).size > 200


def test_grayscale_uses_luma_weights_for_uint8_and_float():
    rgb = np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]], dtype=np.uint8)
    expected = np.array([[0.299, 0.587], [0.114, 1.0]])
    np.testing.assert_allclose(to_grayscale(rgb), expected, atol=1e-12)
    np.testing.assert_allclose(to_grayscale(rgb / 255.0), expected, atol=1e-12)
    rgba = np.concatenate([rgb / 255.0, np.zeros((2, 2, 1))], axis=2)
    np.testing.assert_allclose(to_grayscale(rgba), expected, atol=1e-12)  # alpha ignored


def test_shift_moves_content_and_fills_zeros_without_wrapping():
    image = np.arange(1.0, 13.0).reshape(3, 4)
    down_left = shift_image(image, 1, -1)
    np.testing.assert_array_equal(
        down_left, [[0.0, 0.0, 0.0, 0.0], [2.0, 3.0, 4.0, 0.0], [6.0, 7.0, 8.0, 0.0]]
    )
    np.testing.assert_array_equal(shift_image(image, 0, 0), image)
    assert not shift_image(image, 3, 0).any()
    batch = np.stack([image, -image])[:, None]  # (2, 1, 3, 4)
    shifted = shift_image(batch.astype(np.float32), -2, 2)
    assert shifted.shape == batch.shape and shifted.dtype == np.float32
    np.testing.assert_array_equal(shifted[1, 0], [[0, 0, -9, -10], [0, 0, 0, 0], [0, 0, 0, 0]])


def test_convolution_commutes_with_a_shift_away_from_the_border():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(20, 24)).astype(np.float64)
    kernel = rng.integers(-3, 4, size=(1, 1, 3, 3)).astype(np.float64)
    shifted_then_conv = conv2d(shift_image(image, 2, -3)[None, None], kernel, padding=1)[0, 0]
    conv_then_shifted = shift_image(conv2d(image[None, None], kernel, padding=1)[0, 0], 2, -3)
    inner = (slice(3, -1), slice(1, -4))
    np.testing.assert_array_equal(shifted_then_conv[inner], conv_then_shifted[inner])
    assert not np.array_equal(shifted_then_conv, conv_then_shifted)  # the border differs


def test_kernels_do_what_their_names_say():
    rows, cols = np.meshgrid(np.arange(9), np.arange(9), indexing="ij")
    flat = np.full((9, 9), 0.6)
    vertical_edge = (cols >= 4).astype(float)  # brighter to the right
    horizontal_edge = (rows >= 4).astype(float)  # brighter below

    def respond(name, image):
        return conv2d(image[None, None], KERNELS[name][None, None])[0, 0]

    assert respond("edges in x", vertical_edge).max() == 4.0  # positive: brighter to the right
    assert not respond("edges in x", horizontal_edge).any()
    assert respond("edges in y", horizontal_edge).max() == 4.0
    assert not respond("edges in y", vertical_edge).any()
    for name in ("identity", "blur", "sharpen"):
        np.testing.assert_allclose(respond(name, flat), 0.6)  # weights sum to 1
    for name in ("edges in x", "edges in y"):
        np.testing.assert_allclose(respond(name, flat), 0.0, atol=1e-12)  # weights sum to 0


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ([[1, 2, 3]], TypeError, r"rgb must be a numpy array of shape \(H, W, 3\), got list"),
        (np.zeros((4, 4)), ValueError, r"rgb must have shape \(H, W, 3\).*got shape \(4, 4\)"),
        (np.zeros((2, 2, 3), dtype=np.int64), TypeError, "uint8 or a float dtype, got dtype int64"),
        (np.full((2, 2, 3), 2.0), ValueError, r"values in \[0, 1\].*got values from 2.0 to 2.0"),
    ],
)
def test_to_grayscale_rejects_bad_images(value, error, message):
    with pytest.raises(error, match=message):
        to_grayscale(value)


def test_load_sample_photo_rejects_unknown_names():
    with pytest.raises(
        ValueError, match=r"name must be one of \('grace_hopper.jpg',\), got 'x.png'"
    ):
        load_sample_photo("x.png")


def test_shift_image_rejects_bad_arguments():
    with pytest.raises(
        TypeError,
        match=r"images must be a numpy array of numbers \(bool, int or float\) of shape "
        r"\(..., H, W\), got list",
    ):
        shift_image([[1.0]], 1, 1)
    with pytest.raises(TypeError, match=r"images must be a numpy array of numbers .*dtype <U1"):
        shift_image(np.array([["a", "b"], ["c", "d"]]), 1, 0)
    with pytest.raises(ValueError, match=r"at least 2 dimensions \(..., H, W\), got 1 dimensions"):
        shift_image(np.zeros(3), 1, 1)
    with pytest.raises(TypeError, match=r"rows must be an integer, got float 1\.5"):
        shift_image(np.zeros((3, 3)), 1.5, 0)


def test_relative_change_is_the_norm_of_the_difference_over_the_norm_of_before():
    before = np.array([[3.0, 0.0], [0.0, 4.0]])  # norm 5
    assert relative_change(before, before) == 0.0
    assert relative_change(before, np.zeros((2, 2))) == 1.0
    assert relative_change(before, before + np.array([[0.0, 3.0], [4.0, 0.0]])) == 1.0
    assert relative_change(before, 2 * before) == 1.0
    assert relative_change(before.astype(np.float32), before[::-1]) == pytest.approx(
        np.sqrt(50) / 5, rel=1e-7
    )


def test_relative_change_rejects_mismatched_shapes_and_an_all_zero_before():
    with pytest.raises(
        ValueError, match=r"after must have the shape of before \(2, 2\), got \(4,\)"
    ):
        relative_change(np.ones((2, 2)), np.ones(4))
    with pytest.raises(
        ValueError, match=r"before must not be all zeros .*got an array of shape \(3,\)"
    ):
        relative_change(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match=r"after must be finite, got nan at index \(1,\)$"):
        relative_change(np.ones(2), np.array([1.0, np.nan]))
    with pytest.raises(TypeError, match=r"before must be a numpy array, got list of length 2"):
        relative_change([1.0, 2.0], np.ones(2))
