"""Tests for lectureml.conv: gradients, the lecture's example, agreement with the naive loops,
translation equivariance, dtypes and argument errors."""

import numpy as np
import pytest

from lectureml.conv import conv2d, conv2d_backward, conv2d_naive, conv_output_size
from lectureml.gradcheck import numerical_gradient, relative_error

LECTURE_IMAGE = np.array(
    [
        [22, 15, 1, 3, 60],
        [42, 5, 38, 39, 7],
        [28, 9, 4, 66, 79],
        [0, 82, 45, 12, 17],
        [99, 14, 72, 51, 3],
    ],
    dtype=float,
)


def lecture_kernel():
    """The lecture's 5x5 kernel: all zeros but a single 1 one row down, three columns right."""
    kernel = np.zeros((5, 5))
    kernel[1, 3] = 1.0
    return kernel


def random_case(rng, x_shape, kernel_shape, with_bias=True):
    """x (N, C, H, W), w (F, C, KH, KW) and b (F,) or None, all float64 standard normal."""
    num_kernels, kernel_height, kernel_width = kernel_shape
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal((num_kernels, x_shape[1], kernel_height, kernel_width))
    b = rng.standard_normal(num_kernels) if with_bias else None
    return x, w, b


# (x shape (N, C, H, W), kernels (F, KH, KW), stride, padding)
SHAPE_CASES = [
    pytest.param((1, 1, 5, 5), (1, 3, 3), 1, 0, id="batch1-one-channel-one-kernel"),
    pytest.param((2, 3, 6, 5), (4, 3, 2), 2, 1, id="stride2-pad1-nonsquare-image-and-kernel"),
    pytest.param((2, 2, 5, 7), (3, 2, 3), 1, 2, id="pad2-nonsquare-kernel"),
    pytest.param((1, 2, 7, 6), (2, 3, 3), 3, 0, id="stride3-remainder-dropped"),
    pytest.param((3, 1, 4, 4), (2, 4, 4), 1, 0, id="kernel-as-large-as-image"),
    pytest.param((2, 2, 4, 5), (2, 1, 2), 2, 3, id="padding-wider-than-kernel-stride2"),
]


@pytest.mark.parametrize(("x_shape", "kernel_shape", "stride", "padding"), SHAPE_CASES)
def test_conv2d_backward_matches_numerical_gradient(x_shape, kernel_shape, stride, padding):
    rng = np.random.default_rng(0)
    x, w, b = random_case(rng, x_shape, kernel_shape)
    dout = rng.standard_normal(conv2d(x, w, b, stride, padding).shape)

    def loss():
        return np.sum(conv2d(x, w, b, stride, padding) * dout)

    dx, dw, db = conv2d_backward(dout, x, w, stride, padding)
    assert relative_error(dx, numerical_gradient(loss, x)) < 1e-7
    assert relative_error(dw, numerical_gradient(loss, w)) < 1e-7
    assert relative_error(db, numerical_gradient(loss, b)) < 1e-7


@pytest.mark.parametrize(("x_shape", "kernel_shape", "stride", "padding"), SHAPE_CASES)
def test_conv2d_matches_naive_loops(x_shape, kernel_shape, stride, padding):
    rng = np.random.default_rng(1)
    x, w, b = random_case(rng, x_shape, kernel_shape)
    fast = conv2d(x, w, b, stride, padding)
    slow = conv2d_naive(x, w, b, stride, padding)
    assert fast.shape == slow.shape
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


def test_conv2d_equals_naive_loops_exactly_on_integer_values():
    # Sums of small integers are exact in float64, whatever the summation order.
    rng = np.random.default_rng(2)
    x = rng.integers(-9, 10, size=(2, 3, 9, 8)).astype(float)
    w = rng.integers(-3, 4, size=(4, 3, 3, 2)).astype(float)
    for stride, padding, b in [(1, 0, None), (2, 1, np.arange(4.0)), (3, 2, -np.arange(4.0))]:
        np.testing.assert_array_equal(
            conv2d(x, w, b, stride, padding), conv2d_naive(x, w, b, stride, padding)
        )


def test_lecture_example_reads_the_pixel_one_up_and_one_right():
    out = conv2d(LECTURE_IMAGE[None, None], lecture_kernel()[None, None], padding=2)
    assert out.shape == (1, 1, 5, 5)
    np.testing.assert_array_equal(out[0, 0, 1:4, 1:4], [[1, 3, 60], [38, 39, 7], [4, 66, 79]])
    # Everywhere, out[i, j] = image[i - 1, j + 1], and 0 where that falls into the padding.
    expected = np.zeros((5, 5))
    expected[1:, :4] = LECTURE_IMAGE[:4, 1:]
    np.testing.assert_array_equal(out[0, 0], expected)


