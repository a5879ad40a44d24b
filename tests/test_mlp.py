"""Tests for lectureml.mlp: the lecture's 2-layer network, its bias trick and its backprop."""

import numpy as np
import pytest

from lectureml import activations as act
from lectureml import mlp
from lectureml.gradcheck import numerical_gradient, relative_error
from lectureml.losses import squared_error

HIDDEN = ["tanh", "sigmoid", "relu"]
OUTPUT = ["identity", "sigmoid", "softmax"]
# (N, D, M, K): one example, single units, and small general cases.
SHAPES = [(1, 1, 1, 1), (1, 3, 4, 2), (5, 2, 3, 1), (4, 3, 5, 3)]


def output_function(name):
    return act.softmax if name == "softmax" else act.get_activation(name)[0]


def make_problem(N, D, M, K, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D))
    t = rng.uniform(0, 1, size=(N, K))
    W1, W2 = mlp.init_weights(D, M, K, rng, scale=0.8)
    return X, t, W1, W2


def explicit_bias_forward(X, W1, W2, hidden, output):
    """The same network with separate bias vectors: a = X V1 + c1, b = h(a) V2 + c2."""
    V1, c1 = W1[1:], W1[0]
    V2, c2 = W2[1:], W2[0]
    h = act.get_activation(hidden)[0]
    return output_function(output)(h(X @ V1 + c1) @ V2 + c2)


def test_add_bias_column_puts_ones_first():
    X = np.array([[2.0, 3.0], [4.0, 5.0], [6.0, 7.0]], dtype=np.float32)
    Xb = mlp.add_bias_column(X)
    assert Xb.dtype == np.float32
    assert np.array_equal(Xb, [[1.0, 2.0, 3.0], [1.0, 4.0, 5.0], [1.0, 6.0, 7.0]])


def test_forward_matches_the_lectures_sums_written_as_loops():
    X, _, W1, W2 = make_problem(N=2, D=3, M=4, K=2, seed=1)
    result = mlp.forward(X, W1, W2, hidden="tanh", output="sigmoid")
    for n in range(2):
        x = np.concatenate([[1.0], X[n]])  # x_0 = 1
        z = [1.0] + [np.tanh(sum(x[d] * W1[d, j] for d in range(4))) for j in range(4)]
        for k in range(2):
            b_k = sum(z[j] * W2[j, k] for j in range(5))
            assert result.b[n, k] == pytest.approx(b_k, rel=1e-13)
            assert result.y[n, k] == pytest.approx(1 / (1 + np.exp(-b_k)), rel=1e-13)
        assert np.allclose(result.z[n], z[1:], rtol=1e-13)


def test_forward_pass_fields_and_shapes():
    X, _, W1, W2 = make_problem(N=5, D=3, M=4, K=2)
    result = mlp.forward(X, W1, W2)
    assert result._fields == ("a", "z", "b", "y")
    assert result.a.shape == (5, 4) and result.z.shape == (5, 4)
    assert result.b.shape == (5, 2) and result.y.shape == (5, 2)
    assert np.array_equal(result.z, np.tanh(result.a))  # z excludes the bias unit
    assert np.array_equal(result.y, result.b)  # identity output by default


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output", OUTPUT)
def test_bias_trick_equals_explicit_bias_vectors(hidden, output):
    X, _, W1, W2 = make_problem(N=6, D=3, M=4, K=3, seed=2)
    expected = explicit_bias_forward(X, W1, W2, hidden, output)
    assert np.allclose(mlp.forward(X, W1, W2, hidden, output).y, expected, rtol=1e-13, atol=0)


def test_bias_gradients_equal_explicit_bias_vector_gradients():
    X, t, W1, W2 = make_problem(N=4, D=2, M=3, K=2, seed=3)
    c1, c2 = W1[0].copy(), W2[0].copy()

    def explicit_error():
        y = X @ W1[1:] + c1
        y = np.tanh(y) @ W2[1:] + c2
        return squared_error(y, t)[0]

    grads = mlp.backward(X, t, W1, W2, hidden="tanh", output="identity")
    assert relative_error(grads.dW1[0], numerical_gradient(explicit_error, c1)) < 1e-7
    assert relative_error(grads.dW2[0], numerical_gradient(explicit_error, c2)) < 1e-7


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output", OUTPUT)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "N{}-D{}-M{}-K{}".format(*s))
def test_backward_matches_numerical_gradient(hidden, output, shape):
    X, t, W1, W2 = make_problem(*shape, seed=sum(shape))
    a = mlp.forward(X, W1, W2, hidden, output).a
    assert np.min(np.abs(a)) >= 1e-3, "test data too close to the ReLU kink"

    def error():
        return mlp.backward(X, t, W1, W2, hidden, output).E

    grads = mlp.backward(X, t, W1, W2, hidden, output)
    assert relative_error(grads.dW1, numerical_gradient(error, W1)) < 1e-7
    assert relative_error(grads.dW2, numerical_gradient(error, W2)) < 1e-7


