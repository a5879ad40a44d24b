"""SGD, learning-rate schedules, the training loop, prediction and augmentation."""

import functools
import math

import numpy as np
import pytest

from lectureml import optim, training
from lectureml.data import load_mnist_subset
from lectureml.gradcheck import numerical_gradient, relative_error
from lectureml.layers import Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU, Sequential
from lectureml.losses import softmax_cross_entropy
from lectureml.optim import SGD, cosine, step_decay
from lectureml.training import History, evaluate, fit, predict, predict_logits, random_shift


def rng(seed=0):
    return np.random.default_rng(seed)


def tiny_dense():
    """Dense(2, 1) in float64 with hand-set weights and gradients."""
    layer = Dense(2, 1, rng(), dtype=np.float64)
    layer.params["W"][:] = [[1.0], [-2.0]]
    layer.params["b"][:] = [0.5]
    layer.grads["W"][:] = [[0.1], [0.2]]
    layer.grads["b"][:] = [0.3]
    return layer


@functools.lru_cache(maxsize=1)
def shipped_digits():
    return load_mnist_subset()


def digits(count=256):
    x_train, y_train, x_test, y_test = shipped_digits()
    return x_train[:count], y_train[:count], x_test[:count], y_test[:count]


def small_model(seed=0):
    generator = rng(seed)
    return Sequential(
        Conv2D(1, 4, 3, generator, stride=2),
        ReLU(),
        Dropout(0.2, generator),
        Flatten(),
        Dense(4 * 13 * 13, 10, generator),
    )


# ---------------------------------------------------------------- SGD


