"""Tests of lectureml.approximation: bumps from logistic units, sawtooth depth, piece counting."""

import numpy as np
import pytest

from lectureml import approximation as ap
from lectureml.mlp import backward, forward
from lectureml.widgets.approximation import bump_explorer, sawtooth_explorer

GRID = np.linspace(-1.0, 1.0, 2001)


def construction_output(target, M, steepness, x=GRID):
    W1, W2 = ap.bump_construction(target, M, steepness)
    return forward(x[:, None], W1, W2, hidden="sigmoid").y[:, 0]


def random_shallow(rng, M):
    return [rng.standard_normal((2, M)), rng.standard_normal((M + 1, 1))]


# ---------------------------------------------------------------- steps and bumps


def test_logistic_step_matches_formula_and_is_half_at_position():
    x = np.array([-1.0, 0.3, 0.5, 2.0])
    expected = 1 / (1 + np.exp(-7.0 * (x - 0.3)))
    np.testing.assert_allclose(ap.logistic_step(x, 0.3, 7.0), expected, rtol=1e-12)
    assert ap.logistic_step(x, 0.3, 7.0)[1] == 0.5


def test_logistic_step_approaches_the_step_as_it_steepens():
    x = np.array([-0.5, -0.1, 0.1, 0.5])
    np.testing.assert_allclose(ap.logistic_step(x, 0.0, 1000.0), [0, 0, 1, 1], atol=1e-12)


def test_logistic_step_keeps_float32():
    assert ap.logistic_step(np.zeros(3, dtype=np.float32), 0.2, 5.0).dtype == np.float32


def test_bump_is_difference_of_two_steps_with_the_given_edges():
    x = np.linspace(-2, 2, 9)
    expected = 3.0 * (ap.logistic_step(x, 0.0, 4.0) - ap.logistic_step(x, 1.0, 4.0))
    np.testing.assert_allclose(ap.bump(x, 0.5, 1.0, 4.0, height=3.0), expected, rtol=1e-12)


def test_steep_bump_is_height_inside_zero_outside_and_half_at_edges():
    x = np.array([-0.6, -0.25, 0.0, 0.2, 0.6])
    values = ap.bump(x, 0.0, 0.5, 1e4, height=2.0)
    np.testing.assert_allclose(values, [0.0, 1.0, 2.0, 2.0, 0.0], atol=1e-9)


def test_bump_keeps_float32():
    assert ap.bump(np.zeros(4, dtype=np.float32), 0.0, 1.0, 10.0).dtype == np.float32


# ---------------------------------------------------------------- the construction


def test_construction_knots_and_edges():
    knots, edges = ap.construction_knots(4)
    np.testing.assert_allclose(knots, [-1.0, -0.5, 0.0, 0.5, 1.0])
    np.testing.assert_allclose(edges, [-0.75, -0.25, 0.25, 0.75])


def test_bump_construction_weights_in_lecture_layout():
    W1, W2 = ap.bump_construction(lambda x: 2 * x, 2, 10.0, interval=(0.0, 1.0))
    # edges at 1/4 and 3/4, output bias f(0) = 0, steps of height f(1/2) - f(0) = 1 each
    np.testing.assert_allclose(W1, [[-2.5, -7.5], [10.0, 10.0]])
    np.testing.assert_allclose(W2, [[0.0], [1.0], [1.0]])


def test_sum_of_bump_terms_equals_the_network_output():
    for target in ap.TARGETS:
        terms = ap.bump_terms(GRID, target, 7, 25.0)
        assert terms.shape == (GRID.size, 8)
        np.testing.assert_allclose(
            terms.sum(axis=1), construction_output(target, 7, 25.0), atol=1e-12
        )


def test_steep_construction_takes_the_knot_values_at_the_knots():
    knots, _ = ap.construction_knots(8)
    np.testing.assert_allclose(
        construction_output("sin", 8, 1e4, x=knots), np.sin(np.pi * knots), atol=1e-9
    )