def test_gradients_fields_and_deltas():
    X, t, W1, W2 = make_problem(N=5, D=3, M=4, K=2, seed=4)
    grads = mlp.backward(X, t, W1, W2, hidden="sigmoid", output="sigmoid")
    assert grads._fields[:3] == ("E", "dW1", "dW2")
    total_error, dW1, dW2 = grads[:3]
    assert total_error is grads.E and dW1 is grads.dW1 and dW2 is grads.dW2
    assert grads.delta_output.shape == (5, 2) and grads.delta_hidden.shape == (5, 4)

    y = mlp.forward(X, W1, W2, "sigmoid", "sigmoid").y
    assert total_error == pytest.approx(0.5 * np.sum((t - y) ** 2), rel=1e-13)
    # delta_k = (y_k - t_k) sigma'(b_k) with sigma' = y (1 - y) for the logistic.
    assert np.allclose(grads.delta_output, (y - t) * y * (1 - y), rtol=1e-13)
    # The bias rows' gradients are the deltas summed over examples (their input is 1).
    assert np.allclose(grads.dW2[0], grads.delta_output.sum(axis=0), rtol=1e-13)
    assert np.allclose(grads.dW1[0], grads.delta_hidden.sum(axis=0), rtol=1e-13)


def test_hidden_deltas_ignore_the_output_bias_row():
    X, t, W1, W2 = make_problem(N=3, D=2, M=3, K=2, seed=5)
    grads = mlp.backward(X, t, W1, W2)
    a = mlp.forward(X, W1, W2).a
    expected = (1 - np.tanh(a) ** 2) * (grads.delta_output @ W2[1:].T)
    assert np.allclose(grads.delta_hidden, expected, rtol=1e-13)


def test_float32_is_kept():
    X, t, W1, W2 = make_problem(N=3, D=2, M=4, K=2, seed=6)
    X, t, W1, W2 = (v.astype(np.float32) for v in (X, t, W1, W2))
    result = mlp.forward(X, W1, W2, "relu", "softmax")
    assert all(v.dtype == np.float32 for v in result)
    grads = mlp.backward(X, t, W1, W2, "relu", "softmax")
    assert all(v.dtype == np.float32 for v in grads[1:])


def test_init_weights_shapes_scale_and_determinism():
    W1, W2 = mlp.init_weights(99, 400, 3, np.random.default_rng(0))
    assert W1.shape == (100, 400) and W2.shape == (401, 3)
    assert W1.dtype == np.float64
    # Default std 1 / sqrt(fan-in): 0.1 for W1 (40000 draws), 0.05 for W2 (1203 draws).
    assert W1.std() == pytest.approx(0.1, rel=0.02)
    assert W2.std() == pytest.approx(0.05, rel=0.1)

    V1, V2 = mlp.init_weights(2, 3, 1, np.random.default_rng(7), scale=0.5, dtype=np.float32)
    U1, U2 = mlp.init_weights(2, 3, 1, np.random.default_rng(7), scale=0.5, dtype=np.float32)
    assert V1.dtype == np.float32 and V2.shape == (4, 1)
    assert np.array_equal(V1, U1) and np.array_equal(V2, U2)
    assert not np.array_equal(V1, mlp.init_weights(2, 3, 1, np.random.default_rng(8))[0])


# ---------------------------------------------------------------- bad input