def test_flipped_lecture_kernel_gives_the_true_convolution():
    flipped = lecture_kernel()[::-1, ::-1]
    out = conv2d(LECTURE_IMAGE[None, None], flipped[None, None], padding=2)
    np.testing.assert_array_equal(out[0, 0, 1:4, 1:4], [[28, 9, 4], [0, 82, 45], [99, 14, 72]])


def test_lecture_example_accepts_integer_arrays_and_returns_float64():
    out = conv2d(LECTURE_IMAGE.astype(int)[None, None], lecture_kernel()[None, None], padding=2)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out[0, 0, 2, 2], 39)


@pytest.mark.parametrize("padding", [0, 1])
def test_translation_equivariance_holds_exactly_away_from_the_border(padding):
    rng = np.random.default_rng(3)
    x = rng.integers(-5, 6, size=(2, 2, 12, 11)).astype(float)
    w = rng.integers(-2, 3, size=(3, 2, 3, 3)).astype(float)
    down, right = 2, 3
    shifted = np.zeros_like(x)
    shifted[:, :, down:, right:] = x[:, :, :-down, :-right]
    out = conv2d(x, w, padding=padding)
    out_of_shifted = conv2d(shifted, w, padding=padding)
    # Interior: windows that see neither the zero padding nor the zeros shifted in.
    _, _, out_height, out_width = out.shape
    margin = padding
    np.testing.assert_array_equal(
        out_of_shifted[
            :, :, down + margin : out_height - margin, right + margin : out_width - margin
        ],
        out[:, :, margin : out_height - margin - down, margin : out_width - margin - right],
    )


def test_gradient_of_a_single_output_reaches_only_its_window():
    # Upstream gradient 1 at output (1, 2) only: dx is the kernel placed on that window,
    # dw is the window itself and db is 1.
    x = np.ones((1, 1, 5, 6))
    w = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    dout = np.zeros((1, 1, 3, 4))
    dout[0, 0, 1, 2] = 1.0
    dx, dw, db = conv2d_backward(dout, x, w)
    expected_dx = np.zeros((5, 6))
    expected_dx[1:4, 2:5] = w[0, 0]
    np.testing.assert_array_equal(dx[0, 0], expected_dx)
    np.testing.assert_array_equal(dw[0, 0], np.ones((3, 3)))
    np.testing.assert_array_equal(db, [1.0])


def test_overlapping_windows_accumulate_in_dx():
    # With a ones kernel and ones upstream gradient, dx counts the windows over each pixel:
    # 3 per axis inside, 2 on the edge rows/columns (the third window would start in the padding).
    x = np.zeros((1, 1, 5, 5))
    w = np.ones((1, 1, 3, 3))
    dx, _, _ = conv2d_backward(np.ones((1, 1, 5, 5)), x, w, padding=1)
    np.testing.assert_array_equal(dx[0, 0], np.outer([2, 3, 3, 3, 2], [2, 3, 3, 3, 2]))


def test_float32_stays_float32_through_forward_and_backward():
    rng = np.random.default_rng(4)
    x, w, b = (a.astype(np.float32) for a in random_case(rng, (2, 3, 6, 6), (4, 3, 3)))
    out = conv2d(x, w, b, stride=2, padding=1)
    assert out.dtype == np.float32
    assert conv2d_naive(x, w, b, stride=2, padding=1).dtype == np.float32
    grads = conv2d_backward(np.ones_like(out), x, w, stride=2, padding=1)
    assert [g.dtype for g in grads] == [np.float32] * 3
    out64 = conv2d(x.astype(float), w.astype(float), b.astype(float), stride=2, padding=1)
    np.testing.assert_allclose(out, out64, rtol=1e-5, atol=1e-5)


def test_mixed_dtypes_promote_the_output_and_keep_each_gradients_dtype():
    rng = np.random.default_rng(5)
    x, w, _ = random_case(rng, (1, 2, 5, 5), (3, 3, 3), with_bias=False)
    x = x.astype(np.float32)
    out = conv2d(x, w)
    assert out.dtype == np.float64
    dx, dw, db = conv2d_backward(np.ones_like(out), x, w)
    assert (dx.dtype, dw.dtype, db.dtype) == (np.float32, np.float64, np.float64)