def test_construction_sup_error_falls_like_one_over_M_for_sin():
    errors = [
        ap.sup_error(construction_output("sin", M, 5.0 * M), ap.TARGETS["sin"](GRID))
        for M in (4, 8, 16, 32)
    ]
    ratios = np.array(errors[1:]) / np.array(errors[:-1])
    assert np.all((ratios > 0.4) & (ratios < 0.6)), ratios
    assert errors[-1] < 0.05


def test_construction_of_the_step_keeps_sup_error_half_while_rms_falls():
    target = ap.TARGETS["step"](GRID)
    outputs = [construction_output("step", M, 5.0 * M) for M in (4, 16, 64)]
    sups = [ap.sup_error(y, target) for y in outputs]
    rmss = [ap.rms_error(y, target) for y in outputs]
    assert all(0.49 < s <= 0.5 + 1e-12 for s in sups), sups
    assert rmss[0] > rmss[1] > rmss[2]


def test_step_target_takes_the_midpoint_value_at_the_jump():
    np.testing.assert_array_equal(ap.TARGETS["step"](np.array([-0.1, 0.0, 0.1])), [0, 0.5, 1])


def test_bump_terms_keep_float32():
    assert ap.bump_terms(GRID.astype(np.float32), "abs", 3, 10.0).dtype == np.float32


# ---------------------------------------------------------------- "trained" networks


def test_random_hidden_layer_positions_and_slopes_lie_in_their_ranges():
    W1 = ap.random_hidden_layer(50, np.random.default_rng(3), (2.0, 5.0), interval=(0.0, 4.0))
    assert W1.shape == (2, 50)
    positions, slopes = -W1[0] / W1[1], W1[1]
    assert np.all((positions >= 0) & (positions <= 4))
    assert np.all((np.abs(slopes) >= 2) & (np.abs(slopes) <= 5))
    assert np.any(slopes > 0) and np.any(slopes < 0)
    again = ap.random_hidden_layer(50, np.random.default_rng(3), (2.0, 5.0), interval=(0.0, 4.0))
    np.testing.assert_array_equal(W1, again)


def test_fit_output_layer_recovers_the_weights_that_generated_the_targets():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(40, 2))
    W1 = rng.standard_normal((3, 5))
    W2 = rng.standard_normal((6, 2))
    t = forward(X, W1, W2, hidden="tanh").y
    np.testing.assert_allclose(ap.fit_output_layer(X, t, W1, hidden="tanh"), W2, atol=1e-9)


def test_fit_output_layer_zeroes_the_output_gradient_of_backprop():
    rng = np.random.default_rng(1)
    x = np.linspace(-1, 1, 50)[:, None]
    t = np.abs(x)
    W1 = ap.random_hidden_layer(6, rng, (1.0, 8.0))
    W2 = ap.fit_output_layer(x, t, W1)
    grads = backward(x, t, W1, W2, hidden="sigmoid")
    assert np.abs(grads.dW2).max() < 1e-9
    assert np.abs(grads.dW1).max() > 1e-6
    # any other output layer has a larger error
    worse = backward(x, t, W1, W2 + 1e-3 * rng.standard_normal(W2.shape), hidden="sigmoid")
    assert worse.E > grads.E


def test_fit_output_layer_keeps_float32():
    x = np.linspace(-1, 1, 20, dtype=np.float32)[:, None]
    W1 = np.ones((2, 3), dtype=np.float32)
    assert ap.fit_output_layer(x, x, W1).dtype == np.float32


