"""Layer objects: gradients against central differences, shapes, summaries and bad inputs."""

import numpy as np
import pytest

from lectureml.gradcheck import numerical_gradient, relative_error
from lectureml.layers import (
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPool2D,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    count_parameters,
)
from lectureml.losses import softmax_cross_entropy

F64 = np.float64
TOLERANCE = 1e-7
KINK_MARGIN = 1e-3


def rng(seed=0):
    return np.random.default_rng(seed)


def assert_away_from_zero(values, what):
    """Fail loudly (rather than flake) if a ReLU input sits within the margin of its kink."""
    closest = float(np.min(np.abs(values)))
    assert closest > KINK_MARGIN, f"{what} has a value {closest:.2e} from the ReLU kink"


def assert_clear_maxima(x, size, stride, after_relu=False):
    """Every max-pool window's winner beats the runner-up by more than the margin.

    `after_relu`: a window of zeros from dead ReLUs may tie, since its entries stay 0 when
    the network is perturbed (their pre-activations are checked to be away from 0).
    """
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride].reshape(*x.shape[:2], -1, size * size)
    top_two = np.sort(windows, axis=-1)[..., -2:]
    gaps = top_two[..., 1] - top_two[..., 0]
    if after_relu:
        gaps = gaps[top_two[..., 1] > 0]
    gap = float(np.min(gaps))
    assert gap > KINK_MARGIN, f"two entries of a pooling window are only {gap:.2e} apart"


def distinct_values(shape, seed):
    """Values in (-1, 1) 2 / size apart, in random order (no ties; none at 0 for size < 500)."""
    size = int(np.prod(shape))
    levels = (np.arange(size) + 0.3) / size * 2 - 1
    return rng(seed).permutation(levels).reshape(shape)


def check_gradients(layer, x, training=False, reseed=None):
    """Compare backward with numerical gradients of sum(out * G) for x and every parameter.

    `reseed()` runs before every forward pass (Dropout: the same mask every time).
    """
    reseed = reseed or (lambda: None)
    reseed()
    out = layer.forward(x, training=training)
    weights = rng(99).standard_normal(out.shape)
    dx = layer.backward(weights)
    analytic = {"x": dx, **{name: grad.copy() for name, grad in layer.grads.items()}}

    def loss():
        reseed()
        return np.sum(layer.forward(x, training=training) * weights)

    arrays = {"x": x, **layer.params}
    for name, array in arrays.items():
        numeric = numerical_gradient(loss, array)
        error = relative_error(analytic[name], numeric)
        assert error < TOLERANCE, f"{layer!r} d/d{name}: relative error {error:.2e}"
    assert set(analytic) == {"x", *layer.params}


# ---------------------------------------------------------------- gradient checks per layer


def test_dense_gradients():
    layer = Dense(5, 3, rng(1), dtype=F64)
    layer.params["b"][:] = rng(2).standard_normal(3)
    check_gradients(layer, rng(3).standard_normal((4, 5)))


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1)])
def test_conv2d_gradients(stride, padding):
    layer = Conv2D(2, 3, 3, rng(4), stride=stride, padding=padding, dtype=F64)
    layer.params["b"][:] = rng(5).standard_normal(3)
    check_gradients(layer, rng(6).standard_normal((2, 2, 5, 5)))


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, 2)])
def test_max_pool_gradients(size, stride):
    layer = MaxPool2D(size, stride)
    x = distinct_values((2, 2, 5, 5), seed=7)
    assert_clear_maxima(x, size, layer.stride)
    check_gradients(layer, x)


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, 2)])
def test_avg_pool_gradients(size, stride):
    check_gradients(AvgPool2D(size, stride), rng(8).standard_normal((2, 2, 5, 5)))


def test_relu_gradients():
    x = distinct_values((3, 7), seed=9)
    assert_away_from_zero(x, "x")
    check_gradients(ReLU(), x)


@pytest.mark.parametrize("layer_class", [Sigmoid, Tanh])
def test_smooth_activation_gradients(layer_class):
    check_gradients(layer_class(), rng(10).standard_normal((3, 4)) * 2)


