"""Interactive convolution explorers (notebook 04).

- `output_size_explorer`: sliders for the input size, kernel size, stride and padding, and a
  slider (with a play button) that walks the kernel's window over the zero-padded input while
  the matching output cell lights up; the output-size formula is worked out with the numbers.
- `kernel_editor`: a 3 x 3 kernel typed into nine boxes (or picked from `images.KERNELS`) and
  its feature map on each given image, updated on every change.
"""

import ipywidgets as widgets
import numpy as np

from lectureml._validate import check_2d_arrays, check_int, describe
from lectureml.conv import conv2d, conv_output_size
from lectureml.images import KERNELS
from lectureml.plotting.convolution import draw_sliding_window, show_feature_maps
from lectureml.widgets import show_figure

_CUSTOM = "(your own)"


def output_size_explorer(input_size=7, kernel_size=3, stride=1, padding=0):
    """Choose kernel size, stride and padding; watch the window slide and the output size.

    Args:
        input_size: initial side of the square input, 3..10.
        kernel_size: initial kernel side, 1..7.
        stride: initial stride, 1..4.
        padding: initial padding, 0..3.

    Returns:
        an ipywidgets VBox to display.
    """
    bounds = {"input_size": (3, 10), "kernel_size": (1, 7), "stride": (1, 4), "padding": (0, 3)}
    given = {
        "input_size": input_size,
        "kernel_size": kernel_size,
        "stride": stride,
        "padding": padding,
    }
    for name, value in given.items():
        low, high = bounds[name]
        given[name] = check_int(value, name, minimum=low, maximum=high)
    sliders = {
        name: widgets.IntSlider(
            value=given[name],
            min=low,
            max=high,
            description=name.replace("_", " "),
            continuous_update=False,
            style={"description_width": "80px"},
        )
        for name, (low, high) in bounds.items()
    }
    cell = widgets.IntSlider(value=0, min=0, max=0, description="output cell")
    player = widgets.Play(value=0, min=0, max=0, interval=700, description="play")
    widgets.link((player, "value"), (cell, "value"))
    summary = widgets.HTML()
    output = widgets.Output()

    def geometry():
        size, kernel, step, pad = (sliders[name].value for name in bounds)
        if kernel > size + 2 * pad:
            return None
        return conv_output_size(size, kernel, step, pad)

    def redraw(_change=None):
        size, kernel, step, pad = (sliders[name].value for name in bounds)
        out_size = geometry()
        if out_size is None:
            summary.value = (
                f"<b>No output:</b> the {kernel}x{kernel} kernel does not fit into the padded "
                f"input of {size} + 2·{pad} = {size + 2 * pad} pixels. Add padding or shrink it."
            )
            output.clear_output()
            return
        row, col = divmod(min(cell.value, out_size**2 - 1), out_size)
        summary.value = (
            f"output shape ({out_size}, {out_size}) from 1 + ({size} + 2·{pad} − {kernel}) "
            f"// {step}; {out_size * out_size} windows, each reading {kernel * kernel} pixels"
        )
        show_figure(output, draw_sliding_window(size, kernel, step, pad, (row, col)))

    def resize(_change=None):
        out_size = geometry()
        if cell.value != 0:
            cell.value = 0  # redraws through the cell's observer
        else:
            redraw()
        cell.max = player.max = 0 if out_size is None else out_size**2 - 1

    for slider in sliders.values():
        slider.observe(resize, names="value")
    cell.observe(redraw, names="value")
    resize()
    controls = widgets.VBox(list(sliders.values()))
    return widgets.VBox([controls, widgets.HBox([player, cell]), summary, output])


def _check_kernel_choice(kernel):
    """A preset name from KERNELS or a 3 x 3 array; returns (preset name or _CUSTOM, array)."""
    if isinstance(kernel, str):
        if kernel not in KERNELS:
            raise ValueError(
                f"kernel must be one of {sorted(KERNELS)} or a 3 x 3 array, got {kernel!r}"
            )
        return kernel, KERNELS[kernel]
    if not isinstance(kernel, np.ndarray) or kernel.shape != (3, 3):
        raise TypeError(f"kernel must be a preset name or a 3 x 3 array, got {describe(kernel)}")
    return _CUSTOM, np.asarray(kernel, dtype=np.float64)


def kernel_editor(images, titles=None, kernel="edges in x", size=2.6):
    """Edit a 3 x 3 kernel and see its feature map on each image at once.

    The nine boxes hold the kernel (row 0 on top); the drop-down loads one of
    `lectureml.images.KERNELS`. Each feature map is the cross-correlation of the image with
    the kernel, zero-padded by 1 so it keeps the image's size; signed maps are drawn red
    (positive) and blue (negative). Below the maps: the sum of the entries, which is the
    response to a flat region.

    Args:
        images: list of 2-D arrays (H, W), e.g. [photo, digit].
        titles: one title per image, or None.
        kernel: the starting kernel, a preset name or a 3 x 3 array.
        size: panel height in inches.

    Returns:
        an ipywidgets VBox to display.
    """
    images = check_2d_arrays(images, "images")
    if titles is not None and (not isinstance(titles, (list, tuple)) or len(titles) != len(images)):
        raise ValueError(
            f"titles must be None or one title per image ({len(images)}), got {describe(titles)}"
        )
    titles = list(titles) if titles is not None else [f"image {i}" for i in range(len(images))]
    preset_name, start = _check_kernel_choice(kernel)
    batch = [image[None, None] for image in images]

    boxes = [
        [
            widgets.FloatText(value=float(start[i, j]), step=0.5, layout={"width": "70px"})
            for j in range(3)
        ]
        for i in range(3)
    ]
    presets = widgets.Dropdown(options=[_CUSTOM, *KERNELS], value=preset_name, description="preset")
    summary = widgets.HTML()
    output = widgets.Output()
    loading = {"preset": False}  # True while a preset fills the boxes: one redraw, not nine

    def current_kernel():
        return np.array([[box.value for box in row] for row in boxes], dtype=np.float64)

    def redraw(_change=None):
        if loading["preset"]:
            return
        weights = current_kernel()[None, None]
        maps = [conv2d(x, weights, padding=1)[0, 0] for x in batch]
        fig = show_feature_maps(
            images + maps,
            titles + [f"feature map of {title}" for title in titles],
            ncols=len(images),
            signed=[False] * len(images) + [None] * len(maps),
            size=size,
        )
        total = float(weights.sum())
        summary.value = (
            f"sum of the entries = {total:.3g}: a flat region of brightness v gives "
            f"{total:.3g}·v{' (no response)' if total == 0 else ''}"
        )
        show_figure(output, fig)

    def load_preset(_change=None):
        if presets.value == _CUSTOM:
            return
        loading["preset"] = True
        for i in range(3):
            for j in range(3):
                boxes[i][j].value = float(KERNELS[presets.value][i, j])
        loading["preset"] = False
        redraw()

    def typed(_change=None):
        if not loading["preset"]:
            presets.value = _CUSTOM
            redraw()

    for row in boxes:
        for box in row:
            box.observe(typed, names="value")
    presets.observe(load_preset, names="value")
    redraw()
    grid = widgets.VBox([widgets.HBox(row) for row in boxes])
    return widgets.VBox([widgets.HBox([grid, presets]), summary, output])
