"""Tests for lectureml.receptive_field: the formula, the windows, and the measured gradients."""

import numpy as np
import pytest

from lectureml.gradcheck import numerical_gradient, relative_error
from lectureml.layers import (
    AvgPool2D,
    Conv2D,
    Dense,
    Flatten,
    MaxPool2D,
    ReLU,
    Sequential,
)
from lectureml.receptive_field import (
    ReceptiveField,
    layer_geometry,
    receptive_field_window,
    receptive_fields,
    unit_input_gradient,
)


def positive_stack(rng, pool=AvgPool2D, padding=0):
    """conv 3x3 -> pool 2 -> conv 3x3 -> pool 2 with positive kernels: no cancellations."""
    model = Sequential(
        Conv2D(1, 1, 3, rng, padding=padding, dtype=np.float64),
        ReLU(),
        pool(2),
        Conv2D(1, 1, 3, rng, padding=padding, dtype=np.float64),
        pool(2),
    )
    for layer in model:
        if isinstance(layer, Conv2D):
            layer.params["W"][...] = np.abs(layer.params["W"]) + 0.1
            layer.params["b"][...] = 1.0  # keeps every ReLU open for a positive input
    return model


def test_lenet_like_stack_follows_the_formula():
    fields = receptive_fields([(5, 1), (2, 2), (5, 1), (2, 2), (3, 1)])
    assert [f.size for f in fields] == [5, 6, 14, 16, 24]
    assert [f.jump for f in fields] == [1, 2, 2, 4, 4]
    assert all(f.start == 0 for f in fields)


def test_padding_moves_the_start_by_the_jump_below():
    fields = receptive_fields([(3, 1, 1), (2, 2), (3, 1, 1)])
    assert fields == [ReceptiveField(3, 1, -1), ReceptiveField(4, 2, -1), ReceptiveField(8, 2, -3)]


def test_layers_and_tuples_give_the_same_fields():
    rng = np.random.default_rng(0)
    model = Sequential(Conv2D(1, 2, 3, rng, stride=2, padding=1), ReLU(), MaxPool2D(3, stride=2))
    assert [layer_geometry(layer) for layer in model] == [(3, 2, 1), (1, 1, 0), (3, 2, 0)]
    assert receptive_fields(model) == receptive_fields([(3, 2, 1), (1, 1), (3, 2)])
    assert receptive_fields(model)[-1] == ReceptiveField(7, 4, -1)


def test_window_is_cut_to_the_image():
    stack = [(3, 1, 1), (2, 2), (3, 1, 1)]
    assert receptive_field_window(stack, 0, 0, (10, 12)) == ((0, 5), (0, 5))
    assert receptive_field_window(stack, 2, 3, (10, 12)) == ((1, 9), (3, 11))


@pytest.mark.parametrize("padding", [0, 1])
def test_gradient_is_nonzero_exactly_on_the_receptive_field(padding):
    model = positive_stack(np.random.default_rng(1), padding=padding)
    x = np.random.default_rng(2).random((1, 1, 20, 20)) + 0.5
    unit = (0, 2, 1)
    dx = unit_input_gradient(model, x, unit)
    (r0, r1), (c0, c1) = receptive_field_window(model, 2, 1, (20, 20))
    expected = np.zeros((20, 20), dtype=bool)
    expected[r0:r1, c0:c1] = True
    assert dx.shape == (1, 20, 20)
    np.testing.assert_array_equal(dx[0] != 0, expected)
    assert (r1 - r0, c1 - c0) == (10, 10)


def test_max_pooling_uses_only_part_of_the_receptive_field():
    model = positive_stack(np.random.default_rng(1), pool=MaxPool2D)
    x = np.random.default_rng(2).random((1, 1, 20, 20)) + 0.5
    dx = unit_input_gradient(model, x, (0, 1, 1))
    (r0, r1), (c0, c1) = receptive_field_window(model, 1, 1, (20, 20))
    inside = dx[0, r0:r1, c0:c1] != 0
    assert np.count_nonzero(dx[0]) == np.count_nonzero(inside)  # nothing outside
    # The last pool picks one second-conv unit, which reads 9 first-pool units, each of which
    # picks one first-conv unit reading 3x3 pixels: at most 81 of the field's 100 pixels.
    assert 9 <= np.count_nonzero(inside) <= 81