def test_forward_rejects_inconsistent_weight_shapes():
    X = np.zeros((5, 3))
    with pytest.raises(
        ValueError,
        match=r"W1 must have shape \(D\+1, M\) = \(4, any M >= 1\) for X "
        r"with D=3 inputs \(row 0 holds the biases\), got \(3, 5\)",
    ):
        mlp.forward(X, np.zeros((3, 5)), np.zeros((6, 2)))
    with pytest.raises(
        ValueError,
        match=r"W2 must have shape \(M\+1, K\) = \(6, any K >= 1\) for W1 "
        r"with M=5 hidden units \(row 0 holds the biases\), got \(5, 2\)",
    ):
        mlp.forward(X, np.zeros((4, 5)), np.zeros((5, 2)))
    with pytest.raises(
        ValueError,
        match=r"X must have 2 dimensions \(N, D\), got 1 dimensions with "
        r"shape \(3,\); for one example use X\[None, :\]",
    ):
        mlp.forward(np.zeros(3), np.zeros((4, 5)), np.zeros((6, 2)))
    with pytest.raises(TypeError, match=r"W2 must be a numpy array of shape \(M\+1, K\), got list"):
        mlp.forward(X, np.zeros((4, 5)), [[0.0]])


def test_forward_rejects_bad_activation_names_and_nan():
    X, W1, W2 = np.zeros((2, 3)), np.zeros((4, 5)), np.zeros((6, 2))
    with pytest.raises(
        ValueError, match=r"hidden must be one of \[.*'tanh'.*\], got str 'softmax'"
    ):
        mlp.forward(X, W1, W2, hidden="softmax")
    with pytest.raises(
        ValueError,
        match=r"output must be one of \['identity', 'sigmoid', 'logistic', "
        r"'softmax'\], got str 'tanh'",
    ):
        mlp.forward(X, W1, W2, output="tanh")
    with pytest.raises(ValueError, match=r"hidden must be one of .*, got NoneType None"):
        mlp.forward(X, W1, W2, hidden=None)
    W1[2, 1] = np.nan
    with pytest.raises(
        ValueError, match=r"W1 must be finite, got nan at index \(2, 1\) \(a diverging"
    ):
        mlp.forward(X, W1, W2)


def test_backward_rejects_bad_targets():
    X, W1, W2 = np.zeros((4, 3)), np.zeros((4, 5)), np.zeros((6, 2))
    with pytest.raises(
        ValueError,
        match=r"t must have shape \(N, K\) = \(4, 2\) for X with N=4 "
        r"examples and W2 with K=2 outputs, got \(4, 3\)",
    ):
        mlp.backward(X, np.zeros((4, 3)), W1, W2)
    with pytest.raises(
        ValueError,
        match=r"t must have 2 dimensions \(N, K\), got 1 dimensions "
        r"with shape \(4,\); for one output use t.reshape\(-1, 1\)",
    ):
        mlp.backward(X, np.zeros(4), W1, np.zeros((6, 1)))
    with pytest.raises(ValueError, match=r"t must be finite, got inf at index \(0, 1\)$"):
        mlp.backward(X, np.array([[0, np.inf]] * 4), W1, W2)
    with pytest.raises(
        ValueError,
        match=r"W1 must have shape \(D\+1, M\) = \(4, any M >= 1\).*"
        r"got \(4, 0\)",
    ):
        mlp.backward(X, np.zeros((4, 2)), np.zeros((4, 0)), np.zeros((1, 2)))


def test_add_bias_column_rejects_bad_input():
    with pytest.raises(ValueError, match=r"X must have 2 dimensions \(N, D\), got 3 dimensions"):
        mlp.add_bias_column(np.zeros((2, 3, 4)))
    with pytest.raises(TypeError, match=r"X must be a numpy array of shape \(N, D\), got tuple"):
        mlp.add_bias_column((1.0, 2.0))


def test_init_weights_rejects_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"M must be an integer >= 1, got 0"):
        mlp.init_weights(2, 0, 1, rng)
    with pytest.raises(TypeError, match=r"D must be an integer, got float 2.0"):
        mlp.init_weights(2.0, 3, 1, rng)
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*got int 0"):
        mlp.init_weights(2, 3, 1, 0)
    with pytest.raises(ValueError, match=r"scale must be a finite number > 0, got -1"):
        mlp.init_weights(2, 3, 1, rng, scale=-1)
    with pytest.raises(TypeError, match=r"dtype must be np.float32 or np.float64, got .*int32"):
        mlp.init_weights(2, 3, 1, rng, dtype=np.int32)
    with pytest.raises(TypeError, match=r"dtype must be np.float32 or np.float64, got NoneType"):
        mlp.init_weights(2, 3, 1, rng, dtype=None)


def test_init_weights_takes_the_dtype_by_name_as_the_layers_do():
    W1, W2 = mlp.init_weights(2, 3, 1, np.random.default_rng(0), dtype="float32")
    assert W1.dtype == W2.dtype == np.float32
