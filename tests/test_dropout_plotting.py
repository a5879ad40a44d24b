"""The pictures of notebook 07: a colour key for the thinned networks, the course's font sizes."""

import colorsys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.colors import to_rgb

from lectureml.plotting import style
from lectureml.plotting.dropout import (
    draw_running_means,
    draw_thinned_network,
    draw_thinned_networks,
)
from lectureml.plotting.network import EDGE_CMAP, EDGE_MAX_LIGHTNESS, MIN_EDGE_LINEWIDTH


@pytest.fixture
def network():
    """2 inputs, 3 hidden units, 2 outputs; the largest |w| (-5) leaves hidden unit 3."""
    W1 = np.array([[1.0, -0.5, 0.2], [0.3, 2.0, -1.0]])
    b1 = np.array([0.1, 0.0, -0.2])
    W2 = np.array([[1.5, -1.0], [0.5, 0.4], [-5.0, 2.5]])
    b2 = np.array([0.2, -0.3])
    return W1, b1, W2, b2


def test_thinned_networks_share_one_colour_bar_on_the_full_networks_scale(network):
    keeps = [np.ones(3, dtype=bool), np.array([True, True, False])]
    fig = draw_thinned_networks(*network, keeps, titles=["full", "thinned"])
    full, thinned, bar = fig.axes
    (strip,) = [item for item in bar.collections if isinstance(item, QuadMesh)]
    assert strip.get_cmap() is EDGE_CMAP
    assert (strip.norm.vmin, strip.norm.vmax) == pytest.approx((-5.0, 5.0))
    assert "red" in bar.get_ylabel() and "blue" in bar.get_ylabel()
    # Dropping unit 3 removes the largest weight; the kept edges must keep their colours.
    # Edges run source by source (bias first), each to every unit above; unit 3's are
    # bias, x1, x2 -> z3 (2, 5, 8) and z3 -> y1, y2 (15, 16).
    kept = [0, 1, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14]
    assert [thinned.lines[i].get_color() for i in kept] == [full.lines[i].get_color() for i in kept]
    plt.close(fig)


def test_thinned_network_draws_a_dropped_units_edges_thin_and_grey(network):
    fig = draw_thinned_networks(*network, [np.array([True, True, False])])
    edges = fig.axes[0].lines
    assert min(line.get_linewidth() for line in edges) >= MIN_EDGE_LINEWIDTH
    lightness = [colorsys.rgb_to_hls(*to_rgb(line.get_color()))[1] for line in edges]
    assert max(lightness) <= EDGE_MAX_LIGHTNESS + 1e-6
    plt.close(fig)


def test_running_means_use_the_course_font_sizes():
    draws = np.array([2.0, 0.0, 2.0, 2.0])
    fig = draw_running_means(draws, draws / 2, z=1.0, p=0.5)
    ax = fig.axes[0]
    assert ax.title.get_fontsize() == style.TITLE_FONTSIZE
    assert {text.get_fontsize() for text in ax.get_legend().get_texts()} == {style.LEGEND_FONTSIZE}
    plt.close(fig)


def test_a_single_thinned_network_can_explain_its_edge_colours(network):
    fig = draw_thinned_network(*network, np.array([True, False, True]), colorbar=True)
    _, bar = fig.axes
    (strip,) = [item for item in bar.collections if isinstance(item, QuadMesh)]
    assert strip.get_cmap() is EDGE_CMAP
    # Dropping unit 2 leaves the largest weight (-5) in, so the scale is the full network's.
    assert (strip.norm.vmin, strip.norm.vmax) == pytest.approx((-5.0, 5.0))
    assert "red" in bar.get_ylabel()
    assert len(draw_thinned_network(*network, np.ones(3, dtype=bool)).axes) == 1
    plt.close("all")