def test_train_hidden_layer_lowers_the_error_monotonically():
    x = np.linspace(-1, 1, 41)[:, None]
    t = np.sin(np.pi * x)
    W1_start = ap.random_hidden_layer(4, np.random.default_rng(7), (2.0, 20.0))
    kept = W1_start.copy()
    W1, W2, errors = ap.train_hidden_layer(x, t, W1_start, 30)
    np.testing.assert_array_equal(W1_start, kept)
    assert errors.shape == (31,)
    assert np.all(np.diff(errors) <= 0)
    assert errors[-1] < 0.5 * errors[0]
    # the output layer is always the least-squares one, and E is reported for the final weights
    np.testing.assert_allclose(W2, ap.fit_output_layer(x, t, W1), atol=1e-8)
    assert pytest.approx(errors[-1], rel=1e-9) == backward(x, t, W1, W2, hidden="sigmoid").E


def test_train_hidden_layer_with_zero_steps_only_fits_the_output_layer():
    x = np.linspace(-1, 1, 21)[:, None]
    W1_start = ap.random_hidden_layer(3, np.random.default_rng(8), (1.0, 5.0))
    W1, W2, errors = ap.train_hidden_layer(x, np.abs(x), W1_start, 0)
    np.testing.assert_array_equal(W1, W1_start)
    np.testing.assert_allclose(W2, ap.fit_output_layer(x, np.abs(x), W1_start))
    assert errors.shape == (1,)


def test_sup_and_rms_error_values():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    t = np.array([0.0, 1.0, 2.0, 5.0])
    assert ap.sup_error(y, t) == 2.0
    assert ap.rms_error(y, t) == 1.0


# ---------------------------------------------------------------- depth: tents and pieces


def test_shallow_relu_fit_is_exact_when_the_kinks_match_and_poor_when_too_few():
    x = np.linspace(0.0, 1.0, 257)
    sawtooth = ap.relu_network_forward(x, ap.sawtooth_network(3))
    exact = ap.shallow_relu_fit(x, sawtooth, 8, (0.0, 1.0))
    assert [W.shape for W in exact] == [(2, 8), (9, 1)]
    np.testing.assert_allclose(ap.relu_network_forward(x, exact), sawtooth, atol=1e-9)
    coarse = ap.shallow_relu_fit(x, sawtooth, 3, (0.0, 1.0))
    assert ap.rms_error(ap.relu_network_forward(x, coarse), sawtooth) > 0.2


def test_tent_map_values():
    x = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(
        ap.relu_network_forward(x, ap.tent_map_network()), [0, 0.5, 1, 0.5, 0]
    )


def test_piecewise_linear_network_interpolates_and_is_constant_on_the_left():
    knots = np.array([0.0, 0.2, 0.7, 1.0])
    values = np.array([1.0, -1.0, 2.0, 0.0])
    net = ap.piecewise_linear_network(knots, values)
    assert [W.shape for W in net] == [(2, 3), (4, 1)]
    np.testing.assert_allclose(ap.relu_network_forward(knots, net), values, atol=1e-12)
    np.testing.assert_allclose(ap.relu_network_forward(np.array([-3.0]), net), [1.0])
    np.testing.assert_allclose(ap.relu_network_forward(np.array([0.45]), net), [0.5])


def test_compose_networks_equals_applying_the_networks_in_turn():
    rng = np.random.default_rng(2)
    first, second, third = random_shallow(rng, 3), random_shallow(rng, 4), random_shallow(rng, 2)
    deep = ap.compose_networks([first, second, third])
    assert [W.shape for W in deep] == [(2, 3), (4, 4), (5, 2), (3, 1)]
    x = np.linspace(-2, 2, 41)
    in_turn = ap.relu_network_forward(
        ap.relu_network_forward(ap.relu_network_forward(x, first), second), third
    )
    np.testing.assert_allclose(ap.relu_network_forward(x, deep), in_turn, atol=1e-12)


def test_sawtooth_values_shapes_and_parameters():
    net = ap.sawtooth_network(3)
    assert [W.shape for W in net] == [(2, 2), (3, 2), (3, 2), (3, 1)]
    assert ap.parameter_count(net) == 6 * 3 + 1
    x = np.arange(9) / 8
    np.testing.assert_allclose(ap.relu_network_forward(x, net), [0, 1, 0, 1, 0, 1, 0, 1, 0])


