"""Pictures of fully connected networks: the wiring diagram and what hidden units compute.

`draw_network` draws any small fully connected network from its weight matrices in the
lecture's layout (bias as an extra unit x0 = 1, so a layer's matrix has one more row than
the layer below has units; row 0 holds the bias weights). Notebooks 01-03 share it.
Its edges take their colours from EDGE_CMAP, a diverging map that keeps every edge visible;
`edge_colorbar` explains them, for one drawing or several sharing a scale.
`draw_hidden_features` shows, for a network with two inputs, each hidden unit's activation
h(a_j) as a heat map over the input plane, and optionally the network's output.
"""

import colorsys

import numpy as np
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.cm import ScalarMappable
from matplotlib.colors import ListedColormap, Normalize

from lectureml import activations
from lectureml._validate import (
    as_float_array,
    check_choice,
    check_int,
    check_positive_number,
    describe,
)
from lectureml.mlp import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, add_bias_column, forward
from lectureml.plotting import style

# Above this many units a layer's nodes and edges blur into a grey block.
MAX_UNITS_DRAWN = 16
# Line width (points) of an edge of weight 0: thinner lines vanish next to the units.
MIN_EDGE_LINEWIDTH = 1.0
# Lightest an edge may be (HLS lightness): the diverging map is white at 0, so a small weight
# would draw an invisible edge on the white background.
EDGE_MAX_LIGHTNESS = 0.75


def _edge_colormap():
    """style.DIVERGING with its light colours darkened to EDGE_MAX_LIGHTNESS, hue kept.

    Zero becomes light grey and a small weight a light but clearly red or blue tint, so every
    edge shows, and its sign, whatever its size.
    """
    colours = colormaps[style.DIVERGING](np.linspace(0.0, 1.0, 256))
    for colour in colours:
        hue, lightness, saturation = colorsys.rgb_to_hls(*colour[:3])
        colour[:3] = colorsys.hls_to_rgb(hue, min(lightness, EDGE_MAX_LIGHTNESS), saturation)
    return ListedColormap(colours, name=f"{style.DIVERGING}_edges")


# The map of every edge colour and of the colour bars that explain them.
EDGE_CMAP = _edge_colormap()


def edge_colorbar(ax, limit, label="weight $w$"):
    """A colour bar for edges drawn by `draw_network` with the scale -limit..limit.

    Args:
        ax: the Axes (or list of Axes, which then share the bar) it explains.
        limit: the |w| drawn in the strongest colour, as `draw_network`'s `weight_limit`.
        label: the bar's label.

    Returns:
        the matplotlib Colorbar.
    """
    limit = check_positive_number(limit, "limit")
    figure = (ax[0] if isinstance(ax, (list, tuple)) else ax).figure
    bar = figure.colorbar(
        ScalarMappable(norm=Normalize(-limit, limit), cmap=EDGE_CMAP), ax=ax, shrink=0.6
    )
    bar.set_label(label)
    bar.outline.set_visible(False)
    return bar


def _check_weight_chain(weights, with_bias):
    """Validate a list of 2-D weight matrices whose shapes chain layer to layer."""
    if not isinstance(weights, (list, tuple)) or len(weights) == 0:
        raise TypeError(
            "weights must be a non-empty list of 2-D arrays (one per layer), "
            f"got {describe(weights)}"
        )
    checked = [
        as_float_array(w, f"weights[{i}]", ndim=2, layout="(units below + bias, units above)")
        for i, w in enumerate(weights)
    ]
    extra = 1 if with_bias else 0
    for i in range(1, len(checked)):
        expected_rows = checked[i - 1].shape[1] + extra
        if checked[i].shape[0] != expected_rows:
            bias_note = " (its units plus the bias unit)" if with_bias else ""
            raise ValueError(
                f"weights[{i}] must have {expected_rows} rows to follow weights[{i - 1}] "
                f"of shape {checked[i - 1].shape}{bias_note}, got shape {checked[i].shape}"
            )
    if with_bias and checked[0].shape[0] < 2:
        raise ValueError(
            "weights[0] must have at least 2 rows (the bias row and one input), "
            f"got shape {checked[0].shape}"
        )
    return checked


