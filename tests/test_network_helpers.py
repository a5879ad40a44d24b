"""Computational helpers behind the network pictures and the weight explorer of notebook 01."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lectureml import mlp
from lectureml.plotting.backprop import draw_message_passing
from lectureml.plotting.network import (
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
    assert {"0", "0.00", "0.25", "-0.01", "-0.004"} <= set(labels)
    assert "-0" not in labels
    assert "-0.00" not in labels


def _overlapping_pairs(texts, renderer):
    boxes = [text.get_window_extent(renderer) for text in texts]
    return [
        (texts[a].get_text(), texts[b].get_text())
        for a in range(len(boxes))
        for b in range(a + 1, len(boxes))
        if boxes[a].overlaps(boxes[b])
    ]


def test_draw_network_weight_labels_do_not_overlap():
    # Notebook 02's message-passing figure, whose gradient labels once printed over each other.
    W1, W2 = mlp.init_weights(2, 3, 1, np.random.default_rng(16), scale=1.0)
    fig = draw_message_passing(np.array([0.8, -1.2]), np.array([1.0]), W1, W2, hidden="tanh")
    fig.canvas.draw()
    for ax in fig.axes[:2]:
        edge_labels = [text for text in ax.texts if text.get_bbox_patch() is not None]
        assert len(edge_labels) == W1.size + W2.size
        assert _overlapping_pairs(edge_labels, fig.canvas.get_renderer()) == []
    plt.close(fig)


def test_draw_network_draws_one_edge_per_weight():
    W1, W2 = np.ones((3, 4)), np.ones((5, 1))
    fig = draw_network([W1, W2], colorbar=False)
    assert len(fig.axes[0].lines) == W1.size + W2.size
    plt.close(fig)
