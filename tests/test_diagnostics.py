"""Gradient norms, sparsity, dead units and the training race of lectureml.diagnostics."""

import numpy as np
import pytest

from lectureml import diagnostics, losses, optim
from lectureml.gradcheck import numerical_gradient, relative_error
from lectureml.layers import Conv2D, Dense, Flatten, ReLU, Sequential, Sigmoid, Tanh


def _dense(weights, bias):
    """A float64 Dense layer holding the given weights (D, M) and bias (M,)."""
    weights = np.asarray(weights, dtype=np.float64)
    layer = Dense(*weights.shape, np.random.default_rng(0), dtype=np.float64)
    layer.params["W"][...] = weights
    layer.params["b"][...] = bias
    return layer


# Three examples, two inputs; the ReLU layer's units: 0 always negative, 1 exactly zero on
# every example, 2 positive on one example only, 3 positive on all of them.
X_SMALL = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
W_SMALL = [[-1.0, 0.0, 1.0, 1.0], [-1.0, 0.0, 1.0, 1.0]]
B_SMALL = [-0.5, 0.0, -3.0, 0.5]


def _small_relu_model():
    return Sequential(_dense(W_SMALL, B_SMALL), ReLU(), _dense(np.ones((4, 2)), [0.0, 0.0]))


# --- deep_mlp ------------------------------------------------------------------------------


def test_deep_mlp_stacks_dense_and_activation_layers_with_the_recommended_init():
    model = diagnostics.deep_mlp("tanh", depth=3, width=50, rng=np.random.default_rng(0))
    assert [type(layer).__name__ for layer in model] == ["Dense", "Tanh"] * 3 + ["Dense"]
    assert model.output_shape((784,)) == (10,)
    # Glorot: std sqrt(2 / (784 + 50)) = 0.0490 for the first layer, He would be 0.0505.
    assert model[0].params["W"].std() == pytest.approx(np.sqrt(2 / 834), rel=0.02)
    relu_model = diagnostics.deep_mlp("relu", 3, 50, np.random.default_rng(0))
    assert relu_model[2].params["W"].std() == pytest.approx(np.sqrt(2 / 50), rel=0.05)


def test_deep_mlp_draws_the_same_numbers_for_every_activation_and_scales_them():
    relu = diagnostics.deep_mlp("relu", 2, 8, np.random.default_rng(1), in_features=5)
    scaled = diagnostics.deep_mlp(
        "logistic", 2, 8, np.random.default_rng(1), in_features=5, init="he", weight_scale=3.0
    )
    assert isinstance(scaled[1], Sigmoid)
    np.testing.assert_allclose(scaled[2].params["W"], 3.0 * relu[2].params["W"], rtol=1e-6)


def test_deep_mlp_rejects_an_unknown_activation_and_a_bad_depth():
    with pytest.raises(
        ValueError,
        match=r"activation must be one of \['relu', 'tanh', "
        r"'logistic'\], got str 'sigmoid'",
    ):
        diagnostics.deep_mlp("sigmoid", 2, 4, np.random.default_rng(0))
    with pytest.raises(ValueError, match="depth must be an integer >= 1, got 0"):
        diagnostics.deep_mlp("relu", 0, 4, np.random.default_rng(0))
    with pytest.raises(ValueError, match="weight_scale must be a finite number > 0, got -1"):
        diagnostics.deep_mlp("relu", 1, 4, np.random.default_rng(0), weight_scale=-1)


# --- layer_gradient_norms -------------------------------------------------------------------


def test_layer_gradient_norms_match_numerical_gradients():
    rng = np.random.default_rng(2)
    model = diagnostics.deep_mlp("tanh", 2, 4, rng, in_features=3, num_classes=3, dtype=np.float64)
    x = rng.standard_normal((5, 3))
    labels = np.array([0, 2, 1, 1, 0])

    def loss():
        return losses.softmax_cross_entropy(model.forward(x), labels)[0]

    expected = [
        np.linalg.norm(numerical_gradient(loss, layer.params["W"]))
        for layer in model
        if "W" in layer.params
    ]
    norms = diagnostics.layer_gradient_norms(model, x, labels)
    assert norms.shape == (3,) and norms.dtype == np.float64
    assert relative_error(norms, np.array(expected)) < 1e-7


