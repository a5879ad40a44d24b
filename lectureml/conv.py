"""Convolution: one small kernel slid over the whole image.

It combines the lecture's local receptive fields with weight sharing. Conventions:

- images are NCHW arrays: (N samples, C channels, H rows, W columns);
- a convolution layer holds F kernels, stored as w of shape (F, C, KH, KW), and one bias per kernel;
- "convolution" means cross-correlation, as in the lecture's 5x5 example and every deep learning
  framework (the kernel is not flipped; flipping it gives the textbook convolution):
      out[n, f, i, j] = b[f] + sum over c, a, e of
                        w[f, c, a, e] * x_padded[n, c, i*stride + a, j*stride + e];
- padding adds `padding` rows/columns of zeros on every side, so the output size is
  1 + (H + 2*padding - KH) // stride (see `conv_output_size`).

`conv2d` and `conv2d_backward` are the fast versions (im2col: copy every window into a column of
one matrix, so the whole layer becomes a single matrix product; see `_FlatGrid` for the layout that
makes building that matrix cheap). `conv2d_naive` computes the same numbers one output pixel at a
time, which is how the lecture describes the operation, and is thousands of times slower.
"""

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from lectureml._validate import as_float_array, check_int, check_shape


def conv_output_size(size, kernel_size, stride=1, padding=0):
    """Length of the output along one axis: 1 + (size + 2*padding - kernel_size) // stride.

    Args:
        size: input height or width (int >= 1).
        kernel_size: kernel height or width (int >= 1), at most size + 2*padding.
        stride: step between neighbouring windows (int >= 1).
        padding: zeros added on each side (int >= 0).

    Returns:
        int, the number of window positions along that axis.
    """
    size = check_int(size, "size", minimum=1)
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    stride = check_int(stride, "stride", minimum=1)
    padding = check_int(padding, "padding", minimum=0)
    padded_size = size + 2 * padding
    if kernel_size > padded_size:
        raise ValueError(
            f"kernel_size must be at most size + 2*padding = {size} + 2*{padding} = {padded_size}, "
            f"got kernel_size={kernel_size}"
        )
    return 1 + (padded_size - kernel_size) // stride


def conv2d(x, w, b=None, stride=1, padding=0):
    """Forward pass of a 2-D convolution layer (cross-correlation, zero padding).

    Args:
        x: images, shape (N, C, H, W).
        w: kernels, shape (F, C, KH, KW).
        b: biases, shape (F,), or None for no bias.
        stride: step between neighbouring windows (int >= 1).
        padding: rows/columns of zeros added on each side (int >= 0).

    Returns:
        out: feature maps, shape (N, F, Ho, Wo) with Ho = 1 + (H + 2*padding - KH) // stride
             and Wo = 1 + (W + 2*padding - KW) // stride; dtype is that of x, w and b combined
             (float32 only if all of them are float32). It is usually a strided view into
             a slightly larger array of its own, shared with nothing else;
             np.ascontiguousarray(out) gives a compact copy.
    """
    out, _ = _conv2d_forward_with_cache(x, w, b, stride, padding)
    return out


def conv2d_backward(dout, x, w, stride=1, padding=0):
    """Backward pass of `conv2d`: gradients of the loss with respect to x, w and b.

    Args:
        dout: upstream gradient dL/dout, shape (N, F, Ho, Wo).
        x: the images given to the forward pass, shape (N, C, H, W).
        w: the kernels given to the forward pass, shape (F, C, KH, KW).
        stride, padding: as in the forward pass.

    Returns:
        dx: dL/dx, shape (N, C, H, W), dtype of x.
        dw: dL/dw, shape (F, C, KH, KW), dtype of w.
        db: dL/db, shape (F,), dtype of w.
    """
    x, w, _, stride, padding = _check_conv_arguments(x, w, None, stride, padding)
    grid = _FlatGrid.of(x.shape, w.shape, stride, padding)
    dout = _check_conv_dout(dout, grid.out_shape)
    dtype = _result_dtype(x, w, None)
    dout_on_grid = _dout_on_grid(dout, grid, dtype)
    # dx first: its temporary is as large as the columns, so building the columns only once it
    # is freed halves the peak memory, and with it the pages fetched back from the system.
    dx = _input_gradient(dout_on_grid, w, grid, x.dtype)
    dw, db = _weight_gradients(dout, dout_on_grid, _im2col(x, grid, dtype), w)
    return dx, dw, db


