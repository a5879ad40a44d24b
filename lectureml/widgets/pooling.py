"""Interactive pooling explorer (notebook 05).

`pooling_explorer`: pick an image, max or mean pooling, the window size, the stride and how many
pooling layers to stack, and see every pooled stage at the input's brightness scale, with the
two neighbouring windows drawn on the input (they overlap when stride < size, leave gaps
when stride > size) and the shapes worked out below.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from lectureml._validate import check_2d_arrays, check_choice, check_int, describe
from lectureml.plotting.style import GRAY, PALETTE, new_figure
from lectureml.pooling import avg_pool2d, max_pool2d
from lectureml.widgets import show_figure

_POOLS = {"max": max_pool2d, "mean": avg_pool2d}
_BOUNDS = {"size": (1, 8), "stride": (1, 8), "layers": (1, 3)}


def _pooled_stages(image, kind, size, stride, layers):
    """The image after each of `layers` pooling layers; stops early when a window no longer fits."""
    stages = []
    current = image[None, None]
    for _ in range(layers):
        if size > min(current.shape[2:]):
            break
        current = _POOLS[kind](current, size, stride)
        stages.append(current[0, 0])
    return stages


def _arrangement(size, stride):
    if stride < size:
        return f"overlapping windows (stride {stride} < size {size})"
    if stride > size:
        return f"windows with gaps: {stride - size} of every {stride} rows and columns unread"
    return "non-overlapping windows that tile the input (stride = size)"


def _draw(image, name, stages, kind, size, stride):
    fig, axes = new_figure(ncols=1 + len(stages), width=2.8, height=2.8)
    axes = list(np.atleast_1d(axes))
    low, high = float(image.min()), float(image.max())
    high = high if high > low else low + 1.0
    axes[0].imshow(image, cmap=GRAY, vmin=low, vmax=high, interpolation="nearest")
    axes[0].set_title(f"{name} {image.shape[0]}x{image.shape[1]}", fontsize=9)
    # Two neighbouring windows near the centre, where they lie on the image's content.
    out_height = 1 + (image.shape[0] - size) // stride
    out_width = 1 + (image.shape[1] - size) // stride
    top = (out_height // 2) * stride
    for index in range(2):
        left = (out_width // 2 - 1 + index) * stride
        if left >= 0 and left + size <= image.shape[1]:
            axes[0].add_patch(
                Rectangle(
                    (left - 0.5, top - 0.5),
                    size,
                    size,
                    fill=False,
                    edgecolor=PALETTE[1 + 2 * index],
                    linewidth=2.0,
                )
            )
    for layer, (ax, stage) in enumerate(zip(axes[1:], stages, strict=True), start=1):
        ax.imshow(stage, cmap=GRAY, vmin=low, vmax=high, interpolation="nearest")
        ax.set_title(f"{kind} pool x{layer}: {stage.shape[0]}x{stage.shape[1]}", fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


def pooling_explorer(images, kind="max", size=2, stride=2, layers=1):
    """Pool an image with a chosen pooling type, window size, stride and number of layers.

    Args:
        images: dict name -> 2-D array (H, W), e.g. {"digit": ..., "photograph": ...}.
        kind: starting pooling type, "max" or "mean".
        size: starting window side, 1..8.
        stride: starting stride, 1..8.
        layers: starting number of stacked pooling layers, 1..3.

    Returns:
        an ipywidgets VBox to display.
    """
    if not isinstance(images, dict) or not images:
        raise TypeError(
            f"images must be a non-empty dict name -> 2-D array, got {describe(images)}"
        )
    names = list(images)
    arrays = dict(zip(names, check_2d_arrays(list(images.values()), "images"), strict=True))
    check_choice(kind, "kind", _POOLS)
    given = {"size": size, "stride": stride, "layers": layers}
    for name, value in given.items():
        low, high = _BOUNDS[name]
        given[name] = check_int(value, name, minimum=low, maximum=high)
    sliders = {
        name: widgets.IntSlider(
            value=given[name],
            min=low,
            max=high,
            description={"size": "window size", "stride": "stride", "layers": "pool layers"}[name],
            continuous_update=False,
            style={"description_width": "90px"},
        )
        for name, (low, high) in _BOUNDS.items()
    }
    pool_type = widgets.ToggleButtons(options=list(_POOLS), value=kind, description="pooling")
    image_choice = widgets.Dropdown(options=names, value=names[0], description="image")
    summary = widgets.HTML()
    output = widgets.Output()

    def redraw(_change=None):
        image = arrays[image_choice.value]
        size_now, stride_now, layers_now = (sliders[name].value for name in _BOUNDS)
        stages = _pooled_stages(image, pool_type.value, size_now, stride_now, layers_now)
        shapes = [image.shape] + [stage.shape for stage in stages]
        chain = " → ".join(f"{h}x{w}" for h, w in shapes)
        kept = stages[-1].size / image.size if stages else 1.0
        text = (
            f"{chain}: {100 * kept:.2f}% of the units remain; each layer: "
            f"1 + (H − {size_now}) // {stride_now}; {_arrangement(size_now, stride_now)}"
        )
        if len(stages) < layers_now:
            text += f"<br><b>Stopped after {len(stages)} layer(s):</b> the window no longer fits."
        summary.value = text
        fig = _draw(image, image_choice.value, stages, pool_type.value, size_now, stride_now)
        show_figure(output, fig)

    for control in [*sliders.values(), pool_type, image_choice]:
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox(
        [image_choice, pool_type, widgets.VBox(list(sliders.values())), summary, output]
    )