@pytest.mark.parametrize(
    ("size", "kernel_size", "stride", "padding", "expected"),
    [(28, 3, 1, 1, 28), (28, 5, 1, 0, 24), (7, 3, 2, 0, 3), (8, 3, 2, 1, 4), (5, 5, 1, 2, 5)],
)
def test_conv_output_size(size, kernel_size, stride, padding, expected):
    assert conv_output_size(size, kernel_size, stride, padding) == expected
    x = np.zeros((1, 1, size, size))
    w = np.zeros((1, 1, kernel_size, kernel_size))
    assert conv2d(x, w, stride=stride, padding=padding).shape[2:] == (expected, expected)


# ---- argument errors: each message names the argument, what was expected and what was given


def good_arguments():
    return np.zeros((2, 3, 6, 6)), np.zeros((4, 3, 3, 3))


def test_single_image_error_says_the_layout_and_suggests_adding_axes():
    with pytest.raises(
        ValueError,
        match=r"x must have 4 dimensions \(N, C, H, W\), got 2 dimensions with shape "
        r"\(28, 28\); a single \(H, W\) image becomes a batch of one with x\[None, None\]",
    ):
        conv2d(np.zeros((28, 28)), np.zeros((1, 1, 3, 3)))


def test_kernel_without_batch_axes_suggests_adding_them():
    with pytest.raises(
        ValueError,
        match=r"w must have 4 dimensions \(F, C, KH, KW\), got 2 dimensions with shape "
        r"\(3, 3\); a single \(KH, KW\) kernel becomes w\[None, None\]",
    ):
        conv2d_naive(np.zeros((1, 1, 5, 5)), np.zeros((3, 3)))


def test_channel_mismatch_is_reported_with_both_shapes():
    x, _ = good_arguments()
    with pytest.raises(
        ValueError,
        match=r"w must have as many input channels as x: expected w.shape\[1\] == x.shape\[1\] "
        r"== 3 \(x has shape \(2, 3, 6, 6\)\), got w of shape \(4, 2, 3, 3\) with 2 input",
    ):
        conv2d(x, np.zeros((4, 2, 3, 3)))


def test_kernel_larger_than_the_padded_input_is_rejected():
    with pytest.raises(
        ValueError,
        match=r"kernel height KH must be at most the padded input height H \+ 2\*padding "
        r"= 3 \+ 2\*0 = 3, got KH=5",
    ):
        conv2d(np.zeros((1, 1, 3, 8)), np.zeros((1, 1, 5, 5)))
    with pytest.raises(ValueError, match=r"kernel width KW must be at most .* = 4, got KW=5"):
        conv2d_backward(
            np.zeros((1, 1, 4, 1)), np.zeros((1, 1, 8, 2)), np.zeros((1, 1, 5, 5)), 1, 1
        )


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("stride", 0, r"stride must be an integer >= 1, got 0"),
        ("stride", 1.5, r"stride must be an integer, got float 1.5"),
        ("padding", -1, r"padding must be an integer >= 0, got -1"),
        ("padding", 1.0, r"padding must be an integer, got float 1.0"),
        ("padding", "same", r"padding must be an integer, got str 'same'"),
    ],
)
def test_bad_stride_or_padding_is_rejected(keyword, value, message):
    x, w = good_arguments()
    error = ValueError if isinstance(value, int) else TypeError
    with pytest.raises(error, match=message):
        conv2d(x, w, **{keyword: value})
    with pytest.raises(error, match=message):
        conv2d_backward(np.zeros((2, 4, 4, 4)), x, w, **{keyword: value})


def test_bias_of_the_wrong_length_is_rejected():
    x, w = good_arguments()
    with pytest.raises(
        ValueError,
        match=r"b must hold one bias per kernel, shape \(4,\) for w of shape \(4, 3, 3, 3\), "
        r"got shape \(3,\)",
    ):
        conv2d(x, w, np.zeros(3))
    with pytest.raises(ValueError, match=r"b must have 1 dimensions \(F,\) = \(4,\), got 2"):
        conv2d_naive(x, w, np.zeros((4, 1)))


def test_wrong_dout_shape_is_rejected():
    x, w = good_arguments()
    with pytest.raises(
        ValueError, match=r"dout must have shape \(2, 4, 6, 6\), got shape \(2, 4, 4, 4\)"
    ):
        conv2d_backward(np.zeros((2, 4, 4, 4)), x, w, padding=1)


def test_lists_and_strings_are_rejected_with_a_conversion_hint():
    x, w = good_arguments()
    with pytest.raises(
        TypeError,
        match=r"x must be a numpy array of shape \(N, C, H, W\), got list of length 2; "
        r"convert it with np.asarray\(x, dtype=float\)",
    ):
        conv2d(x.tolist(), w)
    with pytest.raises(TypeError, match=r"w must be a numpy array .*got str 'sobel'"):
        conv2d_naive(x, "sobel")
    with pytest.raises(TypeError, match=r"dout must be a numpy array .*got list of length 0"):
        conv2d_backward([], x, w)
    with pytest.raises(TypeError, match=r"b must be a numpy array .*got tuple of length 4"):
        conv2d(x, w, (0, 0, 0, 0))