def layer_sizes(weights, with_bias=True):
    """Number of units per layer (bias units not counted), input layer first.

    Args:
        weights: list of L arrays; weights[l] has shape (n_l + 1, n_{l+1}) with the bias
            row first when `with_bias`, else (n_l, n_{l+1}).
        with_bias: whether row 0 of each matrix belongs to a bias unit x0 = 1.

    Returns:
        list of L + 1 ints [n_0, n_1, ..., n_L].
    """
    checked = _check_weight_chain(weights, with_bias)
    first = checked[0].shape[0] - (1 if with_bias else 0)
    return [first] + [w.shape[1] for w in checked]


def _layer_symbol(layer, n_layers):
    """x for inputs, y for outputs, z (numbered when there are several) for hidden layers."""
    if layer == 0:
        return "x"
    if layer == n_layers - 1:
        return "y"
    return "z" if n_layers == 3 else f"z^{{({layer})}}"


def _check_node_values(node_values, sizes):
    if not isinstance(node_values, (list, tuple)) or len(node_values) != len(sizes):
        raise ValueError(
            f"node_values must be a list of {len(sizes)} arrays (one per layer, sizes {sizes}), "
            f"got {describe(node_values)}"
        )
    checked = []
    for i, values in enumerate(node_values):
        values = as_float_array(values, f"node_values[{i}]", ndim=1, layout=f"({sizes[i]},)")
        if values.shape != (sizes[i],):
            raise ValueError(
                f"node_values[{i}] must have shape ({sizes[i]},), got shape {values.shape}"
            )
        checked.append(values)
    return checked


# Where along an edge (0 = source, 1 = target) a weight's label may sit.
_LABEL_SPOTS = np.linspace(0.15, 0.85, 57)
_EDGE_LABEL_FONTSIZE = 7
# White margin around a label's text, in font sizes: keeps the edge's line off the first and
# last character (a leading minus would otherwise merge into it).
_EDGE_LABEL_PAD = 0.15
_UNIT_MARKER_AREA = 560  # points^2, as matplotlib's scatter takes it


class _EdgeLabelPlacer(Artist):
    """Turns each weight label along its own edge, at a spot where no other edge runs under it.

    A label lies on its edge in a white box, turned to the edge's direction, so it reads as
    part of that edge; it still could belong to another edge passing through its box, as one
    does near a crossing or near a unit where a fan of edges meets. So each label takes the
    spot on its edge whose box, in this order: overlaps the fewest units and labels placed
    before it, is crossed by the fewest other edges, and lies nearest the preferred spot.

    It runs every time the figure is drawn, because only then is the axes' final size (and so
    each edge's direction on screen) known: a title, a colour bar or another panel added after
    `draw_network` reshapes the axes. It draws nothing itself.

    Args:
        labels: list of (Text, index of its edge in `edges`, preferred spot).
        edges: list of ((x0, y0), (x1, y1), line width in points), every edge drawn, ends
            in data units.
        unit_centres: list of (x, y) in data units.
    """

    def __init__(self, labels, edges, unit_centres):
        super().__init__()
        self.labels = labels
        self.edges = edges
        self.unit_centres = unit_centres
        self.set_zorder(2.5)  # the axes draws its children by zorder: before the labels (3)

    def draw(self, renderer):
        to_pixels = self.axes.transData.transform
        # A unit is a disc; 1 pixel more keeps a label off its outline.
        unit_radius = renderer.points_to_pixels(np.sqrt(_UNIT_MARKER_AREA) / 2) + 1
        units = to_pixels(self.unit_centres)
        segments = [
            (to_pixels([start, end]), renderer.points_to_pixels(width) / 2)
            for start, end, width in self.edges
        ]
        placed = []  # boxes of the labels placed so far
        for text, edge, preferred in self.labels:
            (start, end), _ = segments[edge]
            angle = np.arctan2(end[1] - start[1], end[0] - start[0])
            text.set_rotation(0)  # measure the label unturned: its box turns with it
            size = text.get_window_extent(renderer)
            text.set_rotation(np.degrees(angle))
            pad = renderer.points_to_pixels(_EDGE_LABEL_PAD * _EDGE_LABEL_FONTSIZE)
            half = np.array([size.width / 2 + pad, size.height / 2 + pad])
            best_key, best_box, best_spot = None, None, preferred
            for spot in (preferred, *_LABEL_SPOTS):
                box = _Box(start + spot * (end - start), half, angle)
                crowding = sum(box.meets_disc(centre, unit_radius) for centre in units) + sum(
                    box.overlaps(other) for other in placed
                )
                crossings = sum(
                    box.meets_segment(ends, half_line)
                    for other, (ends, half_line) in enumerate(segments)
                    if other != edge
                )
                key = (crowding, crossings, abs(spot - preferred))
                if best_key is None or key < best_key:
                    best_key, best_box, best_spot = key, box, spot
            (x0, y0), (x1, y1), _ = self.edges[edge]
            text.set_position((x0 + best_spot * (x1 - x0), y0 + best_spot * (y1 - y0)))
            placed.append(best_box)


