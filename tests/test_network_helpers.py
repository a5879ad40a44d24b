"""Computational helpers behind the network pictures and the weight explorer of notebook 01."""

import matplotlib

matplotlib.use("Agg")

import colorsys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.colors import to_rgb

from lectureml import mlp
from lectureml.plotting import style
from lectureml.plotting.backprop import draw_message_passing
from lectureml.plotting.network import (
    EDGE_CMAP,
    EDGE_MAX_LIGHTNESS,
    MIN_EDGE_LINEWIDTH,
    draw_hidden_features,
    draw_network,
    hidden_features,
    input_plane,
    layer_sizes,
)
from lectureml.widgets.network import explorer_curves


def test_layer_sizes_counts_units_without_bias():
    W1, W2 = np.zeros((4, 5)), np.zeros((6, 2))
    assert layer_sizes([W1, W2]) == [3, 5, 2]
    assert layer_sizes([np.zeros((3, 5)), np.zeros((5, 2))], with_bias=False) == [3, 5, 2]


def test_layer_sizes_rejects_broken_chain():
    with pytest.raises(ValueError, match=r"weights\[1\] must have 6 rows.*got shape \(5, 2\)"):
        layer_sizes([np.zeros((4, 5)), np.zeros((5, 2))])


def test_input_plane_rows_follow_x1_then_x2():
    X = input_plane((0.0, 2.0, -1.0, 1.0), resolution=3)
    assert X.shape == (9, 2)
    np.testing.assert_array_equal(X[:3], [[0, -1], [1, -1], [2, -1]])
    np.testing.assert_array_equal(X[-1], [2, 1])


def test_input_plane_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"resolution must be an integer >= 2, got 1"):
        input_plane(resolution=1)
    with pytest.raises(ValueError, match=r"x1_min < x1_max.*got \(1, 0, 0, 1\)"):
        input_plane((1, 0, 0, 1))


def test_hidden_features_uses_bias_row_first():
    W1 = np.array([[1.0, -2.0], [2.0, 0.0], [0.0, 3.0]])
    X = np.array([[1.0, 1.0], [0.0, -1.0]])
    A, Z = hidden_features(W1, X, hidden="relu")
    np.testing.assert_allclose(A, [[3.0, 1.0], [1.0, -5.0]])
    np.testing.assert_allclose(Z, [[3.0, 1.0], [1.0, 0.0]])