def conv2d_naive(x, w, b=None, stride=1, padding=0):
    """Slow reference implementation of `conv2d`, one output pixel at a time. For teaching only.

    Every output value is the sum of the window under the kernel times the kernel, exactly as the
    lecture describes it. Four nested Python loops (sample, kernel, output row, output column)
    make this thousands of times slower than `conv2d`, which returns the same numbers up to
    floating-point rounding. Arguments, shapes and dtype are as in `conv2d`.
    """
    x, w, b, stride, padding = _check_conv_arguments(x, w, b, stride, padding)
    num_samples, num_kernels, out_height, out_width = _conv_output_shape(
        x.shape, w.shape, stride, padding
    )
    kernel_height, kernel_width = w.shape[2:]
    x_padded = _pad(x, padding)
    out = np.zeros((num_samples, num_kernels, out_height, out_width), dtype=_result_dtype(x, w, b))
    for n in range(num_samples):
        for f in range(num_kernels):
            for i in range(out_height):
                for j in range(out_width):
                    top, left = i * stride, j * stride
                    window = x_padded[n, :, top : top + kernel_height, left : left + kernel_width]
                    out[n, f, i, j] = np.sum(window * w[f])
                    if b is not None:
                        out[n, f, i, j] += b[f]
    return out


def _conv2d_forward_with_cache(x, w, b, stride, padding):
    """`conv2d` that also returns what `_conv2d_backward_from_cache` needs.

    Layers call this pair so the im2col columns are built once per step, not twice. Arguments
    (validated) as in `conv2d`; returns out (N, F, Ho, Wo) and an opaque cache.
    """
    x, w, b, stride, padding = _check_conv_arguments(x, w, b, stride, padding)
    dtype = _result_dtype(x, w, b)
    grid = _FlatGrid.of(x.shape, w.shape, stride, padding)
    columns = _im2col(x, grid, dtype)
    out_on_grid = w.reshape(grid.kernels, -1).astype(dtype, copy=False) @ columns
    if b is not None:
        out_on_grid += b[:, None]
    # The real outputs as a view, not a compact copy: the copy took about 15% of the forward
    # pass, and the next layer reads the view about as fast.
    return grid.to_nchw(out_on_grid), (columns, grid, x.dtype, w)


def _conv2d_backward_from_cache(dout, cache):
    """`conv2d_backward` from the cache of `_conv2d_forward_with_cache`.

    dout: dL/dout, shape (N, F, Ho, Wo) (validated). Returns (dx, dw, db) with the shapes and
    dtypes of `conv2d_backward`.
    """
    columns, grid, x_dtype, w = cache
    dout = _check_conv_dout(dout, grid.out_shape)
    dout_on_grid = _dout_on_grid(dout, grid, columns.dtype)
    dw, db = _weight_gradients(dout, dout_on_grid, columns, w)
    return _input_gradient(dout_on_grid, w, grid, x_dtype), dw, db


def _dout_on_grid(dout, grid, dtype):
    """dout (N, F, Ho, Wo) laid out like the forward's product, (F, N * grid_size).

    Grid positions that are not real outputs get zero gradient, so they add nothing to dw or dx.
    """
    dout_on_grid = np.zeros((grid.kernels, grid.samples * grid.grid_size), dtype=dtype)
    grid.to_nchw(dout_on_grid)[...] = dout
    return dout_on_grid


def _weight_gradients(dout, dout_on_grid, columns, w):
    """(dw, db) with the shape and dtype of w, from dout and the im2col columns of x."""
    # A sum's rounding depends on the order it visits the values, and dout is often a strided
    # array (the gradient of a view such as conv2d's output): always summing it in C order
    # makes db the same bits whatever dout's memory layout.
    db = np.ascontiguousarray(dout).sum(axis=(0, 2, 3)).astype(w.dtype, copy=False)
    dw = (dout_on_grid @ columns.T).reshape(w.shape).astype(w.dtype, copy=False)
    return dw, db


def _input_gradient(dout_on_grid, w, grid, x_dtype):
    """dx (N, C, H, W) of dtype x_dtype: each column's gradient summed back onto its pixels."""
    w_matrix = w.reshape(grid.kernels, -1).astype(dout_on_grid.dtype, copy=False)
    return _col2im(w_matrix.T @ dout_on_grid, grid).astype(x_dtype, copy=False)