@pytest.mark.parametrize("L", [1, 2, 5, 10])
def test_sawtooth_has_two_to_the_L_pieces(L):
    assert ap.count_linear_pieces(ap.sawtooth_network(L), (0.0, 1.0)) == 2**L


def test_sawtooth_kinks_are_at_the_dyadic_points():
    np.testing.assert_allclose(ap.kinks(ap.sawtooth_network(3), (0.0, 1.0)), np.arange(1, 8) / 8)


def test_shallow_network_has_M_plus_one_pieces_when_all_kinks_are_inside():
    rng = np.random.default_rng(5)
    for M in (1, 3, 10, 30):
        net = random_shallow(rng, M)
        positions = -net[0][0] / net[0][1]
        interval = (float(positions.min()) - 1, float(positions.max()) + 1)
        assert ap.count_linear_pieces(net, interval) == M + 1
        assert ap.count_linear_pieces(net, (float(np.median(positions)), interval[1])) <= M + 1


def test_count_ignores_dead_output_weights_and_merges_coincident_kinks():
    W1 = np.array([[0.0, 0.0, -0.5], [1.0, 2.0, 1.0]])  # units 1 and 2 both kink at x = 0
    W2 = np.array([[0.0], [1.0], [1.0], [0.0]])  # unit 3 is ignored by the output
    assert ap.count_linear_pieces([W1, W2], (-1.0, 1.0)) == 2
    np.testing.assert_allclose(ap.kinks([W1, W2], (-1.0, 1.0)), [0.0], atol=1e-12)


def test_composition_multiplies_pieces_of_maps_onto_the_unit_interval():
    zigzag = ap.piecewise_linear_network(np.linspace(0, 1, 4), np.array([0.0, 1.0, 0.0, 1.0]))
    net = ap.compose_networks([zigzag, ap.tent_map_network(), zigzag])
    assert ap.count_linear_pieces(net, (0.0, 1.0)) == 3 * 2 * 3


def test_relu_network_forward_keeps_float32():
    net = [W.astype(np.float32) for W in ap.sawtooth_network(2)]
    assert ap.relu_network_forward(np.zeros(3, dtype=np.float32), net).dtype == np.float32


# ---------------------------------------------------------------- argument errors


def test_logistic_step_rejects_non_positive_steepness():
    with pytest.raises(ValueError, match=r"steepness must be a finite number > 0, got -1"):
        ap.logistic_step(GRID, 0.0, -1.0)


def test_bump_rejects_zero_width_and_non_number_center():
    with pytest.raises(ValueError, match=r"width must be a finite number > 0, got 0"):
        ap.bump(GRID, 0.0, 0.0, 5.0)
    with pytest.raises(TypeError, match=r"center must be a finite real number, got str 'a'"):
        ap.bump(GRID, "a", 1.0, 5.0)


def test_construction_knots_rejects_bad_M_and_interval():
    with pytest.raises(ValueError, match=r"M must be an integer >= 1, got 0"):
        ap.construction_knots(0)
    with pytest.raises(ValueError, match=r"interval must be .*a < b, got \(1.0, -1.0\)"):
        ap.construction_knots(3, interval=(1.0, -1.0))


def test_bump_construction_rejects_unknown_target_and_wrong_shaped_target():
    with pytest.raises(ValueError, match=r"target must be one of \['abs', 'sin', 'step'\].*'cos'"):
        ap.bump_construction("cos", 4, 10.0)
    with pytest.raises(ValueError, match=r"shape \(5,\) to an array of the same shape, got float"):
        ap.bump_construction(lambda x: 1.0, 4, 10.0)


def test_bump_terms_rejects_two_dimensional_x():
    with pytest.raises(ValueError, match=r"x must have 1 dimensions \(N,\), got 2 dimensions"):
        ap.bump_terms(GRID[:, None], "sin", 4, 10.0)


