"""The visible tests of notebooks 02, 04 and 06 tell a student who got it wrong what went wrong.

A student works on the released notebook, where the visible part of each test cell is the only
feedback before grading. Each function of tests/wrong_answers/nb02_backprop.py,
nb04_convolution.py and nb06_relu.py must fail the visible test of its exercise with an
AssertionError (a message for the student: a numpy error of the student's own function is
turned into one that names the shapes, and the test code itself raises nothing else), the
instructor's solutions must pass, and the messages named here say what was expected and what
the answer gave. 04's output sizes are the exception: the visible test checks their form only.
"""

import re

import numpy as np
import pytest
from visible_tests import answer_id, fails_with, load_wrong_answers, run_solution, run_visible

from lectureml import diagnostics, mlp
from lectureml.conv import conv2d
from lectureml.data import load_mnist_subset
from lectureml.grading.checks.nb04_convolution import LECTURE_IMAGE

NB02 = load_wrong_answers("nb02_backprop")
NB04 = load_wrong_answers("nb04_convolution")
NB06 = load_wrong_answers("nb06_relu")


# --- 02: the network of section 2 (D, M, K, N = 2, 3, 2, 4) --------------------------------------


def _namespace_02(**answer):
    D, M, K, N = 2, 3, 2, 4
    rng = np.random.default_rng(15)
    W1, W2 = mlp.init_weights(D, M, K, rng, scale=1.0)
    X, T = rng.standard_normal((N, D)), rng.standard_normal((N, K))
    namespace = {"np": np, "mlp": mlp, "D": D, "M": M, "K": K, "N": N}
    namespace.update(W1=W1, W2=W2, X=X, T=T)
    run_solution("02-backprop", "02-backward", namespace)
    run_solution("02-backprop", "02-gradcheck", namespace)
    return {**namespace, **answer}


@pytest.mark.parametrize("grade_id", ["02-backward", "02-gradcheck"])
def test_02_the_solutions_pass_their_visible_tests(grade_id, capsys):
    run_visible("02-backprop", grade_id, _namespace_02())
    assert "visible tests passed" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", NB02.WRONG_ANSWERS["02-backward"], ids=answer_id)
def test_02_the_visible_test_catches_every_wrong_backward_pass(wrong):
    fails_with("02-backprop", "02-backward", _namespace_02(backward_pass=wrong))


def test_02_a_backward_pass_through_the_bias_row_hears_about_the_shapes():
    """d_out @ W2.T: numpy's broadcast error, explained with W2's bias row."""
    error = fails_with(
        "02-backprop",
        "02-backward",
        _namespace_02(backward_pass=NB02.backward_bias_row_not_dropped),
        "backward_pass raised ValueError: operands could not be broadcast together",
        "W2 is (M+1, K) = (4, 2), row 0 the biases",
        "the hidden deltas are (N, M) = (4, 3)",
        "W2[1:] drops the bias row",
    )
    assert isinstance(error.__cause__, ValueError)


@pytest.mark.parametrize(
    ("wrong", "phrases"),
    [
        (
            NB02.backward_dW2_without_bias_row,
            ["shape of W2, (M+1, K) = (4, 2): row 0 for the bias", "got ndarray of shape (3, 2)"],
        ),
        (NB02.backward_flipped_sign, ["rows [0, 1, 2, 3] differ, all by a factor -1", "Your dW2:"]),
        (NB02.backward_mean_error, ["expected 31.5826, got 7.89564: 1/N of it"]),
        (
            NB02.backward_without_activation_derivative,
            ["dW2 is right, dW1 (shape (3, 3)) is not", "lack the factor h'(A)", "Your dW1:"],
        ),
        (NB02.backward_wrong_bias_row, ["dW2 is right, dW1 (shape (3, 3)) is not"]),
    ],
    ids=lambda value: answer_id(value) or "",
)
def test_02_the_backward_messages_say_what_was_expected_and_what_came(wrong, phrases):
    fails_with("02-backprop", "02-backward", _namespace_02(backward_pass=wrong), *phrases)


@pytest.mark.parametrize(
    ("name", "wrong"),
    [("central_differences", f) for f in NB02.WRONG_ANSWERS["02-central-differences"]]
    + [("relative_error", f) for f in NB02.WRONG_ANSWERS["02-relative-error"]],
    ids=lambda value: answer_id(value) or value,
)
def test_02_the_visible_test_catches_every_wrong_gradient_checker(name, wrong):
    fails_with("02-backprop", "02-gradcheck", _namespace_02(**{name: wrong}))


def test_02_calling_f_with_an_argument_is_explained():
    fails_with(
        "02-backprop",
        "02-gradcheck",
        _namespace_02(central_differences=NB02.central_difference_calls_f_with_x),
        "central_differences(f, v) raised TypeError",
        "a function of no arguments",
    )


