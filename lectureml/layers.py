"""Layer objects: the lecture's building blocks with one shared forward/backward protocol.

Every layer wraps a forward/backward pair of the functional modules (`conv`, `pooling`,
`activations`, `dropout`) and remembers what its backward pass needs:

    out = layer.forward(x, training=False)   # caches x (and whatever else backward needs)
    dx = layer.backward(dout)                # fills layer.grads, returns dL/dx

`layer.params` and `layer.grads` are dicts with the same keys ("W" for weights, "b" for
biases). Both hold fixed arrays: backward OVERWRITES the gradient arrays in place (it does
not accumulate), and an optimizer updates the parameter arrays in place, so references taken
once (e.g. by `optim.SGD`) stay valid for the whole training run.

Shapes follow the lecture and numpy conventions: a Dense layer maps (N, D) to (N, M) with
W of shape (D, M), like the lecture's W(1) (D x M); image layers work on (N, C, H, W) batches.
Models output logits: softmax lives inside the loss (`losses.softmax_cross_entropy`).

Layers with parameters take a `dtype` (float32 by default, float64 for gradient checks);
their inputs are converted to that dtype. Layers without parameters keep the input's dtype.
Layers that draw random numbers take a numpy.random.Generator, never the global RNG.
"""

import numbers

import numpy as np

from lectureml import activations, pooling
from lectureml import conv as convolution
from lectureml import dropout as dropout_ops
from lectureml._validate import (
    as_float_array,
    check_bool,
    check_choice,
    check_class_labels,
    check_finite,
    check_float_dtype,
    check_generator,
    check_int,
    check_probability,
    describe,
)

_INITS = ("he", "glorot")


class Layer:
    """Base class: the forward/backward protocol, parameter bookkeeping and shape inference.

    Subclasses implement `forward`, `backward`, `_infer_shape` and `__repr__`, and put their
    parameters in `self.params` with a gradient array of the same shape in `self.grads`.
    """

    def __init__(self):
        self.params = {}
        self.grads = {}
        # Whatever forward saves for backward; None until the first forward pass.
        self._cache = None

    def forward(self, x, training=False):
        """Compute the layer's output for the batch `x` and cache what backward needs."""
        raise NotImplementedError

    def backward(self, dout):
        """Given dL/d(output), fill `self.grads` and return dL/dx (shape of the last x)."""
        raise NotImplementedError

    def _infer_shape(self, shape):
        """Output shape for an input of full shape `shape` (batch axis first), validated.

        The batch entry may be the placeholder "N" (used by `output_shape`); it is passed
        through unchanged. Raises a ValueError naming the expected and the given shape.
        """
        raise NotImplementedError

    def output_shape(self, input_shape):
        """Shape of one example's output for one example's input shape (no batch axis).

        Args:
            input_shape: tuple of positive ints, e.g. (1, 28, 28) for one grayscale image.

        Returns:
            tuple: e.g. (8, 28, 28) for Conv2D(1, 8, kernel_size=3, padding=1).
        """
        input_shape = check_input_shape(input_shape)
        return tuple(self._infer_shape(("N", *input_shape))[1:])

    @property
    def num_parameters(self):
        """Number of trainable numbers in this layer (0 for ReLU, pooling, Flatten...)."""
        return sum(int(param.size) for param in self.params.values())

    def named_parameters(self):
        """Yield (name, param, grad) for every parameter, e.g. ("W", W, dW)."""
        grads = self.grads
        for name, param in self.params.items():
            yield name, param, grads[name]

    def parameters(self):
        """Yield (param, grad) pairs, the arrays an optimizer updates in place."""
        for _, param, grad in self.named_parameters():
            yield param, grad

    def zero_grad(self):
        """Set every gradient to zero. Not needed between steps: backward overwrites grads."""
        for _, grad in self.parameters():
            grad.fill(0)

    def _input(self, x, training):
        """Validate the forward input `x` and the `training` flag; return x and the output shape."""
        check_bool(training, "training")
        x = as_float_array(x, "x")
        return x, self._infer_shape(x.shape)

    def _saved(self):
        """The forward cache, or a clear error if backward comes before forward."""
        if self._cache is None:
            raise RuntimeError(
                f"{self!r}: backward was called before forward; run forward(x, training=True) "
                f"on a batch first, then backward(dout) with the gradient of its output"
            )
        return self._cache

    def _upstream(self, dout, out_shape, dtype=None):
        """Validate `dout` against the shape of the last output; optionally cast it."""
        dout = as_float_array(dout, "dout")
        if dout.shape != tuple(out_shape):
            raise ValueError(
                f"{self!r}: dout must have the shape of the last forward output "
                f"{tuple(out_shape)}, got shape {dout.shape}"
            )
        if dtype is not None:
            dout = dout.astype(dtype, copy=False)
        return dout