def test_random_hidden_layer_rejects_bad_range_and_global_rng():
    with pytest.raises(
        ValueError, match=r"steepness_range must be .*0 < low <= high, got \(5, 2\)"
    ):
        ap.random_hidden_layer(3, np.random.default_rng(0), (5, 2))
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*got module"):
        ap.random_hidden_layer(3, np.random, (1, 2))


def test_fit_output_layer_rejects_mismatched_shapes_and_hidden_name():
    x = GRID[:, None]
    with pytest.raises(
        ValueError, match=r"W1 must have shape \(D\+1, M\) = \(2, M\).*got \(3, 4\)"
    ):
        ap.fit_output_layer(x, x, np.ones((3, 4)))
    with pytest.raises(
        ValueError, match=r"t must have one row per example.*\(2001, K\), got \(5, 1\)"
    ):
        ap.fit_output_layer(x, np.ones((5, 1)), np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"hidden must be one of \[.*'relu'.*\], got str 'soft'"):
        ap.fit_output_layer(x, x, np.ones((2, 4)), hidden="soft")


def test_fitters_reject_empty_data():
    W1 = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"X must hold at least one example.*got shape \(0, 1\)"):
        ap.fit_output_layer(np.zeros((0, 1)), np.zeros((0, 1)), W1)
    with pytest.raises(ValueError, match=r"X must hold at least one example.*got shape \(4, 0\)"):
        ap.fit_output_layer(np.zeros((4, 0)), np.zeros((4, 1)), np.ones((1, 3)))
    with pytest.raises(
        ValueError, match=r"t must have at least one output column.*K >= 1, got shape \(4, 0\)"
    ):
        ap.fit_output_layer(np.zeros((4, 1)), np.zeros((4, 0)), W1)
    with pytest.raises(
        ValueError, match=r"t must have at least one output column.*K >= 1, got shape \(3, 0\)"
    ):
        ap.train_hidden_layer(np.zeros((3, 1)), np.zeros((3, 0)), W1, 2)
    with pytest.raises(ValueError, match=r"x must hold at least one input .*got shape \(0,\)"):
        ap.shallow_relu_fit(np.zeros(0), np.zeros(0), 2, (0.0, 1.0))


def test_shallow_relu_fit_names_x_and_t_for_non_finite_values():
    with pytest.raises(ValueError, match=r"^x must be finite, got nan at index \(0,\)$"):
        ap.shallow_relu_fit(np.array([np.nan, 0.5]), np.zeros(2), 2, (0.0, 1.0))
    with pytest.raises(ValueError, match=r"^t must be finite, got inf at index \(1,\)$"):
        ap.shallow_relu_fit(np.array([0.0, 0.5]), np.array([0.0, np.inf]), 2, (0.0, 1.0))


def test_train_hidden_layer_rejects_negative_steps_and_learning_rate():
    x = GRID[:, None]
    with pytest.raises(ValueError, match=r"steps must be an integer >= 0, got -1"):
        ap.train_hidden_layer(x, x, np.ones((2, 3)), -1)
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number > 0, got 0"):
        ap.train_hidden_layer(x, x, np.ones((2, 3)), 5, learning_rate=0)


def test_errors_reject_mismatched_shapes():
    with pytest.raises(ValueError, match=r"t must have the shape of y \(3,\), got shape \(4,\)"):
        ap.sup_error(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match=r"t must have the shape of y \(3,\), got shape \(3, 1\)"):
        ap.rms_error(np.zeros(3), np.zeros((3, 1)))


def test_piecewise_linear_network_rejects_unsorted_knots_and_mismatched_values():
    with pytest.raises(
        ValueError, match=r"knots must be strictly increasing, got \[0.0, 0.5, 0.5\]"
    ):
        ap.piecewise_linear_network(np.array([0.0, 0.5, 0.5]), np.zeros(3))
    with pytest.raises(ValueError, match=r"values must have the shape of knots \(3,\), got \(2,\)"):
        ap.piecewise_linear_network(np.array([0.0, 0.5, 1.0]), np.zeros(2))


