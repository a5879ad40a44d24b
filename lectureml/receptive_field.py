"""Receptive fields: which input pixels one unit of a deeper layer can see.

A unit of a convolution or pooling layer sees a k x k window of the layer below it, and each unit
of that window sees a window of its own. Going up a stack of layers with kernel sides k_l,
strides s_l and paddings p_l, the side r of the receptive field (in input pixels), the jump j
(input pixels between neighbouring units of a layer) and the start (input row or column of the
first pixel seen by unit 0) follow

    r_l = r_{l-1} + (k_l - 1) * j_{l-1}
    j_l = j_{l-1} * s_l
    start_l = start_{l-1} - p_l * j_{l-1}

from r_0 = 1, j_0 = 1, start_0 = 0 (one input pixel sees itself). A stride > 1, as in 2 x 2
pooling, multiplies every later layer's growth: that is why conv + pool stacks see far more of
the image than plain conv stacks of the same depth. Kernels are square, so one geometry serves
both axes.

`receptive_fields` applies the formula, `receptive_field_window` turns it into the block of
input pixels one unit sees, and `unit_input_gradient` measures that block instead: the gradient
of one output unit with respect to the input is zero outside the receptive field.
"""

import numbers
from typing import NamedTuple

import numpy as np

from lectureml._validate import as_float_array, check_int, describe
from lectureml.layers import Conv2D, Dropout, Layer, Sequential, _Elementwise, _Pool2D


class ReceptiveField(NamedTuple):
    """Geometry of the units of one layer, in input pixels (the same along rows and columns).

    size: side of the square block of input pixels one unit sees.
    jump: distance in input pixels between the windows of two neighbouring units.
    start: input coordinate of the first pixel seen by unit 0; negative when the window
        reaches into zero padding.
    """

    size: int
    jump: int
    start: int


def layer_geometry(layer):
    """(kernel_size, stride, padding) of one layer, as seen by the receptive-field formula.

    Args:
        layer: a lectureml Conv2D, MaxPool2D or AvgPool2D; an elementwise layer (ReLU, Sigmoid,
            Tanh) or Dropout, which sees only its own unit (1, 1, 0); or a tuple
            (kernel_size, stride) or (kernel_size, stride, padding) of ints.

    Returns:
        tuple (kernel_size, stride, padding) of ints.
    """
    return _geometry(layer, "layer")


def _geometry(layer, name):
    """`layer_geometry`, with messages naming the layer as the caller passed it."""
    if isinstance(layer, Conv2D):
        return layer.kernel_size, layer.stride, layer.padding
    if isinstance(layer, _Pool2D):
        return layer.size, layer.stride, 0
    if isinstance(layer, (_Elementwise, Dropout)):
        return 1, 1, 0
    if isinstance(layer, Layer):
        raise TypeError(
            f"{name} must be a convolution, pooling, activation or dropout layer, got {layer!r}; "
            f"a Dense unit (after Flatten) sees the whole input, so it has no local receptive field"
        )
    if not isinstance(layer, tuple) or len(layer) not in (2, 3):
        raise TypeError(
            f"{name} must be a lectureml layer or a tuple (kernel_size, stride) or "
            f"(kernel_size, stride, padding), got {describe(layer)}"
        )
    kernel_size = check_int(layer[0], "kernel_size", minimum=1)
    stride = check_int(layer[1], "stride", minimum=1)
    padding = check_int(layer[2], "padding", minimum=0) if len(layer) == 3 else 0
    return kernel_size, stride, padding


def receptive_fields(layers):
    """The receptive field of the units after each layer of a stack.

    Args:
        layers: a Sequential, or a list/tuple whose items `layer_geometry` accepts, e.g.
            [(3, 1), (2, 2), (3, 1), (2, 2)] for conv 3x3, pool 2x2, conv 3x3, pool 2x2.

    Returns:
        list with one ReceptiveField per layer, in order: [(3, 1, 0), (4, 2, 0), ...].
    """
    size, jump, start = 1, 1, 0
    fields = []
    for kernel_size, stride, padding in _geometries(layers):
        size += (kernel_size - 1) * jump
        start -= padding * jump
        jump *= stride
        fields.append(ReceptiveField(size, jump, start))
    return fields