def test_dropout_gradients_with_a_fixed_mask():
    layer = Dropout(0.5, rng(11))

    def same_mask():
        layer.rng = np.random.default_rng(12)

    x = rng(13).standard_normal((4, 6))
    same_mask()
    out = layer.forward(x, training=True)
    dropped = out == 0
    assert 0 < dropped.sum() < x.size  # some units dropped, some kept
    np.testing.assert_allclose(out[~dropped], 2 * x[~dropped])
    check_gradients(layer, x, training=True, reseed=same_mask)


def test_flatten_gradients():
    check_gradients(Flatten(), rng(14).standard_normal((2, 3, 2, 2)))


def test_small_cnn_gradients_through_the_loss():
    model = Sequential(
        Conv2D(1, 2, 3, rng(20), padding=1, dtype=F64),
        ReLU(),
        MaxPool2D(2),
        Conv2D(2, 3, 3, rng(21), stride=2, padding=1, dtype=F64),
        ReLU(),
        AvgPool2D(2),
        Flatten(),
        Dense(3, 4, rng(22), dtype=F64),
    )
    for name, param in model.params.items():
        if name.endswith(".b"):
            param[:] = rng(23).uniform(-0.5, 0.5, param.shape)
    x = rng(26).standard_normal((2, 1, 8, 8))
    labels = np.array([1, 3])
    # Seeds chosen once; these asserts make a bad choice fail loudly instead of flaking.
    assert_away_from_zero(model[:1].forward(x), "first conv output")
    assert_clear_maxima(model[:2].forward(x), 2, 2, after_relu=True)
    assert_away_from_zero(model[:4].forward(x), "second conv output")

    def loss():
        return softmax_cross_entropy(model.forward(x, training=True), labels)[0]

    logits = model.forward(x, training=True)
    _, dlogits = softmax_cross_entropy(logits, labels)
    dx = model.backward(dlogits)
    analytic = {"x": dx, **{name: grad.copy() for name, grad in model.grads.items()}}
    arrays = {"x": x, **model.params}
    assert list(arrays) == ["x", "0.W", "0.b", "3.W", "3.b", "7.W", "7.b"]
    for name, array in arrays.items():
        error = relative_error(analytic[name], numerical_gradient(loss, array))
        assert error < TOLERANCE, f"d loss / d {name}: relative error {error:.2e}"


# ---------------------------------------------------------------- protocol and dtypes


def small_cnn(seed=0, dtype=np.float32):
    generator = rng(seed)
    return Sequential(
        Conv2D(1, 4, 3, generator, padding=1, dtype=dtype),
        ReLU(),
        MaxPool2D(2),
        Flatten(),
        Dense(4 * 4 * 4, 3, generator, dtype=dtype),
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_forward_and_backward_keep_the_model_dtype(dtype):
    model = small_cnn(dtype=dtype)
    x = rng(1).random((2, 1, 8, 8)).astype(dtype)
    out = model.forward(x, training=True)
    dx = model.backward(np.ones_like(out))
    assert out.dtype == dtype
    assert dx.dtype == dtype
    assert all(param.dtype == dtype and grad.dtype == dtype for param, grad in model.parameters())


def test_layers_with_parameters_convert_inputs_to_their_dtype():
    layer = Dense(2, 2, rng(), dtype=np.float32)
    assert layer.forward(np.ones((1, 2))).dtype == np.float32
    assert layer.forward(np.ones((1, 2), dtype=int)).dtype == np.float32
    assert ReLU().forward(np.ones(3)).dtype == np.float64


def test_backward_overwrites_the_same_gradient_arrays():
    model = small_cnn()
    grads_before = {name: id(grad) for name, grad in model.grads.items()}
    x = rng(2).random((2, 1, 8, 8), dtype=np.float32)
    for scale in (1.0, 2.0):
        out = model.forward(x)
        model.backward(np.full_like(out, scale))
        if scale == 1.0:
            first = {name: grad.copy() for name, grad in model.grads.items()}
    assert {name: id(grad) for name, grad in model.grads.items()} == grads_before
    for name, grad in model.grads.items():
        # Overwritten, not accumulated: twice the dout gives exactly (a power of 2) twice
        # the gradient, where accumulating would give three times.
        np.testing.assert_array_equal(grad, 2 * first[name])


def test_dense_computes_x_w_plus_b():
    layer = Dense(2, 3, rng(), dtype=F64)
    layer.params["W"][:] = [[1, 2, 3], [4, 5, 6]]
    layer.params["b"][:] = [0.5, 0, -1]
    out = layer.forward(np.array([[1.0, -1.0], [0.0, 2.0]]))
    np.testing.assert_array_equal(out, [[-2.5, -3, -4], [8.5, 10, 11]])


def test_he_and_glorot_initialisations_have_the_documented_spread():
    he = Dense(400, 300, rng(3), dtype=F64).params["W"]
    glorot = Dense(400, 300, rng(3), dtype=F64, init="glorot").params["W"]
    assert abs(he.std() - np.sqrt(2 / 400)) < 0.01 * np.sqrt(2 / 400)
    assert abs(glorot.std() - np.sqrt(2 / 700)) < 0.01 * np.sqrt(2 / 700)
    conv = Conv2D(16, 32, 3, rng(4), dtype=F64).params["W"]
    assert abs(conv.std() - np.sqrt(2 / (16 * 9))) < 0.02 * np.sqrt(2 / (16 * 9))
    np.testing.assert_array_equal(Dense(3, 2, rng(), dtype=F64).params["b"], [0, 0])


def test_initialisation_depends_only_on_the_generator():
    first = Conv2D(2, 3, 3, rng(5)).params["W"]
    second = Conv2D(2, 3, 3, rng(5)).params["W"]
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, Conv2D(2, 3, 3, rng(6)).params["W"])