def test_compose_networks_rejects_empty_list_and_broken_chain():
    with pytest.raises(TypeError, match=r"networks must be a non-empty list.*got list of length 0"):
        ap.compose_networks([])
    broken = [np.ones((2, 3)), np.ones((3, 1))]
    with pytest.raises(
        ValueError, match=r"networks\[0\]\[1\] must have shape \(4, any >= 1\).*got \(3, 1\)"
    ):
        ap.compose_networks([broken])


def test_shallow_relu_fit_rejects_mismatched_targets():
    with pytest.raises(ValueError, match=r"t must have the shape of x \(5,\), got shape \(4,\)"):
        ap.shallow_relu_fit(np.zeros(5), np.zeros(4), 2, (0.0, 1.0))


def test_sawtooth_network_rejects_zero_layers():
    with pytest.raises(ValueError, match=r"L must be an integer >= 1, got 0"):
        ap.sawtooth_network(0)


def test_relu_network_forward_rejects_two_outputs():
    net = [np.ones((2, 2)), np.ones((3, 2))]
    with pytest.raises(
        ValueError, match=r"weights\[1\] \(the output layer\) must have 1 column.*\(3, 2\)"
    ):
        ap.relu_network_forward(GRID, net)


def test_kinks_and_count_reject_bad_interval_and_resolution():
    net = ap.tent_map_network()
    with pytest.raises(TypeError, match=r"interval must be a pair \(a, b\).*got float 1.0"):
        ap.kinks(net, 1.0)
    with pytest.raises(ValueError, match=r"resolution must be a finite number > 0, got 0"):
        ap.count_linear_pieces(net, (0.0, 1.0), resolution=0)


@pytest.mark.parametrize("resolution", [0.5, 1.0])
def test_kinks_reject_a_resolution_that_merges_every_kink_into_an_end(resolution):
    with pytest.raises(
        ValueError, match=rf"resolution must be a finite number in \(0, 0\.5\).*got {resolution}"
    ):
        ap.count_linear_pieces(ap.sawtooth_network(3), (0.0, 1.0), resolution=resolution)


@pytest.mark.parametrize("resolution", [0.2, 0.3, 0.49])
def test_kinks_reject_a_resolution_wider_than_every_gap_between_kinks(resolution):
    # The sawtooth's kinks are 1/8 apart: below that the kinks are exact, from 1/8 on every
    # kink and both ends merge into one point.
    np.testing.assert_allclose(
        ap.kinks(ap.sawtooth_network(3), (0.0, 1.0), resolution=0.1), np.arange(1, 8) / 8
    )
    assert ap.kinks(ap.tent_map_network(), (0.0, 1.0), resolution=resolution).tolist() == [0.5]
    with pytest.raises(
        ValueError,
        match=rf"resolution must be smaller than the gaps between the kinks.*got {resolution}:",
    ):
        ap.kinks(ap.sawtooth_network(3), (0.0, 1.0), resolution=resolution)


def test_parameter_count_rejects_a_single_matrix():
    with pytest.raises(
        TypeError, match=r"weights must be a list of at least 2 .*got list of length 1"
    ):
        ap.parameter_count([np.ones((2, 2))])


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (
            lambda: bump_explorer(target="cos"),
            r"target must be one of \['abs', 'sin', 'step'\], got str 'cos'",
        ),
        (lambda: bump_explorer(M=41), r"M must be an integer in 1\.\.40, got 41"),
        (lambda: bump_explorer(M=0), r"M must be an integer in 1\.\.40, got 0"),
        (lambda: sawtooth_explorer(L=8), r"L must be an integer in 1\.\.7, got 8"),
        (lambda: sawtooth_explorer(M=129), r"M must be an integer in 1\.\.128, got 129"),
    ],
)
def test_explorers_reject_values_their_sliders_cannot_show(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()