def test_hidden_features_rejects_mismatched_weights():
    with pytest.raises(ValueError, match=r"W1 must have D \+ 1 = 3 rows.*got shape \(2, 4\)"):
        hidden_features(np.zeros((2, 4)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"hidden must be one of .*got str 'softmax'"):
        hidden_features(np.zeros((3, 4)), np.zeros((5, 2)), hidden="softmax")


def test_explorer_curves_sum_to_the_output():
    W1 = np.array([[2.0, -2.0, 0.5], [4.0, 4.0, -1.0]])
    W2 = np.array([[0.3], [1.0], [-1.0], [2.0]])
    x = np.array([-1.0, 0.0, 2.0])
    y, contributions = explorer_curves(W1, W2, x, hidden="tanh")
    expected = 0.3 + np.tanh(x[:, None] * W1[1] + W1[0]) @ W2[1:, 0]
    np.testing.assert_allclose(y, expected)
    np.testing.assert_allclose(0.3 + contributions.sum(axis=1), y)
    assert contributions.shape == (3, 3)


def test_explorer_curves_rejects_more_than_one_input():
    with pytest.raises(ValueError, match=r"W1 must have shape \(2, M\).*got shape \(3, 3\)"):
        explorer_curves(np.zeros((3, 3)), np.zeros((4, 1)), np.zeros(5))


def test_drawings_reject_bad_shapes():
    with pytest.raises(ValueError, match=r"at most 16 units per layer, got layers of sizes"):
        draw_network([np.zeros((785, 4)), np.zeros((5, 2))])
    with pytest.raises(ValueError, match=r"W1 must have shape \(3, M\).*got shape \(4, 2\)"):
        draw_hidden_features(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"W2 must have shape \(3, 1\).*got shape \(3, 2\)"):
        draw_hidden_features(np.zeros((3, 2)), W2=np.zeros((3, 2)))


def test_draw_network_never_labels_a_value_minus_zero():
    W1 = np.array([[-0.0, 0.5], [-0.3, 1.0]])
    W2 = np.array([[0.2], [-1.0], [-0.004]])
    node_values = [np.array([-0.001]), np.array([-0.0, 0.25]), np.array([-0.006])]
    fig = draw_network([W1, W2], node_values=node_values, show_values=True, colorbar=False)
    labels = [text.get_text() for text in fig.axes[0].texts]
    plt.close(fig)
    # Negative values carry a true minus sign, as matplotlib's tick labels do.
    assert {"0", "0.00", "0.25", "\N{MINUS SIGN}0.01", "\N{MINUS SIGN}0.004"} <= set(labels)
    assert not {"-0", "-0.00", "\N{MINUS SIGN}0", "\N{MINUS SIGN}0.00"} & set(labels)


def _label_outline(text):
    """The white box behind an edge label as drawn, turned with the label, in pixels."""
    patch = text.get_bbox_patch()
    return patch.get_path().transformed(patch.get_transform())


def _overlapping_pairs(texts):
    outlines = [_label_outline(text) for text in texts]
    return [
        (texts[a].get_text(), texts[b].get_text())
        for a in range(len(outlines))
        for b in range(a + 1, len(outlines))
        if outlines[a].intersects_path(outlines[b], filled=True)
    ]


def test_draw_network_weight_labels_do_not_overlap():
    # Notebook 02's message-passing figure, whose gradient labels once printed over each other.
    W1, W2 = mlp.init_weights(2, 3, 1, np.random.default_rng(16), scale=1.0)
    fig = draw_message_passing(np.array([0.8, -1.2]), np.array([1.0]), W1, W2, hidden="tanh")
    fig.canvas.draw()
    for ax in fig.axes[:2]:
        edge_labels = [text for text in ax.texts if text.get_bbox_patch() is not None]
        assert len(edge_labels) == W1.size + W2.size
        assert _overlapping_pairs(edge_labels) == []
    plt.close(fig)


def test_draw_network_draws_one_edge_per_weight():
    W1, W2 = np.ones((3, 4)), np.ones((5, 1))
    fig = draw_network([W1, W2], colorbar=False)
    assert len(fig.axes[0].lines) == W1.size + W2.size
    plt.close(fig)


def _square_detector():
    """Notebook 01's 2-4-1 network: zero weights, and edges crossing in the middle."""
    W1 = 4.0 * np.array([[1.5, 1.5, 1.5, 1.5], [-1.0, 1.0, 0.0, 0.0], [0.0, 0.0, -1.0, 1.0]])
    W2 = 4.0 * np.array([[-3.5], [1.0], [1.0], [1.0], [1.0]])
    return W1, W2


def _lightness(colour):
    return colorsys.rgb_to_hls(*to_rgb(colour))[1]


def test_draw_network_draws_every_edge_visibly_whatever_its_weight():
    # Zero and tiny weights next to a large one once drew white hairlines on white.
    W1 = np.array([[0.0, 0.01], [-0.01, 10.0]])
    W2 = np.array([[0.0], [1e-6], [-10.0]])
    fig = draw_network([W1, W2], colorbar=False)
    edges = fig.axes[0].lines
    widths = [line.get_linewidth() for line in edges]
    lightness = [_lightness(line.get_color()) for line in edges]
    plt.close(fig)
    assert min(widths) >= MIN_EDGE_LINEWIDTH
    assert max(lightness) <= EDGE_MAX_LIGHTNESS + 1e-6
    # The edge map keeps the sign of a small weight readable: reddish above 0, bluish below.
    red, _, blue = to_rgb(EDGE_CMAP(0.51))
    assert red > blue
    red, _, blue = to_rgb(EDGE_CMAP(0.49))
    assert blue > red


def test_draw_network_colour_bar_uses_the_edge_colours():
    W1, W2 = _square_detector()
    fig = draw_network([W1, W2], colorbar_label="gradient")
    bar = fig.axes[1]
    (colours,) = [item for item in bar.collections if isinstance(item, QuadMesh)]  # the strip
    assert colours.get_cmap() is EDGE_CMAP
    assert (colours.norm.vmin, colours.norm.vmax) == pytest.approx((-14.0, 14.0))
    assert bar.get_ylabel() == "gradient"
    plt.close(fig)


def test_draw_network_weight_limit_sets_colour_and_width_scale():
    W1, W2 = np.array([[1.0], [0.5]]), np.array([[0.0], [1.0]])
    fig = draw_network([W1, W2], colorbar=False, weight_limit=2.0, max_linewidth=5.0)
    lines = fig.axes[0].lines
    plt.close(fig)
    # The weight 1.0 is half the limit: half way from the thinnest width to the widest.
    assert lines[0].get_linewidth() == pytest.approx(MIN_EDGE_LINEWIDTH + 0.5 * (5.0 - 1.0))
    assert to_rgb(lines[0].get_color()) == pytest.approx(to_rgb(EDGE_CMAP(0.75)))
    with pytest.raises(ValueError, match=r"max_linewidth must be at least MIN_EDGE_LINEWIDTH"):
        draw_network([W1, W2], max_linewidth=0.5)


@pytest.mark.parametrize("network", ["square detector", "message passing"])
def test_draw_network_labels_lie_on_their_own_edge_only(network):
    # Each label sits on its edge, turned along it, and no other edge runs under its box
    # (the "-4" of notebook 01 and the "1", "1.8" of notebook 02 once sat on crossings).
    if network == "square detector":
        fig = draw_network(list(_square_detector()), show_values=True)
        axes = fig.axes[:1]
    else:
        W1, W2 = mlp.init_weights(2, 3, 1, np.random.default_rng(16), scale=1.0)
        fig = draw_message_passing(np.array([0.8, -1.2]), np.array([1.0]), W1, W2)
        axes = fig.axes[:2]
    fig.canvas.draw()
    for ax in axes:
        labels = [text for text in ax.texts if text.get_bbox_patch() is not None]
        assert len(labels) == len(ax.lines)
        for text, edge in zip(labels, ax.lines, strict=True):
            start, end = ax.transData.transform(np.column_stack(edge.get_data()))
            centre = ax.transData.transform(text.get_position())
            along, across = end - start, centre - start
            offset = along[0] * across[1] - along[1] * across[0]  # cross product: area
            assert abs(offset) / np.hypot(*along) < 0.5  # pixels from the edge's line
            angle = np.degrees(np.arctan2(along[1], along[0])) % 360
            assert text.get_rotation() == pytest.approx(angle, abs=0.5)
            outline = _label_outline(text)
            under = [
                other
                for other in ax.lines
                if outline.intersects_path(other.get_path().transformed(other.get_transform()))
            ]
            assert under == [edge], text.get_text()
    plt.close(fig)


def test_draw_network_title_uses_the_course_size():
    fig = draw_network(list(_square_detector()), title="a 2-4-1 square detector")
    assert fig.axes[0].title.get_fontsize() == style.TITLE_FONTSIZE
    plt.close(fig)