class Dense(Layer):
    """Fully connected layer: out = x @ W + b, every input unit wired to every output unit.

    Args:
        in_features: D, the size of each input vector.
        out_features: M, the number of units.
        rng: numpy.random.Generator for the initial weights.
        dtype: float32 (default) or float64.
        init: "he" (default) draws W ~ N(0, 2 / D), which keeps the variance of ReLU
            activations roughly constant from layer to layer (He et al., 2015); "glorot"
            draws W ~ N(0, 2 / (D + M)), the choice for tanh/sigmoid units (Glorot and
            Bengio, 2010). Biases start at zero.

    Parameters: W of shape (D, M), the lecture's W(1) (D x M); b of shape (M,), playing the
    role of the lecture's weight on the constant input x0 = 1.
    """

    def __init__(self, in_features, out_features, rng, dtype=np.float32, init="he"):
        super().__init__()
        self.in_features = check_int(in_features, "in_features", minimum=1)
        self.out_features = check_int(out_features, "out_features", minimum=1)
        rng = check_generator(rng, "rng")
        self.dtype = check_float_dtype(dtype)
        std = _init_std(init, fan_in=self.in_features, fan_out=self.out_features)
        weights = rng.standard_normal((self.in_features, self.out_features)) * std
        self.params = {
            "W": weights.astype(self.dtype),
            "b": np.zeros(self.out_features, dtype=self.dtype),
        }
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}

    def _infer_shape(self, shape):
        if len(shape) != 2 or shape[1] != self.in_features:
            hint = ""
            if len(shape) > 2:
                hint = (
                    "; add Flatten() before this layer to turn (N, C, H, W) feature maps "
                    "into (N, C*H*W) vectors"
                )
            raise ValueError(
                f"{self!r}: x must have shape (N, in_features) = (N, {self.in_features}), "
                f"got shape {_format_shape(shape)}{hint}"
            )
        return (shape[0], self.out_features)

    def forward(self, x, training=False):
        """Affine map of a batch of vectors.

        Args:
            x: inputs, shape (N, in_features).
            training: unused (the layer behaves the same in training and at test time).

        Returns:
            out: x @ W + b, shape (N, out_features), dtype of the layer.
        """
        x, _ = self._input(x, training)
        x = x.astype(self.dtype, copy=False)
        out = x @ self.params["W"]
        out += self.params["b"]
        self._cache = x
        return out

    def backward(self, dout):
        """Gradients of the affine map.

        Args:
            dout: dL/dout, shape (N, out_features).

        Returns:
            dx: dL/dx = dout @ W.T, shape (N, in_features). Also fills
            grads["W"] = x.T @ dout, shape (in_features, out_features), and
            grads["b"] = dout summed over the batch, shape (out_features,).
        """
        x = self._saved()
        dout = self._upstream(dout, (x.shape[0], self.out_features), self.dtype)
        np.matmul(x.T, dout, out=self.grads["W"])
        np.sum(dout, axis=0, out=self.grads["b"])
        return dout @ self.params["W"].T

    def __repr__(self):
        return f"Dense({self.in_features}, {self.out_features}{_dtype_suffix(self.dtype)})"