def _check_conv_arguments(x, w, b, stride, padding):
    """Validate the arguments shared by the convolution functions; return them converted."""
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)", hint=_batch_hint(x, _IMAGE_HINTS))
    w = as_float_array(w, "w", ndim=4, layout="(F, C, KH, KW)", hint=_batch_hint(w, _KERNEL_HINTS))
    _check_not_empty(x, "x", "(N, C, H, W)")
    _check_not_empty(w, "w", "(F, C, KH, KW)")
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"w must have as many input channels as x: expected w.shape[1] == x.shape[1] == "
            f"{x.shape[1]} (x has shape {x.shape}), got w of shape {w.shape} with "
            f"{w.shape[1]} input channels"
        )
    if b is not None:
        num_kernels = w.shape[0]
        b = as_float_array(b, "b", ndim=1, layout=f"(F,) = ({num_kernels},)")
        if b.shape != (num_kernels,):
            raise ValueError(
                f"b must hold one bias per kernel, shape ({num_kernels},) for w of shape "
                f"{w.shape}, got shape {b.shape}"
            )
    stride = check_int(stride, "stride", minimum=1)
    padding = check_int(padding, "padding", minimum=0)
    spatial_axes = ((2, "height", "H", "KH"), (3, "width", "W", "KW"))
    for axis, dimension, size_name, kernel_name in spatial_axes:
        size, kernel_size = x.shape[axis], w.shape[axis]
        padded_size = size + 2 * padding
        if kernel_size > padded_size:
            raise ValueError(
                f"w's kernel {dimension} {kernel_name} must be at most the padded input "
                f"{dimension} {size_name} + 2*padding = {size} + 2*{padding} = {padded_size}, "
                f"got {kernel_name}={kernel_size} (w of shape {w.shape}); "
                f"use a smaller kernel or more padding"
            )
    return x, w, b, stride, padding


# What a 2-D or 3-D array most likely is, and how to make it the 4-D batch the functions expect.
_IMAGE_HINTS = {
    2: "a single (H, W) image becomes a batch of one with x[None, None]",
    3: "a single (C, H, W) image becomes a batch of one with x[None]; "
    "a batch of (N, H, W) grey images gets its channel axis with x[:, None]",
}
_KERNEL_HINTS = {
    2: "a single (KH, KW) kernel becomes w[None, None]",
    3: "a single (C, KH, KW) kernel becomes w[None]; "
    "F single-channel (F, KH, KW) kernels become w[:, None]",
}


def _check_conv_dout(dout, out_shape):
    """Require dout to be a float array of the convolution output's shape (N, F, Ho, Wo)."""
    dout = as_float_array(dout, "dout", ndim=4, layout="(N, F, Ho, Wo)")
    check_shape(dout, "dout", out_shape)
    return dout


def _batch_hint(value, hints):
    """The hint for value's number of dimensions, if it is an array with 2 or 3 of them."""
    return hints.get(value.ndim) if isinstance(value, np.ndarray) else None


def _check_not_empty(value, name, layout):
    """Reject arrays with a zero-length axis, which would give empty or ill-defined outputs."""
    if value.size == 0:
        raise ValueError(
            f"{name} must have every axis of {layout} at least 1 long, got shape {value.shape}"
        )


def _result_dtype(x, w, b):
    """float32 when every input is float32, otherwise float64 (numpy's promotion)."""
    return np.result_type(x, w) if b is None else np.result_type(x, w, b)


def _conv_output_shape(x_shape, w_shape, stride, padding):
    """(N, F, Ho, Wo) for already validated shapes."""
    num_samples, _, height, width = x_shape
    num_kernels, _, kernel_height, kernel_width = w_shape
    out_height = 1 + (height + 2 * padding - kernel_height) // stride
    out_width = 1 + (width + 2 * padding - kernel_width) // stride
    return num_samples, num_kernels, out_height, out_width


def _pad(x, padding):
    """Zero-pad the two spatial axes of x (N, C, H, W) -> (N, C, H + 2p, W + 2p)."""
    if padding == 0:
        return x
    num_samples, channels, height, width = x.shape
    x_padded = np.zeros(
        (num_samples, channels, height + 2 * padding, width + 2 * padding), dtype=x.dtype
    )
    x_padded[:, :, padding : padding + height, padding : padding + width] = x
    return x_padded