class _Box:
    """A rectangle in pixels, turned by `angle` radians about its centre."""

    def __init__(self, centre, half, angle):
        self.centre = np.asarray(centre, dtype=float)
        self.half = half  # half width and half height along its own axes
        # Columns: the box's own x and y directions in pixel coordinates.
        self.frame = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])

    def _local(self, points):
        """Pixel points in the box's own frame (centre at 0, sides parallel to the axes)."""
        return (np.asarray(points, dtype=float) - self.centre) @ self.frame

    def meets_disc(self, centre, radius):
        """Whether the disc of `radius` pixels about `centre` reaches into the box."""
        local = self._local(centre)
        nearest = np.clip(local, -self.half, self.half)
        return bool(np.hypot(*(local - nearest)) < radius)

    def meets_segment(self, ends, margin):
        """Whether the segment between ends[0] and ends[1] passes within margin of the box.

        Clips the segment's parameter range [0, 1] to the box's two slabs in its own frame
        (Liang-Barsky): they meet when some part of the range survives both.
        """
        start, stop = self._local(ends)
        low, high = 0.0, 1.0
        for axis in range(2):
            half, step = self.half[axis] + margin, stop[axis] - start[axis]
            if step == 0:
                if abs(start[axis]) > half:
                    return False
                continue
            enter, leave = sorted(((-half - start[axis]) / step, (half - start[axis]) / step))
            low, high = max(low, enter), min(high, leave)
            if low > high:
                return False
        return True

    def overlaps(self, other):
        """Separating-axis test: two rectangles are apart iff some side's normal separates them."""
        gap = other.centre - self.centre
        for axis in (*self.frame.T, *other.frame.T):
            reach = (
                np.abs(self.frame.T @ axis) @ self.half + np.abs(other.frame.T @ axis) @ other.half
            )
            if abs(gap @ axis) >= reach:
                return False
        return True


def _label(value, spec):
    """value formatted with spec, never as "-0.00": a tiny negative rounds to a plain zero.

    The sign is a true minus (as on matplotlib's tick labels): a hyphen is so short that,
    on a label turned along its edge, it reads as part of the line.
    """
    rounded = float(f"{value:{spec}}") + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{rounded:{spec}}".replace("-", "\N{MINUS SIGN}")


