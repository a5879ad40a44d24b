"""Feature-map explorer for a trained CNN (notebook 08).

Pick a test digit, a layer and a channel: the explorer shows the digit, that channel's
feature map after the chosen layer, and the network's class probabilities, so one can
watch pixels turn into edge maps and then into coarse part detectors.
"""

import ipywidgets as widgets
import numpy as np

from lectureml._validate import as_float_array, describe
from lectureml.activations import softmax
from lectureml.layers import Sequential
from lectureml.plotting import style
from lectureml.profiling import layer_name
from lectureml.widgets import show_figure


def _image_stages(model, image_shape):
    """Indices and labels of the layers whose output is still a stack of feature maps."""
    stages = []
    for index, shape in enumerate(model.output_shapes(image_shape)):
        if len(shape) != 3:
            break
        label = f"{layer_name(index, model[index])}: {shape[0]} maps {shape[1]}x{shape[2]}"
        stages.append((label, index))
    return stages


def feature_map_explorer(model, images, labels):
    """Slider for the digit, menu for the layer, slider for the channel; redrawn on change.

    Args:
        model: a trained Sequential CNN taking (N, 1, H, W) images and returning logits.
        images: test images, shape (N, 1, H, W).
        labels: their true digits, integer array of shape (N,).

    Returns:
        an ipywidgets VBox to display (the last expression of a notebook cell).
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a trained Sequential CNN, got {describe(model)}")
    images = as_float_array(images, "images", ndim=4, layout="(N, 1, H, W)")
    if not isinstance(labels, np.ndarray) or labels.shape != (len(images),):
        raise ValueError(
            f"labels must be an array of shape ({len(images)},), one per image, "
            f"got {describe(labels)}"
        )
    stages = _image_stages(model, images.shape[1:])
    if not stages:
        raise ValueError(
            f"model must start with image layers (Conv2D, pooling) to show feature maps, "
            f"got first layer {model[0]!r}"
        )

    digit = widgets.IntSlider(
        value=0, min=0, max=len(images) - 1, description="test digit", continuous_update=False
    )
    layer = widgets.Dropdown(
        options=stages, value=stages[0][1], description="layer", layout={"width": "420px"}
    )
    channel = widgets.IntSlider(value=0, min=0, max=0, description="channel")
    output = widgets.Output()
    # Every stage of one digit is computed once; moving the layer or channel only redraws.
    computed = {}

    def stage_maps(index):
        if index not in computed:
            x = images[index : index + 1]
            maps = []
            for layer_object in model.layers:
                x = layer_object.forward(x, training=False)
                maps.append(x[0])
            computed.clear()
            computed[index] = (maps, softmax(maps[-1][None])[0])
        return computed[index]

    switching = {"layer": False}

    def redraw(_change=None):
        if switching["layer"]:
            return
        maps, probabilities = stage_maps(digit.value)
        shown = maps[layer.value][channel.value]
        fig, (digit_ax, map_ax, prob_ax) = style.new_figure(ncols=3, width=3.0, height=2.8)
        digit_ax.imshow(images[digit.value, 0], cmap=style.GRAY, vmin=0, vmax=1)
        digit_ax.set_title(f"true {labels[digit.value]}, predicted {probabilities.argmax()}")
        picture = map_ax.imshow(shown, cmap=style.SEQUENTIAL)
        fig.colorbar(picture, ax=map_ax, shrink=0.8)
        map_ax.set_title(f"channel {channel.value}, {shown.shape[0]}x{shown.shape[1]}")
        for ax in (digit_ax, map_ax):
            ax.set_xticks([])
            ax.set_yticks([])
        prob_ax.bar(np.arange(len(probabilities)), probabilities, color=style.PALETTE[0])
        prob_ax.set(xticks=np.arange(len(probabilities)), ylim=(0, 1), title="P(digit)")
        show_figure(output, fig)

    def change_layer(_change=None):
        # Shrinking the channel range may move the channel slider: draw once, afterwards.
        switching["layer"] = True
        channel.max = model.output_shapes(images.shape[1:])[layer.value][0] - 1
        switching["layer"] = False
        redraw()

    digit.observe(redraw, names="value")
    channel.observe(redraw, names="value")
    layer.observe(change_layer, names="value")
    change_layer()
    return widgets.VBox([widgets.HBox([digit, layer, channel]), output])
