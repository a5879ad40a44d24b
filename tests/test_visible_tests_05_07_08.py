"""The visible tests of notebooks 05, 07 and 08 catch the plausible wrong answers themselves.

A student works on the released notebook, where the visible part of each test cell is the only
feedback before grading: an answer the hidden check rejects should not pass it. Each wrong
answer of tests/wrong_answers/nb05_pooling.py, nb07_dropout.py and nb08_deep_cnn.py (08's
hyperparameters aside: judging them means training) must fail the visible test of its
exercise with an AssertionError, a message for the student rather than an error of the test
code, and the instructor's solution must pass it.
"""

import inspect
import re

import numpy as np
import pytest
from visible_tests import load_wrong_answers, run_solution, run_visible

from lectureml import dropout as dropout_ops
from lectureml import gradcheck, layers, pooling
from lectureml.data import load_mnist_subset
from lectureml.grading.checks import nb08_deep_cnn
from lectureml.grading.checks.nb04_convolution import LECTURE_IMAGE

NB05 = load_wrong_answers("nb05_pooling")
NB07 = load_wrong_answers("nb07_dropout")
NB08 = load_wrong_answers("nb08_deep_cnn")


# --- 05: what the exercises' test cells read from the notebook above them (sections 2 and 4) ---

X_05 = LECTURE_IMAGE
DELTA_05 = np.array([[1.0, -2.0], [3.0, 0.5]])


def _namespace_05(**answer):
    dx_max = pooling.max_pool2d_backward(DELTA_05[None, None], X_05[None, None], size=2)[0, 0]
    return {"np": np, "X": X_05.copy(), "delta": DELTA_05.copy(), "dX_max": dx_max, **answer}


@pytest.mark.parametrize(
    ("grade_id", "name"),
    [("05-max-pool-forward", "max_pool_forward"), ("05-max-pool-backward", "max_pool_backward")],
)
def test_05_the_solutions_pass_their_visible_tests(grade_id, name):
    namespace = run_solution("05-pooling", grade_id, _namespace_05())
    assert callable(namespace[name])
    run_visible("05-pooling", grade_id, namespace)


def test_05_the_receptive_field_solution_passes_its_visible_test():
    namespace = run_solution("05-pooling", "05-receptive-field", {"np": np})
    run_visible("05-pooling", "05-receptive-field", namespace)


