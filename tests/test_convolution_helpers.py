"""Helpers of notebook 04: its pictures, its widgets and the judge of its kernel exercise."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from lectureml.conv import conv2d
from lectureml.grading.registry import get_check
from lectureml.images import KERNELS
from lectureml.plotting.convolution import (
    _covered,
    _is_signed,
    _limits,
    draw_shared_weights,
    draw_sliding_window,
    show_feature_maps,
    show_number_grids,
)
from lectureml.plotting.pooling import draw_window_grids
from lectureml.plotting.style import DIVERGING
from lectureml.widgets.convolution import kernel_editor, output_size_explorer


def _judge(kernel):
    return get_check("04-horizontal-edge-kernel").judge(kernel)


@pytest.mark.parametrize(
    "kernel",
    [
        KERNELS["edges in y"],
        -KERNELS["edges in y"],  # the opposite sign responds just as strongly
        np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]]),  # Prewitt
        np.array([[-1.0], [1.0]]),  # the smallest: a two-tap difference down the rows
        np.repeat(np.array([[-1.0], [-1.0], [0.0], [1.0], [1.0]]), 5, axis=1),  # 5 x 5
        [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],  # a nested list of ints
    ],
)
def test_edge_judge_accepts_horizontal_edge_detectors(kernel):
    assert _judge(kernel) == (True, "")


def test_edge_judge_explains_what_is_wrong_without_giving_the_answer():
    ok, message = _judge(KERNELS["edges in x"])
    assert not ok and "barely responds to some horizontal edges" in message
    ok, message = _judge(KERNELS["edges in x"] + KERNELS["edges in y"])  # a diagonal detector
    assert not ok and "vertical edges" in message
    ok, message = _judge(KERNELS["blur"])
    assert not ok and "flat regions" in message
    ok, message = _judge(np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -0.5]]))
    assert not ok and "flat regions" in message
    ok, message = _judge(np.ones((9, 9)))
    assert not ok and "at most 7" in message
    assert _judge("edges") == (False, "the kernel must be a 2-D array of numbers")
    assert _judge(np.array([[np.nan, 1.0]]))[0] is False


def test_covered_marks_the_pixels_no_window_reads():
    # 6 padded pixels, kernel 3, stride 2: windows start at 0 and 2, so pixel 5 is never read.
    np.testing.assert_array_equal(_covered(6, 3, 2, 2), [True] * 5 + [False])
    assert _covered(7, 3, 1, 5).all()


def test_signed_maps_and_their_limits():
    edges = np.array([[-2.0, 0.0], [1.0, 3.0]])
    assert _is_signed(edges)
    assert not _is_signed(np.array([[-0.01, 1.0]]))  # a tiny overshoot is not a sign
    assert not _is_signed(np.array([[0.0, 1.0]]))
    low, high = _limits(edges, signed=True)
    assert low == -high and 1.0 < high <= 3.0
    assert _limits(np.array([[-0.5, 0.2, 1.0]]), signed=False)[0] == 0.0  # clipped at black


def test_pictures_have_one_panel_per_array():
    photo_like = np.random.default_rng(0).random((30, 20))
    fig = show_feature_maps([photo_like, photo_like - 0.5, photo_like], ["a", "b", "c"], ncols=2)
    assert len(fig.axes) == 4  # 2 x 2 grid, the last panel empty
    assert [ax.get_title() for ax in fig.axes[:3]] == ["a", "b", "c"]
    fig = show_number_grids([np.eye(3), np.ones((2, 4))], highlight=[((0, 2), (1, 3)), None])
    assert len(fig.axes) == 2 and fig.axes[0].texts[0].get_text() == "1"
    fig = draw_sliding_window(7, 3, stride=2, padding=1, position=(1, 2))
    assert "= 4" in fig._suptitle.get_text()
    kernel = np.arange(1.0, 5.0).reshape(2, 2)
    matrix = conv2d(np.eye(9).reshape(9, 1, 3, 3), kernel[None, None]).reshape(9, 4).T
    fig = draw_shared_weights(matrix, kernel)
    assert "16 of 36 entries nonzero, 4 distinct values" in fig.axes[0].get_title()


def test_number_grids_draw_positive_numbers_red_even_without_negative_ones():
    blur = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16
    edges = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    fig = show_number_grids([edges, blur])
    for ax in fig.axes:
        (image,) = ax.get_images()
        assert image.get_cmap().name == DIVERGING
        assert image.norm.vmin == -image.norm.vmax  # zero in the middle: white
    # The largest blur weight is as red as a positive edge weight of the same relative size.
    centre = fig.axes[1].get_images()[0].to_rgba(np.array([[0.25]]))[0, 0]
    assert centre[0] > centre[2]  # more red than blue


def test_feature_maps_can_carry_colour_bars_that_show_clipping():
    difference = np.zeros((20, 20))
    difference[:, :2] = np.linspace(-30.0, 30.0, 20)[:, None]
    fig = show_feature_maps(
        [difference, difference],
        ["plain", "with bar"],
        signed=True,
        limits=[None, (-10.0, 10.0)],
        colorbar=[False, True],
    )
    panels = [ax for ax in fig.axes if ax.get_title()]
    bars = [ax for ax in fig.axes if ax not in panels]
    assert len(panels) == 2 and len(bars) == 1
    assert panels[1].get_images()[0].colorbar.extend == "both"  # values beyond +-10 clipped
    assert panels[0].get_images()[0].colorbar is None
    assert len(show_feature_maps([difference], colorbar=True).axes) == 2


def test_sliding_window_numbers_rows_and_columns_and_writes_the_floor():
    fig = draw_sliding_window(7, 3, stride=2, padding=1, position=(1, 2))
    input_ax, output_ax = fig.axes
    padded = [str(i) for i in range(9)]
    assert [t.get_text() for t in input_ax.get_xticklabels()] == padded
    assert [t.get_text() for t in input_ax.get_yticklabels()] == padded
    assert [t.get_text() for t in output_ax.get_yticklabels()] == ["0", "1", "2", "3"]
    # Padded position (2, 4) is the window's top-left cell: the ticks sit at cell centres.
    assert input_ax.get_yticks()[2] == 2.5 and input_ax.get_xticks()[4] == 4.5
    suptitle = fig.get_suptitle()
    assert "⌊(7 + 2·1 − 3) / 2⌋ = 4" in suptitle and "//" not in suptitle


def test_output_size_explorer_follows_its_sliders():
    box = output_size_explorer(input_size=7, kernel_size=3, stride=2, padding=1)
    sliders = {child.description: child for child in box.children[0].children}
    cell = box.children[1].children[1]
    summary = box.children[2]
    assert cell.max == 15 and "output shape (4, 4)" in summary.value
    sliders["stride"].value = 1
    assert cell.max == 48 and "output shape (7, 7)" in summary.value
    sliders["kernel size"].value = 7
    sliders["padding"].value = 0
    sliders["input size"].value = 3
    assert cell.max == 0 and "does not fit" in summary.value


def test_kernel_editor_loads_presets_and_reports_the_sum():
    box = kernel_editor([np.ones((5, 6)), np.eye(4)], ["flat", "diagonal"], kernel="blur")
    (grid, presets), summary = box.children[0].children, box.children[1]
    boxes = [box_ for row in grid.children for box_ in row.children]
    assert "sum of the entries = 1" in summary.value
    presets.value = "edges in y"
    np.testing.assert_array_equal([b.value for b in boxes], KERNELS["edges in y"].ravel())
    assert "(no response)" in summary.value
    boxes[4].value = 2.0  # typing makes it the student's own kernel
    assert presets.value == "(your own)" and "sum of the entries = 2" in summary.value


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: show_feature_maps([]), TypeError, r"images must be a non-empty list of 2-D"),
        (
            lambda: show_feature_maps([np.zeros((2, 2, 3))]),
            ValueError,
            r"images\[0\] must be a 2-D array \(H, W\), got shape \(2, 2, 3\)",
        ),
        (
            lambda: show_feature_maps([np.zeros((2, 2))], titles=["a", "b"]),
            ValueError,
            r"titles must have one entry per array \(1\), got 2",
        ),
        (
            lambda: show_feature_maps([np.zeros((2, 2))], limits=(1, 0)),
            ValueError,
            r"limits\[0\] must be a pair \(low, high\) with low < high, got \(1, 0\)",
        ),
        (
            lambda: show_number_grids([np.eye(2)], highlight=((0, 1), (0, 1))),
            TypeError,
            r"highlight must be None or a list with one region \(or None\) per array \(1\)",
        ),
        (
            lambda: show_number_grids([np.eye(2)], highlight=[((0, 3), (0, 1))]),
            ValueError,
            r"highlight\[0\] must lie inside the array of shape \(2, 2\).*"
            r"got \(\(0, 3\), \(0, 1\)\)",
        ),
        (
            lambda: draw_sliding_window(5, 3, position=(3, 0)),
            ValueError,
            r"position must have row and column in 0..2 \(the output is 3 x 3\), got \(3, 0\)",
        ),
        (
            lambda: draw_sliding_window(3, 7),
            ValueError,
            r"kernel_size must be at most size \+ 2\*padding = 3 \+ 2\*0 = 3, got kernel_size=7",
        ),
        (
            lambda: draw_shared_weights(np.eye(2), np.ones((2, 2))),
            ValueError,
            r"kernel must hold at most 10 distinct nonzero weights, got \[1.0, 1.0, 1.0, 1.0\]",
        ),
        (
            lambda: output_size_explorer(stride=9),
            ValueError,
            r"stride must be an integer in 1..4, got 9",
        ),
        (
            lambda: output_size_explorer(stride=0),
            ValueError,
            r"stride must be an integer in 1..4, got 0",
        ),
        (lambda: output_size_explorer(stride=2.0), TypeError, r"stride must be an integer, got"),
        (
            lambda: kernel_editor([np.eye(3)], kernel="emboss"),
            ValueError,
            r"kernel must be one of \[.*'sharpen'\] or a 3 x 3 array, got 'emboss'",
        ),
        (
            lambda: kernel_editor([np.eye(3)], kernel=np.ones((5, 5))),
            TypeError,
            r"kernel must be a preset name or a 3 x 3 array, got array of shape \(5, 5\)",
        ),
    ],
)
def test_helpers_reject_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("arrays", "error", "message"),
    [
        ([], TypeError, r"arrays must be a non-empty list of 2-D arrays, got list of length 0"),
        ("image", TypeError, r"arrays must be a non-empty list of 2-D arrays, got str 'image'"),
        ([[1.0]], TypeError, r"arrays\[0\] must be a 2-D numpy array, got list of length 1"),
        (
            [np.ones((2, 2)), np.ones((1, 3, 3))],
            ValueError,
            r"arrays\[1\] must be a 2-D array \(H, W\), got shape \(1, 3, 3\); "
            r"take one channel",
        ),
        (
            [np.ones((0, 3))],
            ValueError,
            r"arrays\[0\] must be a 2-D array \(H, W\), got shape \(0, 3\); it has no pixels",
        ),
        ([np.array([[1.0, np.nan]])], ValueError, r"arrays\[0\] must hold finite values"),
    ],
)
def test_grid_drawings_name_the_bad_array(arrays, error, message):
    for draw in (show_number_grids, draw_window_grids):
        with pytest.raises(error, match=message):
            draw(arrays)