def receptive_field_window(layers, row, col, input_size):
    """The block of input pixels seen by unit (row, col) of the last layer, cut to the image.

    Args:
        layers: as in `receptive_fields`.
        row, col: position of the unit in the last layer's output (ints from 0 to that
            output's height - 1 and width - 1).
        input_size: (H, W) of the input image.

    Returns:
        ((row_start, row_stop), (col_start, col_stop)): input rows row_start..row_stop - 1 and
        columns col_start..col_stop - 1 (stops excluded, as in slices). Where the window
        reaches into the padding only the part inside the image is returned.
    """
    fields = receptive_fields(layers)
    row = check_int(row, "row", minimum=0)
    col = check_int(col, "col", minimum=0)
    height, width = _check_input_size(input_size)
    geometries = _geometries(layers)
    last = fields[-1]
    bounds = []
    for name, axis, index, length in (("row", "rows", row, height), ("col", "columns", col, width)):
        units = _output_length(geometries, length, (height, width))
        if index >= units:
            raise ValueError(
                f"{name} must be an integer in 0..{units - 1} (the last layer outputs {units} "
                f"{axis} for input_size {(height, width)}), got {index}"
            )
        first = last.start + index * last.jump
        stop = first + last.size
        if stop <= 0 or first >= length:
            raise ValueError(
                f"{name} must name a unit whose receptive field overlaps the input "
                f"(length {length}), got {name}={index}, whose field covers {first}..{stop - 1}"
            )
        bounds.append((max(first, 0), min(stop, length)))
    return tuple(bounds)


def unit_input_gradient(model, x, unit):
    """Gradient of one output unit of `model` with respect to the input image x.

    Runs model.forward(x), then model.backward with a one-hot upstream gradient (1 at `unit`
    of the only example, 0 elsewhere). Entries outside the unit's receptive field are exactly
    zero; inside it they can also be zero, e.g. where max pooling chose another pixel.

    Args:
        model: a Sequential (or any lectureml Layer) whose output is (1, F, Ho, Wo).
        x: one input, shape (1, C, H, W).
        unit: (channel, row, col) of the output unit.

    Returns:
        dx: shape (C, H, W), d output[0, channel, row, col] / d x[0].
    """
    if not isinstance(model, Layer):
        raise TypeError(
            f"model must be a lectureml Layer such as a Sequential, got {describe(model)}"
        )
    x = as_float_array(x, "x", ndim=4, layout="(1, C, H, W)")
    if x.shape[0] != 1:
        raise ValueError(
            f"x must hold exactly one example, shape (1, C, H, W), got shape {x.shape}"
        )
    if (
        not isinstance(unit, tuple)
        or len(unit) != 3
        or not all(isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in unit)
    ):
        raise TypeError(f"unit must be a tuple (channel, row, col) of ints, got {describe(unit)}")
    out_shape = model.output_shape(x.shape[1:])
    if len(out_shape) != 3:
        raise ValueError(
            f"model must output feature maps (1, F, Ho, Wo), got output shape {(1, *out_shape)}"
        )
    if not all(0 <= i < n for i, n in zip(unit, out_shape, strict=True)):
        raise ValueError(f"unit must lie inside the output (F, Ho, Wo) = {out_shape}, got {unit}")
    out = model.forward(x)
    dout = np.zeros_like(out)
    dout[(0, *unit)] = 1.0
    return model.backward(dout)[0]


def _geometries(layers):
    return [_geometry(layer, f"layers[{i}]") for i, layer in enumerate(_layer_list(layers))]


def _layer_list(layers):
    if isinstance(layers, Sequential):
        return list(layers)
    if not isinstance(layers, (list, tuple)) or len(layers) == 0:
        raise TypeError(
            f"layers must be a Sequential or a non-empty list of layers or (kernel_size, stride) "
            f"tuples, got {describe(layers)}"
        )
    return list(layers)


def _output_length(geometries, length, input_size):
    """Number of units along one axis after the last layer, as the layers compute it."""
    for depth, (kernel_size, stride, padding) in enumerate(geometries):
        length = (length + 2 * padding - kernel_size) // stride + 1
        if length < 1:
            raise ValueError(
                f"input_size must leave at least one unit after every layer, got {input_size}: "
                f"layers[{depth}] (kernel {kernel_size}, stride {stride}, padding {padding}) "
                f"leaves none"
            )
    return length


def _check_input_size(input_size):
    if not isinstance(input_size, (tuple, list)) or len(input_size) != 2:
        raise TypeError(f"input_size must be a pair (H, W) of ints, got {describe(input_size)}")
    return (
        check_int(input_size[0], "input_size[0]", minimum=1),
        check_int(input_size[1], "input_size[1]", minimum=1),
    )