@pytest.mark.parametrize(
    ("grade_id", "name", "wrong"),
    [
        (grade_id, name, wrong)
        for grade_id, name in [
            ("05-max-pool-forward", "max_pool_forward"),
            ("05-max-pool-backward", "max_pool_backward"),
        ]
        for wrong in NB05.WRONG_ANSWERS[grade_id]
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_05_the_visible_tests_catch_every_wrong_function(grade_id, name, wrong):
    with pytest.raises(AssertionError):
        run_visible("05-pooling", grade_id, _namespace_05(**{name: wrong}))


@pytest.mark.parametrize("sides", NB05.WRONG_ANSWERS["05-receptive-field"], ids=str)
def test_05_the_visible_test_catches_every_wrong_receptive_field(sides):
    namespace = {"np": np, "receptive_field_sides": sides}
    with pytest.raises(AssertionError):
        run_visible("05-pooling", "05-receptive-field", namespace)


def test_05_the_jump_message_names_the_layers_and_the_jumps_the_sides_imply():
    namespace = {"np": np, "receptive_field_sides": NB05.JUMP_NOT_UPDATED}
    with pytest.raises(AssertionError) as raised:
        run_visible("05-pooling", "05-receptive-field", namespace)
    assert str(raised.value).endswith(
        "so layer 4 has jump 2. But layer 4 (max pool 2x2) has stride 2: its jump is 2 x 2 = 4, "
        "not 2"
    )


# --- 07 ----------------------------------------------------------------------------------------

WRONG_FORWARDS_07 = [
    function
    for name, function in inspect.getmembers(NB07, inspect.isfunction)
    if name.startswith("forward_")
]


def _namespace_07(**answer):
    return {"np": np, "dropout_ops": dropout_ops, "gradcheck": gradcheck, **answer}


@pytest.mark.parametrize("grade_id", ["07-dropout-forward", "07-dropout-backward"])
def test_07_the_solutions_pass_their_visible_tests(grade_id):
    run_visible("07-dropout", grade_id, run_solution("07-dropout", grade_id, _namespace_07()))


def test_07_every_wrong_forward_of_the_record_list_is_tried_here():
    recorded = NB07.WRONG_ANSWERS["07-dropout-forward"]
    assert len(WRONG_FORWARDS_07) == len(recorded) >= 15


@pytest.mark.parametrize("wrong", WRONG_FORWARDS_07, ids=lambda function: function.__name__)
def test_07_the_visible_test_catches_every_wrong_forward(wrong):
    with pytest.raises(AssertionError):
        run_visible("07-dropout", "07-dropout-forward", _namespace_07(dropout_forward=wrong))


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (NB07.forward_test_time_float64, "with training=False, out is float32 and mask is float64"),
        (NB07.forward_drops_exact_count, "for 20 seeds all kept exactly 50 units"),
        (NB07.forward_drops_exact_count_per_row, "for 20 seeds all kept exactly 50 units"),
        (NB07.forward_own_generator, "20 different seeds gave the same mask"),
        (NB07.forward_one_mask_for_the_batch, "hold only 1 different masks"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_07_the_visible_test_says_what_the_forward_did(wrong, message):
    with pytest.raises(AssertionError, match=message):
        run_visible("07-dropout", "07-dropout-forward", _namespace_07(dropout_forward=wrong))


@pytest.mark.parametrize(
    "wrong", NB07.WRONG_ANSWERS["07-dropout-backward"], ids=lambda function: function.__name__
)
def test_07_the_visible_test_catches_every_wrong_backward(wrong):
    with pytest.raises(AssertionError):
        run_visible("07-dropout", "07-dropout-backward", _namespace_07(dropout_backward=wrong))


# --- 08: the LeNet exercise (the hyperparameter exercise needs training, so it is left out) ---


@pytest.fixture(scope="module")
def lenet_answer():
    """The instructor's lenet, lenet_shapes and lenet_parameters, in a notebook-like namespace."""
    _, _, x_test, _ = load_mnist_subset()
    namespace = {"np": np, "layers": layers, "SEED": 0, "x_test": x_test[:2]}
    return run_solution("08-deep-cnn", "08-lenet", namespace)


def _run_08(answer, **changes):
    run_visible("08-deep-cnn", "08-lenet", {**answer, **changes})


def test_08_the_solution_passes_its_visible_test(lenet_answer):
    _run_08(lenet_answer)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        pytest.param(
            lambda rng: NB08._lenet(rng, first_padding=0, flat=256),
            "the specification asks for padding=2",
            id="unpadded",
        ),
        pytest.param(
            lambda rng: NB08._lenet(rng, first_padding=0),
            "the specification asks for padding=2",
            id="unpadded-dense-400",
        ),
        pytest.param(
            lambda rng: NB08._lenet(rng, flat=256),
            "layer 7, Dense(256, 120), must take as many inputs",
            id="dense-256",
        ),
        pytest.param(
            lambda rng: NB08._lenet(rng, pool=layers.AvgPool2D),
            "asks for a MaxPool2D",
            id="mean-pooling",
        ),
        pytest.param(
            lambda rng: NB08._lenet(rng, activation=layers.Sigmoid),
            "asks for a ReLU",
            id="sigmoid",
        ),
        pytest.param(NB08._without_last_relu, "lenet has 11", id="missing-relu"),
        pytest.param(
            lambda rng: NB08._lenet(rng, second_padding=2, flat=784),
            "the specification asks for padding=0",
            id="second-padded",
        ),
    ],
)
def test_08_the_visible_test_catches_every_wrong_model(lenet_answer, model, message):
    with pytest.raises(AssertionError, match=re.escape(message)):
        _run_08(lenet_answer, lenet=model(np.random.default_rng(0)))


@pytest.mark.parametrize(
    "shapes", NB08.WRONG_ANSWERS["08-lenet-shapes"], ids=lambda shapes: str(shapes[0])
)
def test_08_the_visible_test_catches_every_wrong_shape_list(lenet_answer, shapes):
    with pytest.raises(AssertionError):
        _run_08(lenet_answer, lenet_shapes=shapes)


@pytest.mark.parametrize(
    "counts", NB08.WRONG_ANSWERS["08-lenet-parameters"], ids=lambda counts: str(counts[3])
)
def test_08_the_visible_test_catches_every_wrong_parameter_count(lenet_answer, counts):
    with pytest.raises(AssertionError):
        _run_08(lenet_answer, lenet_parameters=counts)


def test_08_counting_the_weights_only_is_named_as_forgetting_the_biases(lenet_answer):
    with pytest.raises(AssertionError) as raised:
        _run_08(lenet_answer, lenet_parameters=NB08._NO_BIASES)
    message = str(raised.value)
    assert message.startswith("lenet_parameters[0] is 150, which is not the number of parameters")
    assert "weights W, of shape (6, 1, 5, 5), only. Biases are trainable parameters too" in message


def test_08_the_graders_feedback_also_names_counts_without_biases():
    ok, message = nb08_deep_cnn.judge_lenet_parameters(NB08._NO_BIASES)
    assert not ok
    assert message == (
        "the parameter count of layer 0 is not right (and maybe later ones): that is the number "
        "of its weights only; biases are trainable parameters too, one per filter of a "
        "convolution and one per unit of a Dense layer"
    )
    counts = list(nb08_deep_cnn.lenet_reference_parameters())
    counts[1] = 12
    assert nb08_deep_cnn.judge_lenet_parameters(counts)[1].endswith(
        "layer 1 is not right (and maybe later ones): a ReLU layer has nothing to learn"
    )