def test_gradient_agrees_with_central_differences_at_every_pixel():
    model = positive_stack(np.random.default_rng(3))
    x = np.random.default_rng(4).random((1, 1, 16, 16)) + 0.5
    dx = unit_input_gradient(model, x, (0, 0, 1))
    numerical = numerical_gradient(lambda: model.forward(x)[0, 0, 0, 1], x)
    assert dx.dtype == np.float64
    assert relative_error(dx, numerical[0]) < 1e-7


def test_errors_name_the_argument_and_both_values():
    with pytest.raises(TypeError, match=r"layers must be a Sequential .*got list of length 0"):
        receptive_fields([])
    with pytest.raises(TypeError, match=r"layer must be a lectureml layer or a tuple .*got int 3"):
        layer_geometry(3)
    with pytest.raises(
        TypeError, match=r"layers\[0\] must be a lectureml layer or a tuple .*got int 3"
    ):
        receptive_fields([3])
    with pytest.raises(ValueError, match=r"stride must be an integer >= 1, got 0"):
        layer_geometry((3, 0))
    with pytest.raises(
        TypeError,
        match=r"layer must be a convolution, pooling, activation or dropout layer, "
        r"got Dense\(4, 2\); .*no local receptive field",
    ):
        layer_geometry(Dense(4, 2, np.random.default_rng(0)))
    with pytest.raises(
        TypeError,
        match=r"layers\[1\] must be a convolution, pooling, activation or dropout layer, "
        r"got Flatten\(\); .*no local receptive field",
    ):
        receptive_fields([(3, 1), Flatten()])
    with pytest.raises(TypeError, match=r"layers\[0\] must be a lectureml layer .*got int 3"):
        receptive_field_window([3], 0, 0, (5, 5))
    with pytest.raises(ValueError, match=r"row must be an integer >= 0, got -1"):
        receptive_field_window([(3, 1)], -1, 0, (5, 5))
    # Padding 2 around a 1x1 kernel: output column 0 exists but sees only padding.
    with pytest.raises(ValueError, match=r"col must name a unit .*length 5.*col=0.*-2\.\.-2"):
        receptive_field_window([(1, 1, 2)], 2, 0, (5, 5))
    with pytest.raises(TypeError, match=r"input_size must be a pair \(H, W\) of ints, got int 5"):
        receptive_field_window([(3, 1)], 0, 0, 5)
    model = positive_stack(np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"model must be a lectureml Layer .*got str 'net'"):
        unit_input_gradient("net", np.ones((1, 1, 12, 12)), (0, 0, 0))
    with pytest.raises(ValueError, match=r"x must hold exactly one example.*got shape \(2, 1"):
        unit_input_gradient(model, np.ones((2, 1, 12, 12)), (0, 0, 0))
    with pytest.raises(ValueError, match=r"unit must lie inside .*\(1, 1, 1\), got \(0, 1, 0\)"):
        unit_input_gradient(model, np.ones((1, 1, 12, 12)), (0, 1, 0))
    with pytest.raises(
        TypeError, match=r"unit must be a tuple \(channel, row, col\) of ints, got list of length 3"
    ):
        unit_input_gradient(model, np.ones((1, 1, 12, 12)), [0, 0, 0])


@pytest.mark.parametrize(
    ("row", "col", "pattern"),
    [
        (3, 1, r"row must be an integer in 0\.\.2 \(the last layer outputs 3 rows .*got 3"),
        (0, 3, r"col must be an integer in 0\.\.2 \(the last layer outputs 3 columns .*got 3"),
        (0, 9, r"col must be an integer in 0\.\.2 .*for input_size \(5, 5\)\), got 9"),
    ],
)
def test_window_rejects_units_the_layer_does_not_output(row, col, pattern):
    # A 3x3 kernel on a 5x5 input outputs rows and columns 0..2.
    assert receptive_field_window([(3, 1)], 2, 2, (5, 5)) == ((2, 5), (2, 5))
    with pytest.raises(ValueError, match=pattern):
        receptive_field_window([(3, 1)], row, col, (5, 5))


def test_window_rejects_an_input_too_small_for_the_layers():
    with pytest.raises(
        ValueError,
        match=r"input_size must leave at least one unit after every layer, got \(5, 5\): "
        r"layers\[2\] \(kernel 3, stride 1, padding 0\) leaves none",
    ):
        receptive_field_window([(3, 1), (2, 2), (3, 1)], 0, 0, (5, 5))