class Conv2D(Layer):
    """2-D convolution layer (cross-correlation, as in every deep-learning library).

    Each of the `out_channels` filters spans all input channels and a square
    kernel_size x kernel_size window; the same weights are applied at every position
    (parameter sharing), so the layer has out_channels * (in_channels * k * k + 1)
    parameters whatever the image size.

    Args:
        in_channels: C, channels of the input feature maps.
        out_channels: F, number of filters (output feature maps).
        kernel_size: k, side of the square kernel.
        rng: numpy.random.Generator for the initial weights.
        stride: step between neighbouring windows.
        padding: zeros added on each side of the height and width.
        dtype: float32 (default) or float64.
        init: "he" (default), W ~ N(0, 2 / (C k k)), or "glorot",
            W ~ N(0, 2 / (C k k + F k k)); biases start at zero.

    Parameters: W of shape (F, C, k, k), b of shape (F,).
    """

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        rng,
        stride=1,
        padding=0,
        dtype=np.float32,
        init="he",
    ):
        super().__init__()
        self.in_channels = check_int(in_channels, "in_channels", minimum=1)
        self.out_channels = check_int(out_channels, "out_channels", minimum=1)
        self.kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
        rng = check_generator(rng, "rng")
        self.stride = check_int(stride, "stride", minimum=1)
        self.padding = check_int(padding, "padding", minimum=0)
        self.dtype = check_float_dtype(dtype)
        window = self.kernel_size * self.kernel_size
        std = _init_std(init, fan_in=self.in_channels * window, fan_out=self.out_channels * window)
        shape = (self.out_channels, self.in_channels, self.kernel_size, self.kernel_size)
        self.params = {
            "W": (rng.standard_normal(shape) * std).astype(self.dtype),
            "b": np.zeros(self.out_channels, dtype=self.dtype),
        }
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}

    def _infer_shape(self, shape):
        if len(shape) != 4 or shape[1] != self.in_channels:
            hint = ""
            # A real batch (not output_shape's placeholder N) may also be one unbatched image.
            one_image = shape[0] != "N"
            if len(shape) == 2:
                hint = "; reshape flat vectors into images first, e.g. x.reshape(N, C, H, W)"
                if one_image:
                    hint += ", or make a single (H, W) image a batch of one with x[None, None]"
            elif len(shape) == 3:
                hint = "; add the channel axis, e.g. x[:, None] for grayscale images"
                if one_image:
                    hint += ", or make a single (C, H, W) image a batch of one with x[None]"
            raise ValueError(
                f"{self!r}: x must have shape (N, in_channels, H, W) = "
                f"(N, {self.in_channels}, H, W), got shape {_format_shape(shape)}{hint}"
            )
        if 0 in shape[2:]:
            raise ValueError(
                f"{self!r}: x must have H >= 1 and W >= 1, got shape {_format_shape(shape)}"
            )
        height, width = (
            _sliding_size(size, self.kernel_size, self.stride, self.padding) for size in shape[2:]
        )
        if height < 1 or width < 1:
            raise ValueError(
                f"{self!r}: x must have H and W >= kernel_size - 2 * padding = "
                f"{self.kernel_size - 2 * self.padding}, got shape {_format_shape(shape)}"
            )
        return (shape[0], self.out_channels, height, width)

    def forward(self, x, training=False):
        """Convolve a batch of feature maps with every filter.

        Args:
            x: inputs, shape (N, C, H, W).
            training: unused (the layer behaves the same in training and at test time).

        Returns:
            out: shape (N, F, H_out, W_out) with H_out = (H + 2 padding - k) // stride + 1
            (likewise W_out), dtype of the layer.
        """
        x, _ = self._input(x, training)
        x = x.astype(self.dtype, copy=False)
        # The cached path keeps the im2col columns for backward instead of rebuilding them;
        # its arguments are checked here (x) and at construction (W, b, stride, padding).
        out, conv_cache = convolution._conv2d_forward_with_cache(
            x, self.params["W"], self.params["b"], self.stride, self.padding
        )
        self._cache = (out.shape, conv_cache)
        return out

    def backward(self, dout):
        """Gradients of the convolution.

        Args:
            dout: dL/dout, shape (N, F, H_out, W_out).

        Returns:
            dx: dL/dx, shape (N, C, H, W). Also fills grads["W"] (F, C, k, k) and
            grads["b"] (F,).
        """
        out_shape, conv_cache = self._saved()
        dout = self._upstream(dout, out_shape, self.dtype)
        dx, dw, db = convolution._conv2d_backward_from_cache(dout, conv_cache)
        self.grads["W"][...] = dw
        self.grads["b"][...] = db
        return dx

    def __repr__(self):
        return (
            f"Conv2D({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}{_dtype_suffix(self.dtype)})"
        )