def test_logistic_gradients_vanish_towards_the_input_and_relu_gradients_do_not():
    rng = np.random.default_rng(3)
    x = rng.random((64, 20))
    labels = rng.integers(0, 10, 64)
    ratios = {}
    for kind in ("relu", "logistic"):
        model = diagnostics.deep_mlp(kind, 8, 32, np.random.default_rng(4), in_features=20)
        norms = diagnostics.layer_gradient_norms(model, x, labels)
        ratios[kind] = norms[0] / norms[-1]
    assert ratios["logistic"] < 1e-3 < 0.1 < ratios["relu"]


def test_layer_gradient_norms_validate_the_labels():
    model = diagnostics.deep_mlp("relu", 1, 4, np.random.default_rng(0), in_features=3)
    x = np.zeros((2, 3))
    with pytest.raises(
        ValueError,
        match=r"labels must have shape \(2,\), one label per example of x, "
        r"got shape \(3,\)",
    ):
        diagnostics.layer_gradient_norms(model, x, np.array([0, 1, 2]))
    with pytest.raises(
        ValueError,
        match=r"labels must hold class indices in 0\.\.9 \(10 classes\), got 10 at index 1",
    ):
        diagnostics.layer_gradient_norms(model, x, np.array([0, 10]))
    with pytest.raises(
        TypeError,
        match=r"labels must be an integer numpy array of class indices, shape \(2,\), "
        r"got array of shape \(2,\) and dtype float64",
    ):
        diagnostics.layer_gradient_norms(model, x, np.array([0.0, 1.0]))
    with pytest.raises(
        TypeError, match=r"model must be a Layer such as Sequential\(\.\.\.\), got str 'model'"
    ):
        diagnostics.layer_gradient_norms("model", x, np.array([0, 1]))
    with pytest.raises(
        ValueError,
        match=r"model must output logits of shape \(N, K\) for x of shape \(N, 1, 3\), got "
        r"outputs of shape \(N, 1, 3\); end it with Flatten\(\) and Dense",
    ):
        diagnostics.layer_gradient_norms(Sequential(ReLU()), np.zeros((2, 1, 3)), np.array([0, 1]))
    # Bad data, not a diverging learning rate: the message names x and no cause.
    with pytest.raises(ValueError, match=r"x must be finite, got inf at index \(1, 2\)$"):
        diagnostics.layer_gradient_norms(model, np.array([[0, 0, 0], [0, 0, np.inf]]), [0, 1])


# --- hidden_layers, activation_sparsity, dead_unit_fraction --------------------------------


def test_hidden_layers_return_each_activation_layers_input_and_output():
    rng = np.random.default_rng(5)
    model = diagnostics.deep_mlp("logistic", 2, 6, rng, in_features=4, dtype=np.float64)
    x = rng.standard_normal((7, 4))
    first, second = diagnostics.hidden_layers(model, x)
    assert (first.index, first.kind, second.index) == (1, "logistic", 3)
    np.testing.assert_allclose(first.pre, x @ model[0].params["W"])
    np.testing.assert_allclose(first.out, 1 / (1 + np.exp(-first.pre)))
    np.testing.assert_allclose(second.pre, first.out @ model[2].params["W"])


def test_hidden_layers_need_an_activation_layer():
    model = Sequential(Dense(3, 2, np.random.default_rng(0)))
    with pytest.raises(
        ValueError,
        match=r"model must contain at least one activation layer "
        r"\(ReLU\(\), Tanh\(\) or Sigmoid\(\)\), got layers \['Dense\(3, 2\)'\]",
    ):
        diagnostics.hidden_layers(model, np.zeros((1, 3)))
    with pytest.raises(
        ValueError,
        match=r"x must have shape \(N, in_features\) = \(N, 3\), "
        r"got shape \(N, 4\)",
    ):
        diagnostics.hidden_layers(
            Sequential(Dense(3, 2, np.random.default_rng(0)), ReLU()), np.zeros((1, 4))
        )


def test_activation_sparsity_counts_exact_zeros_per_layer():
    # Units 0 and 1 are 0 on all three examples, unit 2 on two of them, unit 3 on none:
    # 8 zeros out of 12 activations. The output layer is not an activation layer.
    sparsity = diagnostics.activation_sparsity(_small_relu_model(), X_SMALL)
    np.testing.assert_allclose(sparsity, [8 / 12])
    tanh_model = Sequential(_dense(W_SMALL, B_SMALL), Tanh())
    np.testing.assert_allclose(diagnostics.activation_sparsity(tanh_model, X_SMALL), [3 / 12])