def draw_network(
    weights,
    with_bias=True,
    ax=None,
    node_values=None,
    show_values=False,
    max_linewidth=6.0,
    title=None,
    colorbar=True,
    weight_limit=None,
    colorbar_label="weight $w$",
):
    """Draw a fully connected network: edge width is |w|, edge colour the sign of w.

    Red edges are positive weights, blue ones negative, all on one scale (the largest |w|
    of the whole network, or `weight_limit`), so layers can be compared. Every edge stays
    visible: a weight of 0 is a light grey line MIN_EDGE_LINEWIDTH wide, a small one a light
    red or blue (EDGE_CMAP).

    Args:
        weights: list of L weight matrices; weights[l] has shape (n_l + 1, n_{l+1}) when
            `with_bias` (row 0 = weights leaving the bias unit), else (n_l, n_{l+1}).
        with_bias: draw a bias unit (a grey square holding the constant 1) on top of every
            layer except the output.
        ax: Axes to draw into; a new figure is made when None.
        node_values: optional list of L + 1 arrays, node_values[l] of shape (n_l,), shown as
            the units' fill colour and value (activations, or error signals in notebook 02).
        show_values: write each weight's value on its edge (for tiny networks).
        max_linewidth: line width of the largest |w|, at least MIN_EDGE_LINEWIDTH.
        title: axes title.
        colorbar: add a colour bar for the weight scale.
        weight_limit: the |w| drawn in the strongest colour and `max_linewidth` wide (larger
            ones are drawn like it); the largest |w| of `weights` when None. Give several
            drawings the same limit to make their edges comparable.
        colorbar_label: label of the colour bar (e.g. when the edges show gradients).

    Returns:
        the matplotlib Figure.
    """
    checked = _check_weight_chain(weights, with_bias)
    sizes = layer_sizes(checked, with_bias)
    if max(sizes) > MAX_UNITS_DRAWN:
        raise ValueError(
            f"draw_network shows at most {MAX_UNITS_DRAWN} units per layer, "
            f"got layers of sizes {sizes}"
        )
    max_linewidth = check_positive_number(max_linewidth, "max_linewidth")
    if max_linewidth < MIN_EDGE_LINEWIDTH:
        raise ValueError(
            f"max_linewidth must be at least MIN_EDGE_LINEWIDTH = {MIN_EDGE_LINEWIDTH}, "
            f"got {max_linewidth}"
        )
    if weight_limit is None:
        weight_limit = max(float(np.abs(w).max()) for w in checked) or 1.0
    weight_limit = check_positive_number(weight_limit, "weight_limit")
    if node_values is not None:
        node_values = _check_node_values(node_values, sizes)

    n_layers = len(sizes)
    has_bias = [with_bias and layer < n_layers - 1 for layer in range(n_layers)]
    tallest = max(size + bias for size, bias in zip(sizes, has_bias, strict=True))
    # Unit i of a layer (bias first) sits at height (count - 1)/2 - i: layers are centred.
    heights = [
        (size + bias - 1) / 2 - np.arange(size + bias, dtype=float)
        for size, bias in zip(sizes, has_bias, strict=True)
    ]

    if ax is None:
        _, ax = style.new_figure(width=1.6 * n_layers + 1.0, height=0.6 * tallest + 1.0)
    fig = ax.figure
    norm = Normalize(-weight_limit, weight_limit)

    edges, edge_labels = [], []
    for layer, w in enumerate(checked):
        source_heights = heights[layer]
        # The upper layer's bias unit gets no incoming edges: it is the constant 1.
        target_heights = heights[layer + 1][1:] if has_bias[layer + 1] else heights[layer + 1]
        for i, y0 in enumerate(source_heights):
            for j, y1 in enumerate(target_heights):
                value = float(w[i, j])
                strength = min(abs(value) / weight_limit, 1.0)
                linewidth = MIN_EDGE_LINEWIDTH + (max_linewidth - MIN_EDGE_LINEWIDTH) * strength
                ax.plot(
                    [layer, layer + 1],
                    [y0, y1],
                    color=EDGE_CMAP(norm(value)),
                    linewidth=linewidth,
                    solid_capstyle="round",
                    zorder=1,
                )
                edges.append(((layer, y0), (layer + 1, y1), linewidth))
                if show_values:
                    # Staggered by target, so one fan's labels start apart.
                    preferred = 0.2 + 0.6 * (j + 0.5) / len(target_heights)
                    text = ax.text(
                        layer + preferred,
                        y0 + preferred * (y1 - y0),
                        _label(value, ".2g"),
                        fontsize=_EDGE_LABEL_FONTSIZE,
                        ha="center",
                        va="center",
                        rotation_mode="anchor",  # turn about its centre, on the edge
                        bbox={
                            "boxstyle": f"round,pad={_EDGE_LABEL_PAD}",
                            "fc": "white",
                            "ec": "none",
                        },
                        zorder=3,
                    )
                    edge_labels.append((text, len(edges) - 1, preferred))

    value_bound = 1.0
    if node_values is not None:
        value_bound = max(float(np.abs(v).max()) for v in node_values) or 1.0
    for layer in range(n_layers):
        symbol = _layer_symbol(layer, n_layers)
        for i, y in enumerate(heights[layer]):
            is_bias = has_bias[layer] and i == 0
            unit = i if has_bias[layer] else i + 1
            face, text = "white", f"${symbol}_{{{unit}}}$"
            if is_bias:
                face, text = "#DDDDDD", "1"
                ax.text(layer, y + 0.42, f"${symbol}_0$", ha="center", va="bottom", fontsize=8)
            elif node_values is not None:
                value = float(node_values[layer][unit - 1])
                face = colormaps[style.DIVERGING](0.5 + 0.5 * value / value_bound)
                ax.text(layer, y - 0.42, _label(value, ".2f"), ha="center", va="top", fontsize=7)
            ax.scatter(
                [layer],
                [y],
                s=_UNIT_MARKER_AREA,
                marker="s" if is_bias else "o",
                facecolor=face,
                edgecolor="black",
                linewidth=1.0,
                zorder=2,
            )
            ax.text(layer, y, text, ha="center", va="center", fontsize=9, zorder=4)
    half = (tallest - 1) / 2
    ax.set_xlim(-0.4, n_layers - 0.6)
    ax.set_ylim(-half - 0.8, half + 0.8)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=style.TITLE_FONTSIZE)
    if colorbar:
        edge_colorbar(ax, weight_limit, colorbar_label)
    if edge_labels:
        unit_centres = [(layer, y) for layer in range(n_layers) for y in heights[layer]]
        ax.add_artist(_EdgeLabelPlacer(edge_labels, edges, unit_centres))
    return fig