def test_empty_and_non_float_arrays_are_rejected():
    _, w = good_arguments()
    with pytest.raises(
        ValueError,
        match=r"x must have every axis of \(N, C, H, W\) at least 1 long, got shape \(0, 3, 6, 6\)",
    ):
        conv2d(np.zeros((0, 3, 6, 6)), w)
    with pytest.raises(TypeError, match=r"x must have a float32 or float64 dtype, got dtype <U1"):
        conv2d(np.full((2, 3, 6, 6), "a"), w)


def test_conv_output_size_rejects_bad_arguments():
    with pytest.raises(TypeError, match=r"size must be an integer, got float 28.0"):
        conv_output_size(28.0, 3)
    with pytest.raises(ValueError, match=r"kernel_size must be an integer >= 1, got 0"):
        conv_output_size(28, 0)
    with pytest.raises(
        ValueError,
        match=r"kernel_size must be at most size \+ 2\*padding = 3 \+ 2\*1 = 5, got kernel_size=7",
    ):
        conv_output_size(3, 7, padding=1)


def test_cached_pair_for_layers_matches_the_public_functions():
    from lectureml.conv import _conv2d_backward_from_cache, _conv2d_forward_with_cache

    rng = np.random.default_rng(6)
    x, w, b = random_case(rng, (2, 3, 7, 6), (4, 3, 2))
    out, cache = _conv2d_forward_with_cache(x, w, b, 2, 1)
    np.testing.assert_array_equal(out, conv2d(x, w, b, stride=2, padding=1))
    dout = rng.standard_normal(out.shape)
    for cached, public in zip(
        _conv2d_backward_from_cache(dout, cache),
        conv2d_backward(dout, x, w, stride=2, padding=1),
        strict=True,
    ):
        np.testing.assert_array_equal(cached, public)
    with pytest.raises(
        ValueError, match=r"dout must have shape \(2, 4, 4, 4\), got shape \(2, 4, 4, 3\)"
    ):
        _conv2d_backward_from_cache(dout[..., :3], cache)


def test_output_shares_memory_with_nothing_else():
    # conv2d returns the real outputs as a strided view of its own product, skipping a copy:
    # writing into it must change nothing else, and a compact copy must hold the same values.
    rng = np.random.default_rng(7)
    x, w, b = random_case(rng, (2, 3, 6, 5), (4, 3, 3))
    x_before = x.copy()
    first = conv2d(x, w, b, padding=1)
    second = conv2d(x, w, b, padding=1)
    assert not np.shares_memory(first, second)
    assert not np.shares_memory(first, x) and not np.shares_memory(first, w)
    first[...] = 0.0
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_allclose(second, conv2d_naive(x, w, b, padding=1), rtol=1e-12, atol=1e-12)
    compact = np.ascontiguousarray(second)
    assert compact.flags.c_contiguous
    np.testing.assert_array_equal(compact, second)


def test_backward_never_holds_the_columns_and_their_gradient_at_once():
    # Both are (C*KH*KW) x (N * grid positions); building the columns only after the input
    # gradient's temporary is freed keeps the peak near one of them (it was 2.4 of them).
    import tracemalloc

    rng = np.random.default_rng(8)
    x, w, _ = random_case(rng, (16, 8, 14, 14), (16, 3, 3))
    dout = rng.standard_normal((16, 16, 14, 14))
    # 72 window entries x 16 images x 15 x 15 grid positions (the padded rows share padding)
    columns_bytes = 72 * 16 * 15 * 15 * x.itemsize
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        conv2d_backward(dout, x, w, padding=1)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < 1.6 * columns_bytes


def test_bias_gradient_has_the_same_bits_whatever_the_layout_of_dout():
    # Training feeds conv2d_backward the gradient of conv2d's strided output; float32 sums in
    # another order would round differently and change every trained number in the notebooks.
    rng = np.random.default_rng(9)
    x = rng.standard_normal((64, 8, 14, 14), dtype=np.float32)
    w = rng.standard_normal((16, 8, 3, 3), dtype=np.float32)
    dout = rng.standard_normal((64, 16, 14, 14), dtype=np.float32)
    kernels_outermost = np.ascontiguousarray(dout.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)
    _, _, db = conv2d_backward(dout, x, w, padding=1)
    _, _, db_strided = conv2d_backward(kernels_outermost, x, w, padding=1)
    np.testing.assert_array_equal(db_strided, db)