def test_activation_sparsity_rejects_a_model_that_is_not_sequential():
    with pytest.raises(TypeError, match=r"model must be a Sequential .*got ReLU ReLU\(\)"):
        diagnostics.activation_sparsity(ReLU(), X_SMALL)


def test_dead_units_are_those_never_positive_zero_counting_as_inactive():
    # Unit 0 (always negative) and unit 1 (exactly 0 everywhere) are dead; unit 2 is alive
    # although it is active on one example only.
    np.testing.assert_allclose(diagnostics.dead_unit_fraction(_small_relu_model(), X_SMALL), [0.5])
    np.testing.assert_allclose(
        diagnostics.dead_unit_fraction(_small_relu_model(), X_SMALL[:2]), [0.75]
    )


def test_a_dead_filter_is_a_channel_never_positive_anywhere():
    conv = Conv2D(1, 3, kernel_size=1, rng=np.random.default_rng(0), dtype=np.float64)
    conv.params["W"][...] = np.array([1.0, -1.0, 1.0]).reshape(3, 1, 1, 1)
    conv.params["b"][...] = [0.0, 0.0, -5.0]
    model = Sequential(conv, ReLU(), Flatten())
    x = np.zeros((2, 1, 3, 3))
    x[1, 0, 2, 2] = 1.0  # one positive pixel in one image keeps channel 0 alive
    np.testing.assert_allclose(diagnostics.dead_unit_fraction(model, x), [2 / 3])


def test_dead_unit_fraction_needs_a_relu_layer():
    model = Sequential(_dense(W_SMALL, B_SMALL), Tanh())
    with pytest.raises(
        ValueError,
        match=r"model must contain at least one ReLU\(\) layer .*"
        r"got layers \['Dense\(2, 4, dtype=float64\)', 'Tanh\(\)'\]",
    ):
        diagnostics.dead_unit_fraction(model, X_SMALL)


# --- epochs_to_error -----------------------------------------------------------------------


def _separable(rng, n=60):
    x = rng.standard_normal((n, 2))
    return x, (x[:, 0] > 0).astype(np.int64)


def test_epochs_to_error_stops_at_the_first_epoch_below_the_target():
    rng = np.random.default_rng(6)
    x, labels = _separable(rng)
    model = diagnostics.deep_mlp("relu", 1, 8, rng, in_features=2, num_classes=2)
    run = diagnostics.epochs_to_error(
        model, x, labels, 0.05, 50, 10, optim.SGD(model, lr=0.1, momentum=0.9), rng
    )
    assert run.epochs_needed == len(run.train_errors) < 50
    assert run.train_errors[-1] <= 0.05 < min(run.train_errors[:-1], default=1.0)
    assert run.seconds > 0


def test_epochs_to_error_reports_none_when_the_target_is_not_reached():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((40, 2))
    labels = rng.integers(0, 2, 40)  # random labels: a tiny network cannot fit them all
    model = diagnostics.deep_mlp("tanh", 1, 2, rng, in_features=2, num_classes=2)
    run = diagnostics.epochs_to_error(
        model, x, labels, 0.01, 4, 8, optim.SGD(model, lr=0.01), rng, epochs_per_check=3
    )
    assert run.epochs_needed is None and len(run.train_errors) == 2  # after epochs 3 and 4


def test_epochs_to_error_validates_the_target_and_the_epochs():
    rng = np.random.default_rng(8)
    x, labels = _separable(rng, 10)
    model = diagnostics.deep_mlp("relu", 1, 2, rng, in_features=2, num_classes=2)
    sgd = optim.SGD(model, lr=0.1)
    with pytest.raises(ValueError, match=r"target_error must be in \(0, 1\), got 5"):
        diagnostics.epochs_to_error(model, x, labels, 5, 3, 4, sgd, rng)
    with pytest.raises(TypeError, match=r"target_error must be a number in \(0, 1\), got str"):
        diagnostics.epochs_to_error(model, x, labels, "5%", 3, 4, sgd, rng)
    with pytest.raises(ValueError, match="max_epochs must be an integer >= 1, got 0"):
        diagnostics.epochs_to_error(model, x, labels, 0.1, 0, 4, sgd, rng)