def input_plane(extent=(-3.0, 3.0, -3.0, 3.0), resolution=101):
    """A square grid of points over the 2-D input plane, one point per row.

    Args:
        extent: (x1_min, x1_max, x2_min, x2_max).
        resolution: grid points per axis, >= 2.

    Returns:
        X: array of shape (resolution**2, 2); row r * resolution + c holds
           (x1 of column c, x2 of row r), so `values.reshape(resolution, resolution)`
           is an image whose row index grows with x2 (draw it with origin="lower").
    """
    resolution = check_int(resolution, "resolution", minimum=2)
    extent = _check_extent(extent)
    x1 = np.linspace(extent[0], extent[1], resolution)
    x2 = np.linspace(extent[2], extent[3], resolution)
    grid_x1, grid_x2 = np.meshgrid(x1, x2)
    return np.column_stack([grid_x1.ravel(), grid_x2.ravel()])


def _check_extent(extent):
    if not isinstance(extent, (list, tuple)) or len(extent) != 4:
        raise TypeError(
            f"extent must be a tuple (x1_min, x1_max, x2_min, x2_max), got {describe(extent)}"
        )
    values = tuple(float(v) for v in extent)
    if not (values[0] < values[1] and values[2] < values[3]):
        raise ValueError(f"extent must satisfy x1_min < x1_max and x2_min < x2_max, got {extent}")
    return values


def hidden_features(W1, X, hidden="sigmoid"):
    """Hidden pre-activations and activations of the first layer at the inputs X.

    Args:
        W1: first-layer weights of shape (D + 1, M), row 0 the bias weights.
        X: inputs of shape (N, D).
        hidden: name of the hidden activation h, as in `lectureml.mlp.forward`.

    Returns:
        (A, Z): pre-activations a_j = sum_{d=0}^D x_d w_dj and activations h(a_j),
        both of shape (N, M).
    """
    X = as_float_array(X, "X", ndim=2, layout="(N, D)")
    W1 = as_float_array(W1, "W1", ndim=2, layout="(D + 1, M)")
    if W1.shape[0] != X.shape[1] + 1:
        raise ValueError(
            f"W1 must have D + 1 = {X.shape[1] + 1} rows for inputs X of shape {X.shape}, "
            f"got shape {W1.shape}"
        )
    h = _hidden_activation(hidden)
    A = add_bias_column(X) @ W1
    return A, h(A)