class _FlatGrid(NamedTuple):
    """Geometry of the flat layout behind the fast im2col.

    Per channel, the zero-padded images of the batch are laid end to end in one long row: each
    image row is `padding` zeros then its W pixels (`row_width` values, so W + padding or a few
    more), and each image is `padding` zero rows then its H rows (`rows_per_image` rows, again
    a few more zero rows when needed, e.g. to make it a multiple of the stride). A row's right
    padding is the next row's left padding, and an image's bottom padding the next image's top
    padding, so no zeros are stored twice. The input pixel under kernel entry (a, e) for
    output (n, i, j) then sits at

        stride * q + a * row_width + e,   with q = n * grid_size + i * row_width + j,

    so for a fixed kernel entry, all outputs read ONE strided slice of the long row. q runs over
    a grid of (rows_per_image // stride, row_width) positions per image, of which only the
    top-left (Ho, Wo) corner are real outputs; the rest are computed and thrown away.
    """

    samples: int
    channels: int
    height: int
    width: int
    kernels: int
    kernel_height: int
    kernel_width: int
    stride: int
    padding: int
    out_height: int
    out_width: int
    rows_per_image: int
    row_width: int

    @classmethod
    def of(cls, x_shape, w_shape, stride, padding):
        num_samples, channels, height, width = x_shape
        num_kernels, _, kernel_height, kernel_width = w_shape
        _, _, out_height, out_width = _conv_output_shape(x_shape, w_shape, stride, padding)
        # Room for the image and its top padding, and for Ho grid rows of Wo real outputs
        # (more than that when the padding exceeds the kernel size minus one).
        rows_per_image = -(-max(height + padding, stride * out_height) // stride) * stride
        return cls(
            samples=num_samples,
            channels=channels,
            height=height,
            width=width,
            kernels=num_kernels,
            kernel_height=kernel_height,
            kernel_width=kernel_width,
            stride=stride,
            padding=padding,
            out_height=out_height,
            out_width=out_width,
            rows_per_image=rows_per_image,
            row_width=max(width + padding, out_width),
        )

    @property
    def out_shape(self):
        return self.samples, self.kernels, self.out_height, self.out_width

    @property
    def grid_size(self):
        """Grid positions per image."""
        return self.rows_per_image * self.row_width // self.stride

    @property
    def offsets(self):
        """Offset in the long row of each kernel entry (a, e), in row-major order."""
        return [
            row * self.row_width + col
            for row in range(self.kernel_height)
            for col in range(self.kernel_width)
        ]

    def long_row_length(self):
        """Values per channel: every image, then zeros for the last image's bottom padding and
        for the windows of the last grid positions."""
        tail = self.padding * (self.row_width + 1) + max(self.offsets)
        return self.samples * self.rows_per_image * self.row_width + tail

    def window_entry(self, offset):
        """Slice of the long row holding one kernel entry for all grid positions."""
        return slice(
            offset, offset + self.stride * (self.samples * self.grid_size - 1) + 1, self.stride
        )

    def padded_images(self, long_rows):
        """View (C, N, rows_per_image, row_width) of the images inside `long_rows`; image
        pixels go at [padding : padding + H, padding : padding + W]."""
        images = long_rows[:, : self.samples * self.rows_per_image * self.row_width]
        return images.reshape(self.channels, self.samples, self.rows_per_image, self.row_width)

    def to_nchw(self, values_on_grid):
        """View (N, K, Ho, Wo) of the real outputs in `values_on_grid` (K, N * grid_size)."""
        per_image = values_on_grid.reshape(
            values_on_grid.shape[0],
            self.samples,
            self.rows_per_image // self.stride,
            self.row_width,
        )
        return per_image[:, :, : self.out_height, : self.out_width].transpose(1, 0, 2, 3)


def _im2col(x, grid, dtype):
    """Copy every window into a column: x (N, C, H, W) -> columns (C*KH*KW, N * grid_size).

    Column q lists the window under grid position q in the order (channel, kernel row,
    kernel column), the same order as w.reshape(F, -1); see `_FlatGrid` for the layout.
    """
    long_rows = np.zeros((grid.channels, grid.long_row_length()), dtype=dtype)
    pad = grid.padding
    grid.padded_images(long_rows)[:, :, pad : pad + grid.height, pad : pad + grid.width] = (
        x.transpose(1, 0, 2, 3)
    )
    # One strided view holds every window entry (channel, kernel row, kernel column) for all
    # grid positions, so a single copy builds the whole matrix.
    channel_step, value_step = long_rows.strides
    windows = as_strided(
        long_rows,
        shape=(
            grid.channels,
            grid.kernel_height,
            grid.kernel_width,
            grid.samples * grid.grid_size,
        ),
        strides=(channel_step, grid.row_width * value_step, value_step, grid.stride * value_step),
        writeable=False,
    )
    columns = np.empty(windows.shape, dtype=dtype)
    np.copyto(columns, windows)
    return columns.reshape(-1, columns.shape[3])


def _col2im(dcolumns, grid):
    """Adjoint of `_im2col`: sum every column entry back onto its pixel.

    dcolumns (C*KH*KW, N * grid_size) -> dx (N, C, H, W). A pixel covered by several windows
    receives the sum of their gradients: one strided add per kernel entry, no loop over pixels.
    """
    offsets = grid.offsets
    dwindows = dcolumns.reshape(grid.channels, len(offsets), -1)
    dlong_rows = np.zeros((grid.channels, grid.long_row_length()), dtype=dcolumns.dtype)
    for entry, offset in enumerate(offsets):
        dlong_rows[:, grid.window_entry(offset)] += dwindows[:, entry]
    pad = grid.padding
    dx_channels_first = grid.padded_images(dlong_rows)[
        :, :, pad : pad + grid.height, pad : pad + grid.width
    ]
    return np.ascontiguousarray(dx_channels_first.transpose(1, 0, 2, 3))