class _Pool2D(Layer):
    """Shared code of the pooling layers: windows of size x size, moved by `stride`."""

    _name = ""

    def __init__(self, size=2, stride=None):
        super().__init__()
        self.size = check_int(size, "size", minimum=1)
        self.stride = self.size if stride is None else check_int(stride, "stride", minimum=1)

    def _infer_shape(self, shape):
        if len(shape) != 4:
            raise ValueError(
                f"{self!r}: x must have 4 dimensions (N, C, H, W), got shape {_format_shape(shape)}"
            )
        if shape[2] < self.size or shape[3] < self.size:
            raise ValueError(
                f"{self!r}: x must have H and W >= size = {self.size}, "
                f"got shape {_format_shape(shape)}"
            )
        height, width = (_sliding_size(size, self.size, self.stride, 0) for size in shape[2:])
        return (shape[0], shape[1], height, width)

    def __repr__(self):
        return f"{self._name}(size={self.size}, stride={self.stride})"


class MaxPool2D(_Pool2D):
    """Max pooling: each output is the largest input in its size x size window.

    Args:
        size: side of the square window.
        stride: step between windows; None means `size` (non-overlapping windows).

    Maps (N, C, H, W) to (N, C, (H - size) // stride + 1, (W - size) // stride + 1);
    rows and columns that do not fill a whole window are dropped.
    """

    _name = "MaxPool2D"

    def forward(self, x, training=False):
        """Max over each window; x of shape (N, C, H, W), dtype kept."""
        x, _ = self._input(x, training)
        # The cached path records each window's winner so backward need not search again.
        out, pool_cache = pooling._max_pool2d_forward_with_cache(x, self.size, self.stride)
        self._cache = (out.shape, x.dtype, pool_cache)
        return out

    def backward(self, dout):
        """Route each gradient to the position of its window's maximum; returns dx like x."""
        out_shape, dtype, pool_cache = self._saved()
        dout = self._upstream(dout, out_shape, dtype)
        return pooling._max_pool2d_backward_from_cache(dout, pool_cache)


class AvgPool2D(_Pool2D):
    """Average (mean) pooling: each output is the mean of its size x size window.

    Args:
        size: side of the square window.
        stride: step between windows; None means `size` (non-overlapping windows).

    Maps (N, C, H, W) to (N, C, (H - size) // stride + 1, (W - size) // stride + 1).
    """

    _name = "AvgPool2D"

    def forward(self, x, training=False):
        """Mean over each window; x of shape (N, C, H, W), dtype kept."""
        x, _ = self._input(x, training)
        out = pooling.avg_pool2d(x, size=self.size, stride=self.stride)
        self._cache = (x, out.shape)
        return out

    def backward(self, dout):
        """Share each gradient equally among its window's inputs; returns dx like x."""
        x, out_shape = self._saved()
        dout = self._upstream(dout, out_shape, x.dtype)
        return pooling.avg_pool2d_backward(dout, x, size=self.size, stride=self.stride)


class _Elementwise(Layer):
    """An activation h applied to every unit; backward multiplies by h'(pre-activation)."""

    _function = None
    _derivative = None

    def _infer_shape(self, shape):
        return tuple(shape)

    def forward(self, x, training=False):
        """h(x) elementwise; any shape, dtype kept."""
        x, _ = self._input(x, training)
        self._cache = x
        return type(self)._function(x)

    def backward(self, dout):
        """dL/dx = dout * h'(x) with x the cached pre-activation."""
        x = self._saved()
        dout = self._upstream(dout, x.shape, x.dtype)
        return dout * type(self)._derivative(x)

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(_Elementwise):
    """Rectified linear unit max{0, x}; gradient 1 where x > 0, else 0."""

    _function = activations.relu
    _derivative = activations.relu_derivative