def _hidden_activation(name, argument="hidden"):
    return activations.get_activation(check_choice(name, argument, HIDDEN_ACTIVATIONS))[0]


def draw_hidden_features(
    W1,
    hidden="sigmoid",
    W2=None,
    output="identity",
    extent=(-3.0, 3.0, -3.0, 3.0),
    resolution=121,
    points=None,
    point_labels=None,
):
    """Heat maps of every hidden unit's activation h(a_j) over the input plane (x1, x2).

    Each panel also shows the line a_j = 0 (dashed), where the unit switches, and an arrow
    along (w_1j, w_2j), the direction in which a_j grows fastest. With W2 the
    last panel shows the network's single output y over the same plane.

    Args:
        W1: first-layer weights of shape (3, M) (bias row, then the rows of x1 and x2).
        hidden: name of the hidden activation h, as in `lectureml.mlp.forward`.
        W2: optional second-layer weights of shape (M + 1, 1).
        output: name of the output activation sigma for the last panel.
        extent: (x1_min, x1_max, x2_min, x2_max) of the plane.
        resolution: grid points per axis.
        points: optional inputs of shape (N, 2) to scatter on every panel.
        point_labels: optional integer class labels of shape (N,) colouring the points.

    Returns:
        the matplotlib Figure.
    """
    W1 = as_float_array(W1, "W1", ndim=2, layout="(3, M)")
    if W1.shape[0] != 3:
        raise ValueError(
            "W1 must have shape (3, M): a bias row and one row per input x1, x2, "
            f"got shape {W1.shape}"
        )
    n_hidden = W1.shape[1]
    if n_hidden > MAX_UNITS_DRAWN:
        raise ValueError(
            f"W1 must have at most {MAX_UNITS_DRAWN} hidden units to draw, got {n_hidden}"
        )
    if W2 is not None:
        W2 = as_float_array(W2, "W2", ndim=2, layout="(M + 1, 1)")
        if W2.shape != (n_hidden + 1, 1):
            raise ValueError(
                f"W2 must have shape ({n_hidden + 1}, 1) (M + 1 rows, one output), "
                f"got shape {W2.shape}"
            )
    check_choice(output, "output", OUTPUT_ACTIVATIONS)
    extent = _check_extent(extent)
    X = input_plane(extent, resolution)
    side = check_int(resolution, "resolution", minimum=2)
    A, Z = hidden_features(W1, X, hidden)
    if points is not None:
        points = as_float_array(points, "points", ndim=2, layout="(N, 2)")
        if points.shape[1] != 2:
            raise ValueError(f"points must have shape (N, 2), got shape {points.shape}")
        if point_labels is not None:
            point_labels = np.asarray(point_labels)
            if point_labels.shape != (points.shape[0],):
                raise ValueError(
                    f"point_labels must have shape ({points.shape[0]},) like points, "
                    f"got shape {point_labels.shape}"
                )

    n_panels = n_hidden + (1 if W2 is not None else 0)
    fig, axes = style.new_figure(ncols=n_panels, width=2.9, height=2.7)
    axes = axes if isinstance(axes, list) else [axes]
    images = [Z[:, j] for j in range(n_hidden)]
    titles = [f"unit {j + 1}: $h(a_{{{j + 1}}})$" for j in range(n_hidden)]
    if W2 is not None:
        images.append(forward(X, W1, W2, hidden, output).y[:, 0])
        titles.append("output $y$")
    # One colour scale for all hidden units, so their activations compare at a glance.
    hidden_range = (float(Z.min()), float(Z.max()))
    for panel, (ax, values, title) in enumerate(zip(axes, images, titles, strict=True)):
        is_hidden = panel < n_hidden
        vmin, vmax = hidden_range if is_hidden else (None, None)
        shown = ax.imshow(
            values.reshape(side, side),
            origin="lower",
            extent=extent,
            cmap=style.SEQUENTIAL,
            aspect="equal",
            vmin=vmin,
            vmax=vmax,
        )
        if panel == n_hidden - 1:
            fig.colorbar(shown, ax=axes[:n_hidden], shrink=0.75, label="$h(a_j)$")
        elif not is_hidden:
            fig.colorbar(shown, ax=ax, shrink=0.75)
        if is_hidden:
            ax.contour(
                X[:, 0].reshape(side, side),
                X[:, 1].reshape(side, side),
                A[:, panel].reshape(side, side),
                levels=[0.0],
                colors="white",
                linestyles="dashed",
                linewidths=1.2,
            )
            _draw_growth_arrow(ax, W1[:, panel], extent)
        if points is not None:
            colours = (
                [style.PALETTE[int(c) % len(style.PALETTE)] for c in point_labels]
                if point_labels is not None
                else "white"
            )
            ax.scatter(
                points[:, 0], points[:, 1], s=9, c=colours, edgecolors="black", linewidths=0.3
            )
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        ax.set_title(title, fontsize=style.TITLE_FONTSIZE)
        ax.set_xlabel("$x_1$")
        if panel == 0:
            ax.set_ylabel("$x_2$")
        else:
            ax.tick_params(labelleft=False)
    return fig


