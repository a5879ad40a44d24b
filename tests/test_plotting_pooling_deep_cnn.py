"""Figures of notebooks 05 and 08: the scales, colour bars, ticks and font sizes readers rely on."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from lectureml.plotting.deep_cnn import (
    draw_feature_maps,
    draw_filters,
    draw_flop_shares,
    draw_learning_curve,
    draw_robustness,
)
from lectureml.plotting.pooling import draw_receptive_fields
from lectureml.plotting.style import GRAY, LEGEND_FONTSIZE, TITLE_FONTSIZE


def _colour_bars(fig):
    """The axes of the figure's colour bars (they hold no image of their own)."""
    return [ax for ax in fig.axes if not ax.get_images() and not ax.get_title()]


def test_receptive_field_gradients_get_colour_bars_that_say_white_is_zero():
    image = np.zeros((8, 8))
    spread = np.zeros((8, 8))
    spread[2:6, 2:6] = 0.1
    concentrated = np.zeros((8, 8))
    concentrated[3, 3] = -2.0  # a negative gradient is drawn by its magnitude
    fig = draw_receptive_fields(
        image,
        [((3, 4), (3, 4)), ((2, 6), (2, 6))],
        ["conv", "pool"],
        gradients=[spread, concentrated],
        gradient_titles=["mean", "max"],
    )
    panels = {ax.get_title(): ax for ax in fig.axes if ax.get_title()}
    bars = _colour_bars(fig)
    assert len(bars) == 2
    assert all("white = 0" in bar.get_ylabel() for bar in bars)
    for title, top in (("mean", 0.1), ("max", 2.0)):
        gradient_image = panels[title].get_images()[-1]
        assert gradient_image.colorbar is not None
        assert gradient_image.get_clim() == pytest.approx((0.0, top))


def _stages():
    rng = np.random.default_rng(0)
    early = np.maximum(rng.standard_normal((8, 12, 12)), 0.0)
    late = np.zeros((8, 4, 4))
    late[0, 1, 1] = 0.2  # one weak lone response
    late[1] = 3.0 * rng.random((4, 4))
    return {"conv 1 + ReLU": early, "max-pool 2": late}


def test_feature_maps_share_one_scale_from_zero_per_stage_with_a_colour_bar():
    stages = _stages()
    fig = draw_feature_maps(np.zeros((1, 12, 12)), stages, channels=6)
    bars = _colour_bars(fig)
    assert len(bars) == len(stages)  # one per row
    panels = [ax for ax in fig.axes if ax not in bars]
    rows = [panels[i : i + 7] for i in range(0, len(panels), 7)]
    for row, maps in zip(rows, stages.values(), strict=True):
        images = [ax.get_images()[0] for ax in row[1:]]
        top = float(maps[:6].max())
        assert all(image.get_clim() == (0.0, pytest.approx(top)) for image in images)
        assert all(image.get_cmap().name == GRAY for image in images)
    # The all-zero channel 2 of the last stage is drawn in the colour of 0 (black), and the
    # weak lone response of channel 0 far from full brightness.
    late = [ax.get_images()[0] for ax in rows[1][1:]]
    assert np.allclose(late[2].to_rgba(np.zeros((1, 1)))[0, 0, :3], 0.0)
    assert late[0].norm(0.2) < 0.1


def test_robustness_ticks_sit_on_the_measured_values_and_titles_use_the_course_size():
    scales = [0.7, 0.85, 1.0, 1.15, 1.3]
    fig = draw_robustness(
        {
            "shift": ([0, 1, 2], "pixels", {"CNN": [0.9, 0.8, 0.7]}),
            "scaling": (scales, "zoom factor", {"CNN": [0.5, 0.9, 1.0, 0.9, 0.8]}),
        }
    )
    shift_ax, scale_ax = fig.axes
    np.testing.assert_allclose(scale_ax.get_xticks(), scales)
    assert [t.get_text() for t in scale_ax.get_xticklabels()] == ["0.7", "0.85", "1", "1.15", "1.3"]
    assert shift_ax.title.get_fontsize() == scale_ax.title.get_fontsize() == TITLE_FONTSIZE
    assert shift_ax.get_legend().get_texts()[0].get_fontsize() == LEGEND_FONTSIZE


def test_flop_shares_and_learning_curve_use_the_course_font_sizes():
    fig = draw_flop_shares(["conv", "dense"], [2e6, 1e6], [1e5, 1e5], [0.01, 0.02], [0.001, 0.002])
    assert [ax.title.get_fontsize() for ax in fig.axes] == [TITLE_FONTSIZE, TITLE_FONTSIZE]
    fig = draw_learning_curve([100, 200, 400], [0.9, 0.95, 0.99], [0.8, 0.85, 0.9])
    legend = fig.axes[0].get_legend()
    assert legend.get_texts()[0].get_fontsize() == LEGEND_FONTSIZE
    assert not legend.get_frame_on()


def test_filters_say_that_each_kernel_has_its_own_scale():
    weights = np.random.default_rng(1).standard_normal((4, 1, 3, 3))
    fig = draw_filters(weights, ncols=4)
    assert "each kernel on its own scale" in fig.get_suptitle()
    assert fig._suptitle.get_fontsize() == TITLE_FONTSIZE