def test_sgd_steps_with_momentum_and_weight_decay_match_the_hand_computation():
    layer = tiny_dense()
    optimizer = SGD(layer, lr=0.1, momentum=0.9, weight_decay=0.01)
    # Step 1: v = g + 0.01 w = [0.11, 0.18]; w -= 0.1 v. The bias is not decayed: v_b = 0.3.
    optimizer.step()
    np.testing.assert_allclose(layer.params["W"], [[0.989], [-2.018]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(layer.params["b"], [0.47], rtol=0, atol=1e-15)
    # Step 2, same gradients: v = 0.9 [0.11, 0.18] + [0.1 + 0.00989, 0.2 - 0.02018].
    optimizer.step()
    np.testing.assert_allclose(layer.params["W"], [[0.968111], [-2.052182]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(layer.params["b"], [0.413], rtol=0, atol=1e-15)


def test_plain_sgd_is_w_minus_lr_g_in_place():
    layer = tiny_dense()
    weights = layer.params["W"]
    SGD(layer, lr=0.5).step()
    assert layer.params["W"] is weights
    np.testing.assert_allclose(weights, [[0.95], [-2.1]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(layer.params["b"], [0.35], rtol=0, atol=1e-15)


def test_sgd_on_a_subset_of_parameters_and_a_changed_learning_rate():
    model = Sequential(tiny_dense(), ReLU(), tiny_dense())
    last_layer_only = [triple for triple in model.named_parameters() if triple[0].startswith("2.")]
    optimizer = SGD(last_layer_only, lr=0.5)
    optimizer.lr = 1.0
    optimizer.step()
    np.testing.assert_array_equal(model[0].params["W"], [[1.0], [-2.0]])
    np.testing.assert_allclose(model[2].params["W"], [[0.9], [-2.2]], rtol=0, atol=1e-15)
    assert repr(optimizer) == "SGD(lr=1, momentum=0, weight_decay=0)"


def test_sgd_zero_grad():
    layer = tiny_dense()
    SGD(layer, lr=0.1).zero_grad()
    assert np.all(layer.grads["W"] == 0) and np.all(layer.grads["b"] == 0)


@pytest.mark.parametrize(
    ("arguments", "error", "pattern"),
    [
        ({"lr": 0.0}, ValueError, r"lr must be a finite number > 0, got 0.0"),
        ({"lr": "0.1"}, TypeError, r"lr must be a number, got str '0.1'"),
        ({"lr": 0.1, "momentum": 1.0}, ValueError, r"momentum must be in \[0, 1\), got 1.0"),
        (
            {"lr": 0.1, "weight_decay": -1e-4},
            ValueError,
            r"weight_decay must be a finite number >= 0, got -0.0001",
        ),
    ],
)
def test_sgd_rejects_bad_hyperparameters(arguments, error, pattern):
    with pytest.raises(error, match=pattern):
        SGD(tiny_dense(), **arguments)


def test_sgd_rejects_a_bad_learning_rate_set_later():
    optimizer = SGD(tiny_dense(), lr=0.1)
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0, got nan"):
        optimizer.lr = float("nan")


@pytest.mark.parametrize(
    ("model_or_params", "error", "pattern"),
    [
        (np.zeros(3), TypeError, r"model_or_params must be a Layer .*got array of shape \(3,\)"),
        (3, TypeError, r"model_or_params must be a Layer .*got int 3"),
        (Sequential(ReLU()), ValueError, r"model_or_params must hold at least one parameter"),
        (
            [(np.zeros(2), np.zeros(2))],
            TypeError,
            r"model_or_params\[0\] must be a \(name, param, grad\) tuple .*got tuple of length 2",
        ),
        (
            [("W", np.zeros(2), np.zeros(3))],
            ValueError,
            r"model_or_params\[0\] must have a grad of the shape and dtype of its param "
            r"\(2,\) float64, got \(3,\) float64",
        ),
        (
            [("W", [0.0], np.zeros(1))],
            TypeError,
            r"model_or_params\[0\] must hold a float32/float64 array as its param, got list",
        ),
    ],
)
def test_sgd_rejects_bad_parameter_sources(model_or_params, error, pattern):
    with pytest.raises(error, match=pattern):
        SGD(model_or_params, lr=0.1)


def test_sgd_rejects_a_read_only_parameter_before_the_first_step():
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(
        ValueError,
        match=r"parameter 'W' must be a writeable array, since SGD updates it in place, "
        r"got a read-only array of shape \(2,\)",
    ):
        SGD([("W", frozen, np.zeros(2))], lr=0.1)


# ---------------------------------------------------------------- schedules


def test_step_decay_values():
    schedule = step_decay(0.1, factor=0.5, every=2)
    assert [schedule(epoch) for epoch in range(5)] == [0.1, 0.1, 0.05, 0.05, 0.025]


def test_cosine_values():
    schedule = cosine(0.1, epochs=4, lr_min=0.0)
    values = [schedule(epoch) for epoch in range(4)]
    expected = [0.1, 0.05 * (1 + math.sqrt(0.5)), 0.05, 0.05 * (1 - math.sqrt(0.5))]
    np.testing.assert_allclose(values, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (lambda: step_decay(0.1, factor=2), ValueError, r"factor must be in \(0, 1\] .*got 2.0"),
        (lambda: step_decay(0.1, every=0), ValueError, r"every must be an integer >= 1, got 0"),
        (lambda: step_decay(-0.1), ValueError, r"lr must be a finite number > 0, got -0.1"),
        (lambda: step_decay(0.1)(-1), ValueError, r"epoch must be an integer >= 0, got -1"),
        (lambda: cosine(0.1, 0), ValueError, r"epochs must be an integer >= 1, got 0"),
        (
            lambda: cosine(0.1, 5, lr_min=0.2),
            ValueError,
            r"lr_min must be smaller than lr = 0.1, got 0.2",
        ),
        (lambda: cosine(0.1, 5)(5), ValueError, r"epoch must be in 0..4 .*over 5 epochs, got 5"),
        (lambda: cosine(0.1, 5)(1.0), TypeError, r"epoch must be an integer, got float 1.0"),
    ],
)
def test_schedules_reject_bad_arguments(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


# ---------------------------------------------------------------- fit


def run(seed=0, epochs=2, **options):
    x, y, x_val, y_val = digits()
    model = small_model(seed)
    optimizer = SGD(model, lr=0.05, momentum=0.9, weight_decay=1e-4)
    history = fit(
        model,
        x,
        y,
        epochs,
        32,
        optimizer,
        rng(seed + 100),
        x_val=x_val,
        y_val=y_val,
        progress=False,
        **options,
    )
    return model, history


def test_fit_is_deterministic_for_a_seed():
    first_model, first = run(augment=random_shift)
    second_model, second = run(augment=random_shift)
    assert first == second
    assert first.table() == second.table()
    for (_, a, _), (_, b, _) in zip(
        first_model.named_parameters(), second_model.named_parameters(), strict=True
    ):
        np.testing.assert_array_equal(a, b)
    _, other = run(seed=1)
    assert other.train_loss != first.train_loss


def test_fit_learns_and_records_every_epoch():
    model, history = run(epochs=3, schedule=step_decay(0.05, factor=0.5, every=2))
    assert history.epoch == [1, 2, 3]
    assert history.lr == [0.05, 0.05, 0.025]
    assert len(history.train_accuracy) == len(history.val_loss) == len(history.val_accuracy) == 3
    assert history.train_loss[-1] < 0.6 * history.train_loss[0]
    assert history.val_accuracy[-1] > 0.6  # chance is 0.1
    assert history.seconds > 0
    assert all(param.dtype == np.float32 for param, _ in model.parameters())
    _, _, x_val, y_val = digits()
    assert evaluate(model, x_val, y_val) == (history.val_loss[-1], history.val_accuracy[-1])


def test_fit_with_squared_error_and_without_validation():
    x, y, _, _ = digits(128)
    model = Sequential(Flatten(), Dense(784, 10, rng(), dtype=np.float64))
    history = fit(
        model, x, y, 3, 16, SGD(model, lr=0.01), rng(1), loss="squared_error", progress=False
    )
    assert history.val_loss == [] and history.val_accuracy == []
    assert history.train_loss[-1] < history.train_loss[0]
    assert "val" not in history.table()


def test_fit_shows_a_progress_bar_on_stderr(capsys):
    x, y, _, _ = digits(64)
    model = Sequential(Flatten(), Dense(784, 10, rng()))
    fit(model, x, y, 1, 32, SGD(model, lr=0.1), rng(), progress=True)
    assert "training: 100%" in capsys.readouterr().err


def test_history_table_text():
    history = History(
        epoch=[1, 2],
        lr=[0.05, 0.025],
        train_loss=[0.61234, 0.2],
        train_accuracy=[0.8, 0.93125],
        val_loss=[0.3, 0.25],
        val_accuracy=[0.9, 0.95],
        seconds=1.5,
    )
    expected = (
        "epoch     lr  train loss  train acc  val loss  val acc\n"
        "    1   0.05      0.6123     0.8000    0.3000   0.9000\n"
        "    2  0.025      0.2000     0.9313    0.2500   0.9500"
    )
    assert history.table() == expected
    assert repr(history) == expected
    assert (
        history.table(precision=1).splitlines()[1]
        == "    1   0.05         0.6        0.8       0.3      0.9"
    )
    assert history == History(
        [1, 2],
        [0.05, 0.025],
        [0.61234, 0.2],
        [0.8, 0.93125],
        [0.3, 0.25],
        [0.9, 0.95],
        seconds=99.0,
    )


# ---------------------------------------------------------------- predict and evaluate


def test_predict_and_evaluate_agree_with_one_big_batch():
    x, y, _, _ = digits(50)
    model = small_model()
    logits = model.forward(x)
    loss, _ = softmax_cross_entropy(logits, y)
    np.testing.assert_allclose(predict_logits(model, x, batch_size=7), logits, atol=1e-6)
    np.testing.assert_array_equal(predict(model, x, batch_size=7), logits.argmax(axis=1))
    mean_loss, accuracy = evaluate(model, x, y, batch_size=7)
    assert mean_loss == pytest.approx(loss, rel=1e-5)
    assert accuracy == np.mean(logits.argmax(axis=1) == y)


def test_evaluate_with_squared_error():
    model = Sequential(Flatten(), Dense(4, 3, rng(), dtype=np.float64))
    x = rng(1).standard_normal((5, 2, 2))
    y = np.array([0, 2, 1, 1, 0])
    outputs = model.forward(x)
    targets = np.eye(3)[y]
    expected = 0.5 * np.sum((outputs - targets) ** 2) / 5
    loss, _ = evaluate(model, x, y, loss="squared_error")
    assert loss == pytest.approx(expected, rel=1e-12)


def test_the_squared_error_loss_gradient_matches_numerical_differences():
    # fit() steps along this gradient, so a wrong factor would only make training slower.
    outputs = rng(2).standard_normal((4, 3))
    labels = np.array([2, 0, 1, 2])

    def mean_loss():
        return training._squared_error(outputs, labels)[0]

    loss, gradient = training._squared_error(outputs.copy(), labels)
    assert loss == pytest.approx(0.5 * np.sum((outputs - np.eye(3)[labels]) ** 2) / 4, rel=1e-12)
    assert relative_error(gradient, numerical_gradient(mean_loss, outputs)) < 1e-7


def test_nan_in_the_inputs_or_the_weights_is_named_instead_of_predicting_class_0():
    model = small_model()
    x, y, _, _ = digits(4)
    broken = x.copy()
    broken[1, 0, 5, 7] = np.nan
    pattern = r"x must be finite, got nan at index \(1, 0, 5, 7\)$"
    for call in (predict, predict_logits):
        with pytest.raises(ValueError, match=pattern):
            call(model, broken)
    with pytest.raises(ValueError, match=pattern):
        evaluate(model, broken, y)
    with pytest.raises(ValueError, match=pattern):
        fit(model, broken, y, 1, 2, SGD(model, lr=0.1), rng(), progress=False)
    model.layers[-1].params["W"][3, 1] = np.nan
    with pytest.raises(
        ValueError,
        match=r"the model's logits must be finite, got nan at index \(0, 1\) "
        r"\(a diverging learning rate is the usual cause\)",
    ):
        predict(model, x)


# ---------------------------------------------------------------- random_shift


def test_random_shift_moves_each_image_by_its_own_offset():
    x = np.zeros((200, 2, 7, 7), dtype=np.float32)
    x[:, 0, 3, 3] = 1.0  # one bright pixel in the centre of channel 0
    x[:, 1, 3, 3] = 2.0
    shifted = random_shift(x, rng(5), max_shift=2)
    assert shifted.shape == x.shape and shifted.dtype == np.float32
    rows, cols = np.nonzero(shifted[:, 0] == 1.0)[1:]
    assert len(rows) == 200  # the pixel is never lost for shifts <= 2
    offsets = set(zip((rows - 3).tolist(), (cols - 3).tolist(), strict=True))
    assert offsets == {(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)}
    np.testing.assert_array_equal(shifted[:, 1], 2 * shifted[:, 0])  # same shift per channel
    np.testing.assert_array_equal(x[:, 0, 3, 3], 1.0)  # the input is untouched


def test_random_shift_fills_with_zeros_and_keeps_content():
    image = np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    shifted = random_shift(image, rng(0), max_shift=1)[0, 0]
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            expected = np.zeros((4, 4))
            source = image[0, 0, max(0, -dy) : 4 - max(0, dy), max(0, -dx) : 4 - max(0, dx)]
            expected[max(0, dy) : 4 - max(0, -dy), max(0, dx) : 4 - max(0, -dx)] = source
            if np.array_equal(shifted, expected):
                return
    pytest.fail(f"not a whole-pixel shift with zero fill:\n{shifted}")


def test_random_shift_by_zero_is_the_identity_and_seeded():
    x = rng(1).random((3, 1, 5, 5))
    np.testing.assert_array_equal(random_shift(x, rng(), max_shift=0), x)
    np.testing.assert_array_equal(random_shift(x, rng(7)), random_shift(x, rng(7)))


# ---------------------------------------------------------------- bad inputs


def fit_arguments(**changes):
    x, y, _, _ = digits(64)
    model = small_model()
    arguments = {
        "model": model,
        "x": x,
        "y": y,
        "epochs": 1,
        "batch_size": 32,
        "optimizer": SGD(model, lr=0.1),
        "rng": rng(),
        "progress": False,
    }
    arguments.update(changes)
    return arguments


@pytest.mark.parametrize(
    ("changes", "error", "pattern"),
    [
        ({"model": "cnn"}, TypeError, r"model must be a Layer such as Sequential\(...\), got str"),
        ({"y": np.zeros(64)}, TypeError, r"y must be an integer numpy array .*got array of shape"),
        (
            {"y": np.zeros(63, dtype=int)},
            ValueError,
            r"y must have shape \(64,\), one label per example of x, got shape \(63,\)",
        ),
        (
            {"y": np.full(64, 10)},
            ValueError,
            r"y must hold class indices in 0..9 \(10 classes\), got 10 at index 0",
        ),
        (
            {"x": np.zeros((64, 784), dtype=np.float32)},
            ValueError,
            r"x must have shape \(N, in_channels, H, W\) = \(N, 1, H, W\), got shape \(N, 784\)",
        ),
        ({"x": np.zeros((0, 1, 28, 28))}, ValueError, r"x must be a non-empty batch .*\(0, 1"),
        ({"epochs": 0}, ValueError, r"epochs must be an integer >= 1, got 0"),
        ({"batch_size": 2.5}, TypeError, r"batch_size must be an integer, got float 2.5"),
        ({"optimizer": 0.1}, TypeError, r"optimizer must have a step\(\) method, .*got float 0.1"),
        ({"rng": 42}, TypeError, r"rng must be a numpy.random.Generator .*got int 42"),
        (
            {"loss": "mse"},
            ValueError,
            r"loss must be one of \['cross_entropy', 'squared_error'\], got str 'mse'",
        ),
        (
            {"x_val": np.zeros((4, 1, 28, 28))},
            ValueError,
            r"x_val and y_val must be given together, got x_val=array .* and y_val=NoneType",
        ),
        (
            {"x_val": np.zeros((4, 1, 28, 28)), "y_val": np.zeros(5, dtype=int)},
            ValueError,
            r"y_val must have shape \(4,\), one label per example of x_val, got shape \(5,\)",
        ),
        ({"augment": "shift"}, TypeError, r"augment must be a function or None, got str 'shift'"),
        ({"schedule": 0.1}, TypeError, r"schedule must be a function or None, got float 0.1"),
        ({"progress": "no"}, TypeError, r"progress must be True or False, got str 'no'"),
    ],
)
def test_fit_rejects_bad_arguments(changes, error, pattern):
    with pytest.raises(error, match=pattern):
        fit(**fit_arguments(**changes))


def test_fit_rejects_an_optimizer_of_another_model():
    arguments = fit_arguments()
    arguments["optimizer"] = SGD(small_model(), lr=0.1)
    with pytest.raises(ValueError, match=r"optimizer must update this model's parameters, got"):
        fit(**arguments)


def test_fit_rejects_a_model_that_does_not_output_logits():
    model = Sequential(Conv2D(1, 2, 3, rng()), ReLU(), MaxPool2D())
    arguments = fit_arguments(model=model, optimizer=SGD(model, lr=0.1))
    with pytest.raises(
        ValueError,
        match=r"model must output logits of shape \(N, K\) for x of shape \(N, 1, 28, 28\), "
        r"got outputs of shape \(N, 2, 13, 13\); end it with Flatten\(\) and Dense",
    ):
        fit(**arguments)


def test_fit_rejects_an_augment_that_changes_the_shape():
    arguments = fit_arguments(augment=lambda xb, generator: xb[:, :, 1:])
    with pytest.raises(
        ValueError,
        match=r"augment must return an array of the batch's shape \(32, 1, 28, 28\), "
        r"got array of shape \(32, 1, 27, 28\)",
    ):
        fit(**arguments)


def test_prediction_functions_reject_bad_arguments():
    model = small_model()
    x, y, _, _ = digits(8)
    with pytest.raises(TypeError, match=r"model must be a Layer .*got function"):
        predict(lambda images: images, x)
    with pytest.raises(ValueError, match=r"batch_size must be an integer >= 1, got 0"):
        predict_logits(model, x, batch_size=0)
    with pytest.raises(TypeError, match=r"x must be a numpy array, got list of length 1"):
        predict(model, [[0.0]])
    with pytest.raises(ValueError, match=r"y must hold class indices in 0..9 .*got -1 at index 0"):
        evaluate(model, x, np.full(8, -1))
    with pytest.raises(ValueError, match=r"loss must be one of .*got str 'hinge'"):
        evaluate(model, x, y, loss="hinge")
    with pytest.raises(ValueError, match=r"loss must be one of .*got list of length 1"):
        evaluate(model, x, y, loss=["hinge"])


@pytest.mark.parametrize(
    ("arguments", "error", "pattern"),
    [
        (
            (np.zeros((2, 28, 28)), rng()),
            ValueError,
            r"x must have 4 dimensions \(N, C, H, W\), got 3 dimensions with shape \(2, 28, 28\)",
        ),
        ((np.zeros((2, 1, 4, 4)), None), TypeError, r"rng must be a numpy.random.Generator"),
        (
            (np.zeros((2, 1, 4, 4)), rng(), -1),
            ValueError,
            r"max_shift must be an integer >= 0, got -1",
        ),
    ],
)
def test_random_shift_rejects_bad_arguments(arguments, error, pattern):
    with pytest.raises(error, match=pattern):
        random_shift(*arguments)


def test_history_table_rejects_a_bad_precision():
    with pytest.raises(ValueError, match=r"precision must be an integer >= 0, got -1"):
        History().table(precision=-1)


# ---------------------------------------------------------------- the real thing


@pytest.mark.slow
def test_a_small_cnn_learns_the_shipped_digits():
    x_train, y_train, x_test, y_test = load_mnist_subset()
    generator = rng(0)
    model = Sequential(
        Conv2D(1, 8, 3, generator, padding=1),
        ReLU(),
        MaxPool2D(2),
        Conv2D(8, 16, 3, generator, padding=1),
        ReLU(),
        MaxPool2D(2),
        Flatten(),
        Dense(16 * 7 * 7, 10, generator),
    )
    optimizer = optim.SGD(model, lr=0.05, momentum=0.9)
    history = training.fit(
        model,
        x_train,
        y_train,
        3,
        64,
        optimizer,
        rng(1),
        x_val=x_test,
        y_val=y_test,
        progress=False,
    )
    _, test_accuracy = evaluate(model, x_test, y_test)
    assert test_accuracy == history.val_accuracy[-1]
    assert test_accuracy > 0.9, history.table()
    assert history.train_loss[0] > history.train_loss[-1]