def test_dropout_is_the_identity_at_test_time():
    layer = Dropout(0.5, rng())
    x = rng(1).standard_normal((3, 4))
    assert layer.forward(x) is x
    dout = rng(2).standard_normal((3, 4))
    np.testing.assert_array_equal(layer.backward(dout), dout)


def test_dropout_draws_a_new_mask_every_training_pass():
    layer = Dropout(0.5, rng(3))
    x = np.ones((50, 50))
    first = layer.forward(x, training=True)
    second = layer.forward(x, training=True)
    assert not np.array_equal(first, second)
    assert abs(first.mean() - 1) < 0.05  # inverted dropout keeps the expected value


def test_relu_sigmoid_tanh_forward_values():
    x = np.array([[-2.0, -0.5, 0.5, 2.0]])
    np.testing.assert_array_equal(ReLU().forward(x), [[0, 0, 0.5, 2]])
    np.testing.assert_allclose(Sigmoid().forward(x), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(Tanh().forward(x), np.tanh(x))


def test_sequential_indexing_slicing_and_iteration():
    model = small_cnn()
    assert len(model) == 5
    assert isinstance(model[0], Conv2D)
    assert model[-1] is model.layers[4]
    head = model[:3]
    assert isinstance(head, Sequential)
    assert head[0] is model[0]
    assert [type(layer).__name__ for layer in model] == [
        "Conv2D",
        "ReLU",
        "MaxPool2D",
        "Flatten",
        "Dense",
    ]
    x = rng(7).random((2, 1, 8, 8), dtype=np.float32)
    np.testing.assert_array_equal(model[3:].forward(head.forward(x)), model.forward(x))


def test_sequential_params_grads_and_parameters_share_the_layer_arrays():
    model = small_cnn()
    assert list(model.params) == ["0.W", "0.b", "4.W", "4.b"]
    assert model.params["0.W"] is model[0].params["W"]
    assert model.grads["4.b"] is model[4].grads["b"]
    names = [name for name, _, _ in model.named_parameters()]
    assert names == ["0.W", "0.b", "4.W", "4.b"]
    pairs = list(model.parameters())
    assert pairs[2][0] is model[4].params["W"] and pairs[2][1] is model[4].grads["W"]
    assert model.dtype == np.float32
    assert Sequential(ReLU()).dtype is None


def test_zero_grad_clears_every_gradient():
    model = small_cnn()
    out = model.forward(rng(8).random((2, 1, 8, 8), dtype=np.float32))
    model.backward(np.ones_like(out))
    assert any(np.any(grad != 0) for _, grad in model.parameters())
    model.zero_grad()
    assert all(np.all(grad == 0) for _, grad in model.parameters())


# ---------------------------------------------------------------- shapes, repr, summary


def lenet():
    generator = rng()
    return Sequential(
        Conv2D(1, 6, 5, generator, padding=2),
        ReLU(),
        MaxPool2D(2),
        Conv2D(6, 16, 5, generator),
        ReLU(),
        AvgPool2D(2),
        Flatten(),
        Dense(400, 120, generator),
        Tanh(),
        Dropout(0.5, generator),
        Dense(120, 84, generator),
        Sigmoid(),
        Dense(84, 10, generator),
    )


LENET_SUMMARY = """\
 #  layer                                              output shape     parameters
----------------------------------------------------------------------------------
    input                                              (N, 1, 28, 28)
 0  Conv2D(1, 6, kernel_size=5, stride=1, padding=2)   (N, 6, 28, 28)          156
 1  ReLU()                                             (N, 6, 28, 28)            0
 2  MaxPool2D(size=2, stride=2)                        (N, 6, 14, 14)            0
 3  Conv2D(6, 16, kernel_size=5, stride=1, padding=0)  (N, 16, 10, 10)       2,416
 4  ReLU()                                             (N, 16, 10, 10)           0
 5  AvgPool2D(size=2, stride=2)                        (N, 16, 5, 5)             0
 6  Flatten()                                          (N, 400)                  0
 7  Dense(400, 120)                                    (N, 120)             48,120
 8  Tanh()                                             (N, 120)                  0
 9  Dropout(p=0.5)                                     (N, 120)                  0
10  Dense(120, 84)                                     (N, 84)              10,164
11  Sigmoid()                                          (N, 84)                   0
12  Dense(84, 10)                                      (N, 10)                 850
----------------------------------------------------------------------------------
total                                                                       61,706"""


def test_lenet_summary_text():
    assert lenet().summary((1, 28, 28)) == LENET_SUMMARY


def test_lenet_output_shapes_and_parameter_counts():
    model = lenet()
    assert model.output_shapes((1, 28, 28)) == [
        (6, 28, 28),
        (6, 28, 28),
        (6, 14, 14),
        (16, 10, 10),
        (16, 10, 10),
        (16, 5, 5),
        (400,),
        (120,),
        (120,),
        (120,),
        (84,),
        (84,),
        (10,),
    ]
    assert [layer.num_parameters for layer in model] == [
        156, 0, 0, 2416, 0, 0, 0, 48120, 0, 0, 10164, 0, 850
    ]  # fmt: skip
    assert count_parameters(model) == 61706
    assert count_parameters(model[0]) == 6 * 1 * 5 * 5 + 6


def test_output_shapes_agree_with_forward():
    model = lenet()
    x = rng(1).random((3, 1, 28, 28), dtype=np.float32)
    for layer, shape in zip(model, model.output_shapes((1, 28, 28)), strict=True):
        x = layer.forward(x, training=True)
        assert x.shape == (3, *shape), repr(layer)


def test_strided_shapes_round_down_like_the_functions():
    conv = Conv2D(1, 2, 3, rng(), stride=2, padding=1)
    pool = MaxPool2D(3, stride=2)
    x = rng(2).random((1, 1, 8, 7), dtype=np.float32)
    assert conv.output_shape((1, 8, 7)) == conv.forward(x).shape[1:] == (2, 4, 4)
    assert pool.output_shape((1, 8, 7)) == pool.forward(x).shape[1:] == (1, 3, 3)


def test_reprs():
    generator = rng()
    assert repr(Dense(784, 10, generator)) == "Dense(784, 10)"
    assert repr(Dense(3, 2, generator, dtype=F64)) == "Dense(3, 2, dtype=float64)"
    assert repr(Conv2D(1, 8, 3, generator, padding=1)) == (
        "Conv2D(1, 8, kernel_size=3, stride=1, padding=1)"
    )
    assert repr(MaxPool2D()) == "MaxPool2D(size=2, stride=2)"
    assert repr(AvgPool2D(3, stride=1)) == "AvgPool2D(size=3, stride=1)"
    assert repr(Dropout(0.25, generator)) == "Dropout(p=0.25)"
    assert [repr(layer) for layer in (ReLU(), Sigmoid(), Tanh(), Flatten())] == [
        "ReLU()",
        "Sigmoid()",
        "Tanh()",
        "Flatten()",
    ]
    nested = Sequential(Flatten(), Sequential(Dense(4, 2, generator), ReLU()))
    assert repr(nested) == ("Sequential(\n  (0): Flatten()\n  (1): Sequential(2 layers)\n)")


# ---------------------------------------------------------------- bad inputs


def one_layer_of_each_kind():
    """Fresh instances (layers keep state between calls), for single-channel 4x4 images."""
    return [
        Dense(16, 2, rng()),
        Conv2D(1, 2, 3, rng()),
        MaxPool2D(2),
        AvgPool2D(2),
        ReLU(),
        Sigmoid(),
        Tanh(),
        Dropout(0.5, rng()),
        Flatten(),
    ]


@pytest.mark.parametrize("layer", one_layer_of_each_kind(), ids=repr)
def test_backward_before_forward_is_a_clear_error(layer):
    with pytest.raises(RuntimeError, match=r"backward was called before forward"):
        layer.backward(np.ones((1, 2)))


def test_dense_given_images_suggests_flatten():
    with pytest.raises(
        ValueError, match=r"x must have shape \(N, in_features\) = \(N, 784\)"
    ) as info:
        Dense(784, 10, rng()).forward(np.zeros((2, 1, 28, 28), dtype=np.float32))
    assert "got shape (2, 1, 28, 28)" in str(info.value)
    assert "add Flatten()" in str(info.value)


def test_dense_given_the_wrong_number_of_features():
    with pytest.raises(ValueError, match=r"Dense\(3, 2\): .*\(N, 3\), got shape \(4, 5\)"):
        Dense(3, 2, rng()).forward(np.zeros((4, 5)))


def test_conv_given_the_wrong_channels_or_too_small_images():
    layer = Conv2D(3, 4, 5, rng())
    with pytest.raises(
        ValueError,
        match=r"x must have shape \(N, in_channels, H, W\) = \(N, 3, H, W\), "
        r"got shape \(2, 1, 28, 28\)",
    ):
        layer.forward(np.zeros((2, 1, 28, 28)))
    with pytest.raises(
        ValueError, match=r"x must have shape .*, got shape \(2, 28, 28\); .*x\[:, None\]"
    ):
        layer.forward(np.zeros((2, 28, 28)))
    with pytest.raises(
        ValueError,
        match=r"x must have H and W >= kernel_size - 2 \* padding = 5, got shape \(1, 3, 4, 9\)",
    ):
        layer.forward(np.zeros((1, 3, 4, 9)))


def test_pooling_given_bad_inputs():
    with pytest.raises(
        ValueError, match=r"x must have 4 dimensions \(N, C, H, W\), got shape \(2, 8\)"
    ):
        MaxPool2D().forward(np.zeros((2, 8)))
    with pytest.raises(
        ValueError, match=r"x must have H and W >= size = 3, got shape \(1, 1, 2, 5\)"
    ):
        AvgPool2D(3).forward(np.zeros((1, 1, 2, 5)))


def test_flatten_and_activations_given_bad_inputs():
    with pytest.raises(
        ValueError, match=r"Flatten\(\): x must have .* \(N, \.\.\.\), got shape \(5,\)"
    ):
        Flatten().forward(np.zeros(5))
    with pytest.raises(TypeError, match=r"x must be a numpy array.*got list of length 2"):
        ReLU().forward([1.0, 2.0])
    with pytest.raises(
        TypeError, match=r"x must have a float32 or float64 dtype, got dtype complex128"
    ):
        Tanh().forward(np.zeros(2, dtype=complex))
    with pytest.raises(TypeError, match=r"x must be a numpy array, got float 0.5"):
        Sigmoid().forward(0.5)


def test_output_shape_of_a_single_layer():
    layer = Conv2D(1, 8, 3, rng(), stride=2)
    assert layer.output_shape((1, 28, 28)) == (8, 13, 13)
    with pytest.raises(
        ValueError,
        match=r"x must have shape \(N, in_channels, H, W\) = \(N, 1, H, W\), "
        r"got shape \(N, 28, 28\); add the channel axis",
    ):
        layer.output_shape((28, 28))
    with pytest.raises(
        ValueError,
        match=r"got shape \(28, 28\); reshape flat vectors into images first, e\.g\. "
        r"x\.reshape\(N, C, H, W\), or make a single \(H, W\) image a batch of one with "
        r"x\[None, None\]",
    ):
        layer.forward(np.zeros((28, 28)))
    with pytest.raises(
        ValueError,
        match=r"got shape \(N, 2, 1, 28, 28\) \(input_shape \(2, 1, 28, 28\) is read as ONE "
        r"example without the batch axis, e\.g\. \(1, 28, 28\)\)",
    ):
        Sequential(layer, ReLU()).summary((2, 1, 28, 28))
    # With padding 2 a 3x3 kernel fits even an empty image, so the empty axis must be named.
    padded = Conv2D(1, 8, 3, rng(), padding=2)
    with pytest.raises(
        ValueError, match=r"x must have H >= 1 and W >= 1, got shape \(1, 1, 0, 5\)"
    ):
        padded.forward(np.zeros((1, 1, 0, 5)))


def test_dout_of_the_wrong_shape():
    layer = Dense(3, 2, rng())
    layer.forward(np.zeros((4, 3)))
    with pytest.raises(
        ValueError,
        match=r"dout must have the shape of the last forward output \(4, 2\), got shape \(4, 3\)",
    ):
        layer.backward(np.zeros((4, 3)))
    relu = ReLU()
    relu.forward(np.zeros((2, 2)) + 1)
    with pytest.raises(ValueError, match=r"output \(2, 2\), got shape \(2,\)"):
        relu.backward(np.zeros(2))


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (lambda: Dense(0, 2, rng()), ValueError, r"in_features must be an integer >= 1, got 0"),
        (lambda: Dense(2.0, 2, rng()), TypeError, r"in_features must be an integer, got float 2.0"),
        (lambda: Dense(2, -1, rng()), ValueError, r"out_features must be an integer >= 1, got -1"),
        (lambda: Dense(2, 2, 0), TypeError, r"rng must be a numpy.random.Generator .*got int 0"),
        (
            lambda: Dense(2, 2, rng(), dtype=np.int32),
            TypeError,
            r"dtype must be np.float32 or np.float64, got type",
        ),
        (
            lambda: Dense(2, 2, rng(), dtype=None),
            TypeError,
            r"dtype must be np.float32 or np.float64, got NoneType None",
        ),
        (
            lambda: Conv2D(1, 2, 3, rng(), dtype=None),
            TypeError,
            r"dtype must be np.float32 or np.float64, got NoneType None",
        ),
        (
            lambda: Dense(2, 2, rng(), dtype="float16"),
            TypeError,
            r"dtype must be np.float32 or np.float64, got str 'float16'",
        ),
        (
            lambda: Dense(2, 2, rng(), init="xavier"),
            ValueError,
            r"init must be one of \['he', 'glorot'\], got str 'xavier'",
        ),
        (lambda: Conv2D(1, 2, 0, rng()), ValueError, r"kernel_size must be an integer >= 1, got 0"),
        (
            lambda: Conv2D(1, 2, (3, 3), rng()),
            TypeError,
            r"kernel_size must be an integer, got tuple of length 2",
        ),
        (
            lambda: Conv2D(1, 2, 3, rng(), stride=0),
            ValueError,
            r"stride must be an integer >= 1, got 0",
        ),
        (
            lambda: Conv2D(1, 2, 3, rng(), padding=-1),
            ValueError,
            r"padding must be an integer >= 0, got -1",
        ),
        (lambda: Conv2D(0, 2, 3, rng()), ValueError, r"in_channels must be an integer >= 1, got 0"),
        (
            lambda: Conv2D(1, 2, 3, np.random.RandomState(0)),
            TypeError,
            r"rng must be a numpy.random.Generator .*got RandomState",
        ),
        (lambda: MaxPool2D(0), ValueError, r"size must be an integer >= 1, got 0"),
        (lambda: MaxPool2D(2, stride=1.5), TypeError, r"stride must be an integer, got float 1.5"),
        (lambda: AvgPool2D(size="2"), TypeError, r"size must be an integer, got str '2'"),
        (lambda: Dropout(1.0, rng()), ValueError, r"p must be in \[0, 1\), got 1.0"),
        (
            lambda: Dropout(0.5, None),
            TypeError,
            r"rng must be a numpy.random.Generator .*got NoneType None",
        ),
    ],
)
def test_constructor_arguments_are_validated(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


def test_training_flag_must_be_a_bool():
    with pytest.raises(TypeError, match=r"training must be True or False, got str 'yes'"):
        Dropout(0.5, rng()).forward(np.ones(3), training="yes")
    with pytest.raises(TypeError, match=r"training must be True or False, got int 1"):
        small_cnn().forward(np.ones((1, 1, 8, 8)), training=1)


@pytest.mark.parametrize("layer", one_layer_of_each_kind(), ids=repr)
def test_every_layer_checks_the_training_flag(layer):
    # A string such as "yes" is truthy: unchecked, it would silently mean training=True.
    with pytest.raises(TypeError, match=r"training must be True or False, got str 'yes'"):
        layer.forward(np.ones((1, 1, 4, 4)), training="yes")


@pytest.mark.parametrize("training", [False, True])
def test_flatten_and_dropout_return_gradients_in_the_input_dtype(training):
    x = np.ones((2, 1, 4, 4), dtype=np.float32)
    for layer in (Flatten(), Dropout(0.5, rng())):
        out = layer.forward(x, training=training)
        dx = layer.backward(np.ones(out.shape))  # float64 upstream gradient
        assert dx.dtype == np.float32
        assert dx.shape == x.shape


@pytest.mark.parametrize(
    ("layers", "error", "pattern"),
    [
        ((), ValueError, r"layers must contain at least one Layer, got none"),
        (
            (ReLU,),
            TypeError,
            r"layers\[0\] must be a Layer instance, got the class ReLU; "
            r"create one with ReLU\(...\)",
        ),
        (
            (Flatten(), np.tanh),
            TypeError,
            r"layers\[1\] must be a Layer .*got ufunc .*use the layer classes",
        ),
        ((Flatten(), "relu"), TypeError, r"layers\[1\] must be a Layer .*got str 'relu'"),
    ],
)
def test_sequential_rejects_non_layers(layers, error, pattern):
    with pytest.raises(error, match=pattern):
        Sequential(*layers)


def test_sequential_rejects_the_same_layer_twice():
    relu = ReLU()
    with pytest.raises(
        ValueError, match=r"layers\[2\] must be a new Layer object, got ReLU\(\) a second time"
    ):
        Sequential(relu, Flatten(), relu)


def test_sequential_index_errors():
    model = small_cnn()
    with pytest.raises(
        IndexError, match=r"index must be in -5..4 for a Sequential of 5 layers, got 5"
    ):
        model[5]
    with pytest.raises(TypeError, match=r"index must be an int or a slice, got str '0'"):
        model["0"]


@pytest.mark.parametrize(
    ("input_shape", "error", "pattern"),
    [
        (
            [1, 28, 28],
            TypeError,
            r"input_shape must be a tuple of positive ints .*got list of length 3",
        ),
        ((1, 0, 28), ValueError, r"input_shape\[1\] must be an integer >= 1, got 0"),
        ((), ValueError, r"input_shape must be a non-empty tuple .*got \(\)"),
        ((1, 28.0, 28), TypeError, r"input_shape\[1\] must be an integer, got float 28\.0"),
    ],
)
def test_output_shapes_rejects_bad_input_shapes(input_shape, error, pattern):
    with pytest.raises(error, match=pattern):
        small_cnn().output_shapes(input_shape)


def test_summary_names_the_layer_that_does_not_fit():
    model = Sequential(Conv2D(1, 2, 3, rng()), Dense(2 * 26 * 26, 10, rng()))
    with pytest.raises(
        ValueError,
        match=r"Dense\(1352, 10\): x must have shape .*\(N, 1352\), "
        r"got shape \(N, 2, 26, 26\); add Flatten\(\)",
    ):
        model.summary((1, 28, 28))


def test_count_parameters_rejects_non_layers():
    with pytest.raises(TypeError, match=r"model must be a Layer such as Dense.*got dict \{\}"):
        count_parameters({})