# --- 04: the lecture's 5 x 5 example of section 2 ----------------------------------------------


def _namespace_04(**answer):
    shift_kernel = np.zeros((5, 5))
    shift_kernel[1, 3] = 1.0
    namespace = {
        "np": np,
        "conv2d": conv2d,
        "image": LECTURE_IMAGE.copy(),
        "shift_kernel": shift_kernel,
    }
    for grade_id in ("04-conv2d", "04-output-sizes", "04-horizontal-edge-kernel"):
        run_solution("04-convolution", grade_id, namespace)
    return {**namespace, **answer}


@pytest.mark.parametrize("grade_id", ["04-conv2d", "04-output-sizes", "04-horizontal-edge-kernel"])
def test_04_the_solutions_pass_their_visible_tests(grade_id):
    run_visible("04-convolution", grade_id, _namespace_04())


@pytest.mark.parametrize("wrong", NB04.WRONG_ANSWERS["04-conv2d"], ids=answer_id)
def test_04_the_visible_test_catches_every_wrong_convolution(wrong):
    fails_with("04-convolution", "04-conv2d", _namespace_04(conv2d_single_channel=wrong))


def test_04_a_convolution_for_square_kernels_only_hears_where_it_assumed_that():
    error = fails_with(
        "04-convolution",
        "04-conv2d",
        _namespace_04(conv2d_single_channel=NB04.conv_square_kernel),
        "conv2d_single_channel raised ValueError: operands could not be broadcast together",
        "a 3 x 2 kernel, stride 2 and padding 1 the output must have shape (3, 4)",
        "The kernel is not square: K_H = w.shape[0] = 3 rows, K_W = w.shape[1] = 2 columns",
    )
    assert isinstance(error.__cause__, ValueError)


@pytest.mark.parametrize(
    ("wrong", "phrases"),
    [
        (NB04.conv_padding_after_only, ["frame of zeros", "it returned\n[[0.25 0.5"]),
        (NB04.conv_flipped_kernel, ["got [[28.0, 9.0, 4.0], [0.0, 82.0, 45.0]"]),
        (NB04.conv_windows_not_strided, ["outputs differ, the first at (i, j) = (0, 1): expected"]),
        (NB04.conv_integer_output, ["got dtype int64"]),
    ],
    ids=lambda value: answer_id(value) or "",
)
def test_04_the_convolution_messages_show_what_came(wrong, phrases):
    namespace = _namespace_04(conv2d_single_channel=wrong)
    fails_with("04-convolution", "04-conv2d", namespace, *phrases)


@pytest.mark.parametrize(
    ("sizes", "phrase"),
    [
        (
            NB04.WRONG_ANSWERS["04-output-sizes"][-2],
            "['digit_stride_2'] must be an int, got float64",
        ),
        (NB04.WRONG_ANSWERS["04-output-sizes"][-1], "['photo_shape'] must be a tuple of 2 ints"),
        (None, "output_sizes must be a dict with the keys"),
        ([24, 2, 12, (300, 256), (8, 16, 10, 10)], "must be a dict with the keys"),
        ({**NB04.CORRECT_SIZES, "batch_shape": (16, 8, 10, 10)}, "N keeps the 8 images, got 16"),
    ],
    ids=["float", "float-shape", "none", "list", "batch-second"],
)
def test_04_the_visible_test_checks_the_form_of_the_sizes(sizes, phrase):
    fails_with("04-convolution", "04-output-sizes", _namespace_04(output_sizes=sizes), phrase)


@pytest.mark.parametrize(
    "kernel",
    [*NB04.WRONG_ANSWERS["04-horizontal-edge-kernel"], [[-1, -2, -1], [0, 0], [1, 2, 1]]],
)
def test_04_the_visible_test_catches_every_wrong_kernel(kernel):
    namespace = _namespace_04(horizontal_edge_kernel=kernel)
    fails_with("04-convolution", "04-horizontal-edge-kernel", namespace)


@pytest.mark.parametrize(
    ("kernel", "phrase"),
    [
        (NB04.SOBEL_Y.T, "does not respond to the horizontal edge at all (strongest response 0;"),
        (np.ones((3, 3)) / 9, "responds to a flat image with 1, more than a tenth"),
        (np.array([[-1.0, 0.0, 1.0]]), "does not respond to the horizontal edge at all"),
        (np.array([[-1.0, 0.0], [0.0, 1.0]]), "responds to the vertical edge with 1, more than"),
        (np.zeros((3, 3)), "the kernel is all zeros"),
        ([[-1, -2, -1], [0, 0], [1, 2, 1]], "a 2-D array of numbers (rows of equal length)"),
    ],
    ids=["vertical-sobel", "blur", "horizontal-difference", "diagonal", "zeros", "ragged"],
)
def test_04_the_kernel_messages_name_the_responses(kernel, phrase):
    namespace = _namespace_04(horizontal_edge_kernel=kernel)
    fails_with("04-convolution", "04-horizontal-edge-kernel", namespace, phrase)