class Sigmoid(_Elementwise):
    """Logistic sigmoid 1 / (1 + exp(-x)); gradient at most 1/4, hence vanishing in depth."""

    _function = activations.sigmoid
    _derivative = activations.sigmoid_derivative


class Tanh(_Elementwise):
    """Hyperbolic tangent; gradient 1 - tanh(x)**2."""

    _function = activations.tanh
    _derivative = activations.tanh_derivative


class Dropout(Layer):
    """Inverted dropout: while training, drop each unit with probability p.

    Args:
        p: probability of dropping a unit, 0 <= p < 1.
        rng: numpy.random.Generator drawing the masks (one new mask per training forward).

    At test time (training=False) the layer is the identity and returns x itself.
    """

    def __init__(self, p, rng):
        super().__init__()
        self.p = check_probability(p, "p")
        self.rng = check_generator(rng, "rng")

    def _infer_shape(self, shape):
        return tuple(shape)

    def forward(self, x, training=False):
        """Drop and rescale units when `training`, else pass x through; any shape."""
        x, _ = self._input(x, training)
        if not training:
            # The identity needs no mask; backward passes dout straight through.
            self._cache = (x.shape, x.dtype, None)
            return x
        out, mask = dropout_ops.dropout(x, self.p, self.rng, training=True)
        self._cache = (x.shape, x.dtype, mask)
        return out

    def backward(self, dout):
        """dL/dx = dout * mask (the mask of the last training forward); shape of x."""
        shape, dtype, mask = self._saved()
        dout = self._upstream(dout, shape, dtype)
        if mask is None:
            return dout
        return dropout_ops.dropout_backward(dout, mask)

    def __repr__(self):
        return f"Dropout(p={self.p})"


class Flatten(Layer):
    """Reshape (N, C, H, W) feature maps (or any (N, ...) batch) into (N, C*H*W) vectors."""

    def _infer_shape(self, shape):
        if len(shape) < 2:
            raise ValueError(
                f"Flatten(): x must have a batch axis and at least one more, shape (N, ...), "
                f"got shape {_format_shape(shape)}"
            )
        return (shape[0], int(np.prod(shape[1:])))

    def forward(self, x, training=False):
        """A view of x with shape (N, prod(other axes)); no data is copied."""
        x, out_shape = self._input(x, training)
        self._cache = (x.shape, x.dtype)
        return x.reshape(out_shape)

    def backward(self, dout):
        """dout of shape (N, D) reshaped back to the input's shape."""
        shape, dtype = self._saved()
        dout = self._upstream(dout, (shape[0], int(np.prod(shape[1:]))), dtype)
        return dout.reshape(shape)

    def __repr__(self):
        return "Flatten()"