def _draw_growth_arrow(ax, weights, extent):
    """Arrow from the point of the line a = 0 nearest the plane's centre along (w1, w2)."""
    bias, direction = weights[0], weights[1:]
    length = float(np.linalg.norm(direction))
    if length == 0:
        return
    centre = np.array([(extent[0] + extent[1]) / 2, (extent[2] + extent[3]) / 2])
    unit = direction / length
    # Project the centre onto the line w0 + w . x = 0.
    foot = centre - (bias + direction @ centre) / length * unit
    inside = extent[0] <= foot[0] <= extent[1] and extent[2] <= foot[1] <= extent[3]
    if not inside:
        return
    span = 0.18 * (extent[1] - extent[0])
    ax.annotate(
        "",
        xy=tuple(foot + span * unit),
        xytext=tuple(foot),
        arrowprops={"arrowstyle": "->", "color": "white", "linewidth": 1.5},
    )


def draw_activations(names=("step", "sigmoid", "tanh", "relu", "identity"), a_range=(-4.0, 4.0)):
    """One panel per activation function h(a), from the lecture's list of AFs.

    Args:
        names: activation names understood by `lectureml.activations.get_activation`.
        a_range: (a_min, a_max) of the horizontal axis.

    Returns:
        the matplotlib Figure.
    """
    if not isinstance(names, (list, tuple)) or len(names) == 0:
        raise TypeError(
            f"names must be a non-empty tuple of activation names, got {describe(names)}"
        )
    functions = [_hidden_activation(name, "every entry of names") for name in names]
    if not isinstance(a_range, (list, tuple)) or len(a_range) != 2:
        raise TypeError(f"a_range must be a pair (a_min, a_max), got {describe(a_range)}")
    low, high = (float(v) for v in a_range)
    if not low < high:
        raise ValueError(f"a_range must satisfy a_min < a_max, got {a_range}")
    a = np.linspace(low, high, 401)
    fig, axes = style.new_figure(ncols=len(names), width=2.2, height=2.0)
    axes = axes if isinstance(axes, list) else [axes]
    for ax, name, h in zip(axes, names, functions, strict=True):
        ax.plot(a, h(a), color=style.PALETTE[0], linewidth=2)
        ax.axhline(0, color="gray", linewidth=0.5)
        ax.axvline(0, color="gray", linewidth=0.5)
        ax.set_title(name, fontsize=style.TITLE_FONTSIZE)
        ax.set_xlabel("$a$")
    axes[0].set_ylabel("$h(a)$")
    return fig