# --- 06: ReLU networks as in section 6 ---------------------------------------------------------


@pytest.fixture(scope="module")
def namespace_06():
    """The instructor's three functions, 20 digits and section 6's kind of ReLU networks: one
    fresh, one with biases of -1 whose deeper layers have dead units."""
    x_train, _, _, _ = load_mnist_subset()
    trained = {}
    for label, bias in (("bias 0", 0.0), ("bias -1", -1.0)):
        model = diagnostics.deep_mlp("relu", 4, 64, np.random.default_rng(6), dtype=np.float64)
        for layer in model.layers[:-1]:
            if "b" in layer.params:
                layer.params["b"][...] = bias
        trained[label] = (model, None, None, None)
    namespace = {
        "np": np,
        "diagnostics": diagnostics,
        "x_race": x_train[:20].reshape(20, -1).astype(np.float64),
        "trained": trained,
    }
    for grade_id in ("06-relu-forward", "06-relu-backward", "06-dead-units"):
        run_solution("06-relu", grade_id, namespace)
    return namespace


@pytest.mark.parametrize("grade_id", ["06-relu-forward", "06-relu-backward", "06-dead-units"])
def test_06_the_solutions_pass_their_visible_tests(namespace_06, grade_id):
    run_visible("06-relu", grade_id, dict(namespace_06))


@pytest.mark.parametrize(
    ("grade_id", "name", "wrong"),
    [
        (grade_id, name, wrong)
        for grade_id, name in [
            ("06-relu-forward", "relu_forward"),
            ("06-relu-backward", "relu_backward"),
            ("06-dead-units", "dead_unit_fraction"),
        ]
        for wrong in NB06.WRONG_ANSWERS[grade_id]
    ],
    ids=lambda value: answer_id(value) or value,
)
def test_06_the_visible_tests_catch_every_wrong_function(namespace_06, grade_id, name, wrong):
    fails_with("06-relu", grade_id, {**namespace_06, name: wrong})


@pytest.mark.parametrize(
    ("grade_id", "name", "wrong", "phrases"),
    [
        ("06-relu-forward", "relu_forward", NB06.relu_abs, ["got [[2.0, 0.5, 0.0]"]),
        (
            "06-relu-forward",
            "relu_forward",
            NB06.relu_in_place,
            ["(a[0, 0] was -2.0, is 0.0 afterwards)"],
        ),
        ("06-relu-forward", "relu_forward", NB06.relu_loses_float32, ["; got float64"]),
        (
            "06-relu-backward",
            "relu_backward",
            NB06.backward_masks_by_dout,
            ["expected [0.0, 20.0, 0.0, -30.0, 0.0], got [10.0, 20.0, 50.0, 0.0, 40.0]"],
        ),
        (
            "06-relu-backward",
            "relu_backward",
            NB06.backward_kink_counts_as_active,
            ["the entry at a = 0 must be 0, got 50.0"],
        ),
    ],
    ids=lambda value: answer_id(value) or "",
)
def test_06_the_relu_messages_show_what_came(namespace_06, grade_id, name, wrong, phrases):
    fails_with("06-relu", grade_id, {**namespace_06, name: wrong}, *phrases)


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (NB06.dead_with_ge_zero_as_active, "got [0.25]: unit 1 is exactly 0 on every example"),
        (NB06.dead_if_ever_inactive, "got [0.75]: unit 2 is positive on example 3 only"),
        (NB06.dead_counts_zeros_per_example, "got [0.6667]: 8 of the 12 entries"),
        (NB06.dead_over_the_wrong_axis, "got [0.0]: units 0 and 1 are never positive"),
        (NB06.dead_counts_not_fractions, "got [2.0]: that is the number of dead units"),
        (NB06.dead_one_number_for_the_network, "got float of shape ()"),
        (NB06.dead_without_relu_between_layers, "layer 1 agrees, so look at what a layer passes"),
        (NB06.dead_weights_on_the_left, "a_1 = x @ weights[0] + biases[0] is (N, M_1) = (3, 4)"),
    ],
    ids=lambda value: answer_id(value) or "",
)
def test_06_each_dead_unit_mistake_gets_its_own_message(namespace_06, wrong, phrase):
    message = str(
        fails_with("06-relu", "06-dead-units", {**namespace_06, "dead_unit_fraction": wrong})
    )
    assert phrase in message
    assert message.startswith(("expected [0.5]", "return a", "bias", "dead_unit_fraction raised"))
    assert not re.search(r"got \[0\.5\]", message)