class Sequential(Layer):
    """A chain of layers: forward runs them in order, backward in reverse order.

    Args:
        *layers: Layer instances, e.g. Sequential(Conv2D(1, 8, 3, rng), ReLU(), ...).

    `params` and `grads` are dicts over all layers, keyed "<index>.<name>" (e.g. "0.W"),
    holding the layers' own arrays (not copies). `model[i]` is the i-th layer and
    `model[a:b]` a Sequential of the same layer objects (handy to look at feature maps).
    """

    def __init__(self, *layers):
        # No call to Layer.__init__: params and grads are views over the layers' dicts.
        if not layers:
            raise ValueError("layers must contain at least one Layer, got none: Sequential()")
        seen = set()
        for index, layer in enumerate(layers):
            _check_layer(layer, f"layers[{index}]")
            if id(layer) in seen:
                raise ValueError(
                    f"layers[{index}] must be a new Layer object, got {layer!r} a second "
                    f"time; its forward cache and gradients can hold only one use, so "
                    f"create a separate layer instead"
                )
            seen.add(id(layer))
        self.layers = list(layers)

    @property
    def params(self):
        return {
            f"{index}.{name}": param
            for index, layer in enumerate(self.layers)
            for name, param in layer.params.items()
        }

    @property
    def grads(self):
        return {
            f"{index}.{name}": grad
            for index, layer in enumerate(self.layers)
            for name, grad in layer.grads.items()
        }

    @property
    def dtype(self):
        """dtype of the first parameter (None if no layer has parameters)."""
        for param, _ in self.parameters():
            return param.dtype
        return None

    def named_parameters(self):
        """Yield ("<index>.<name>", param, grad) for every parameter of every layer."""
        for index, layer in enumerate(self.layers):
            for name, param, grad in layer.named_parameters():
                yield f"{index}.{name}", param, grad

    def forward(self, x, training=False):
        """Run every layer in order.

        Args:
            x: input batch, e.g. (N, C, H, W) images.
            training: passed to every layer (switches dropout on).

        Returns:
            the last layer's output, e.g. logits of shape (N, K).
        """
        check_bool(training, "training")
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, dout):
        """Backpropagate dL/d(output) through every layer in reverse; returns dL/dx."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def _infer_shape(self, shape):
        for layer in self.layers:
            shape = layer._infer_shape(shape)
        return shape

    def output_shapes(self, input_shape):
        """Each layer's output shape for one example of shape `input_shape` (no batch axis).

        Args:
            input_shape: tuple of positive ints, e.g. (1, 28, 28).

        Returns:
            list with one tuple per layer, e.g. [(8, 28, 28), (8, 28, 28), (8, 14, 14), ...].
        """
        shape = ("N", *check_input_shape(input_shape))
        shapes = []
        for index, layer in enumerate(self.layers):
            try:
                shape = layer._infer_shape(shape)
            except ValueError as error:
                if index > 0:
                    raise
                # The first layer is where a batch axis left in input_shape shows up.
                raise ValueError(
                    f"{error} (input_shape {input_shape} is read as ONE example without the "
                    f"batch axis, e.g. (1, 28, 28))"
                ) from None
            shapes.append(tuple(shape[1:]))
        return shapes

    def summary(self, input_shape):
        """A text table of every layer's output shape and parameter count, with the total.

        Args:
            input_shape: shape of one example without the batch axis, e.g. (1, 28, 28).

        Returns:
            str, the same for the same model and shape (shapes are printed with the batch
            axis as N, counts with thousands separators).
        """
        shapes = self.output_shapes(input_shape)
        rows = [("", "input", _format_shape(("N", *input_shape)), "")]
        for index, (layer, shape) in enumerate(zip(self.layers, shapes, strict=True)):
            rows.append(
                (
                    str(index),
                    _one_line(layer),
                    _format_shape(("N", *shape)),
                    f"{layer.num_parameters:,}",
                )
            )
        header = ("#", "layer", "output shape", "parameters")
        total = f"{self.num_parameters:,}"
        widths = [max(len(row[col]) for row in [header, *rows]) for col in range(4)]
        widths[3] = max(widths[3], len(total))

        def line(cells):
            index, name, shape, count = cells
            return (
                f"{index:>{widths[0]}}  {name:<{widths[1]}}  {shape:<{widths[2]}}  "
                f"{count:>{widths[3]}}"
            ).rstrip()

        rule = "-" * sum(widths, 2 * (len(widths) - 1))
        total_line = f"{'total':<{len(rule) - widths[3]}}{total:>{widths[3]}}"
        return "\n".join([line(header), rule, *map(line, rows), rule, total_line])

    def __len__(self):
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise TypeError(f"index must be an int or a slice, got {describe(index)}")
        if not -len(self.layers) <= index < len(self.layers):
            raise IndexError(
                f"index must be in -{len(self.layers)}..{len(self.layers) - 1} for a "
                f"Sequential of {len(self.layers)} layers, got {index}"
            )
        return self.layers[index]

    def __repr__(self):
        lines = [f"  ({index}): {_one_line(layer)}" for index, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"


def count_parameters(model):
    """Total number of trainable numbers in a layer or model.

    Args:
        model: a Layer, e.g. a Sequential.

    Returns:
        int; per-layer counts are `[layer.num_parameters for layer in model]`.
    """
    _check_layer(model, "model")
    return model.num_parameters


def check_model(model):
    """Require a model to train or inspect: any Layer, usually a Sequential."""
    if not isinstance(model, Layer):
        raise TypeError(f"model must be a Layer such as Sequential(...), got {describe(model)}")
    return model


def check_batch(model, x, name="x", logits=False):
    """x as a non-empty, finite float batch (N, ...) whose examples the model accepts.

    With logits=True the model must also map it to (N, K) logits, as losses need. Returns x
    and the model's output shape for one example, e.g. (10,).
    """
    x = as_float_array(x, name)
    # An empty axis checked here, or output_shape would blame an input_shape nobody passed.
    if x.ndim < 2 or 0 in x.shape:
        raise ValueError(
            f"{name} must be a non-empty batch with the examples along axis 0, shape (N, ...) "
            f"with every axis at least 1 long, got shape {x.shape}"
        )
    check_finite(x, name)
    output_shape = model.output_shape(x.shape[1:])  # raises, naming the layer, on a misfit
    if logits and len(output_shape) != 1:
        raise ValueError(
            f"model must output logits of shape (N, K) for {name} of shape "
            f"(N, {', '.join(map(str, x.shape[1:]))}), got outputs of shape "
            f"(N, {', '.join(map(str, output_shape))}); end it with Flatten() and Dense(..., K)"
        )
    return x, output_shape


def check_labelled_batch(model, x, y, x_name="x", y_name="y"):
    """A batch the model maps to (N, K) logits, and its integer labels y in 0..K-1."""
    x, (num_classes,) = check_batch(model, x, x_name, logits=True)
    y = check_class_labels(y, y_name, len(x), num_classes, f"example of {x_name}")
    return x, y


def _check_layer(value, name):
    if isinstance(value, type) and issubclass(value, Layer):
        raise TypeError(
            f"{name} must be a Layer instance, got the class {value.__name__}; "
            f"create one with {value.__name__}(...)"
        )
    if not isinstance(value, Layer):
        hint = ""
        if callable(value):
            hint = "; use the layer classes (e.g. ReLU()) rather than functions (e.g. relu)"
        raise TypeError(
            f"{name} must be a Layer such as Dense(...), Conv2D(...) or ReLU(), "
            f"got {describe(value)}{hint}"
        )


def check_input_shape(input_shape):
    """The shape of ONE example (no batch axis) as a tuple of ints >= 1, e.g. (1, 28, 28)."""
    if not isinstance(input_shape, tuple):
        raise TypeError(
            f"input_shape must be a tuple of positive ints for ONE example without the batch "
            f"axis, e.g. (1, 28, 28), got {describe(input_shape)}"
        )
    if not input_shape:
        raise ValueError(
            "input_shape must be a non-empty tuple of positive ints for ONE example without "
            "the batch axis, e.g. (1, 28, 28), got ()"
        )
    # Entry by entry, so the message points at the bad size instead of the whole tuple.
    return tuple(
        check_int(size, f"input_shape[{index}]", minimum=1)
        for index, size in enumerate(input_shape)
    )


def _init_std(init, fan_in, fan_out):
    check_choice(init, "init", _INITS)
    if init == "he":
        return np.sqrt(2.0 / fan_in)
    return np.sqrt(2.0 / (fan_in + fan_out))


def _sliding_size(size, window, stride, padding):
    """Number of window positions along one axis: (size + 2 padding - window) // stride + 1."""
    return (size + 2 * padding - window) // stride + 1


def _format_shape(shape):
    """'(N, 1, 28, 28)': shapes whose batch entry may be the placeholder N."""
    items = [str(size) for size in shape]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _one_line(layer):
    if isinstance(layer, Sequential):
        return f"Sequential({len(layer)} layers)"
    return repr(layer)


def _dtype_suffix(dtype):
    return "" if dtype == np.float32 else f", dtype={dtype.name}"
