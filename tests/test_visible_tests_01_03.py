"""The visible tests of notebooks 01 and 03 tell a student who got it wrong what went wrong.

A student works on the released notebook, where the visible part of each test cell is the only
feedback before grading. Each wrong answer of tests/wrong_answers/nb01_forward_pass.py and
nb03_universal_approximation.py must fail the visible test of its exercise with an
AssertionError (a message for the student: a numpy error of the student's own function is
turned into one that names the shapes or says why arrays need numpy, and the test code itself
raises nothing else), the instructor's solutions must pass, and the messages named here say
what was expected and what the answer gave, in the lecture's notation.

03's number of linear pieces is the exception: it is a single prediction that the visible test
cannot check without giving it away, so it checks the form only (an int, at least 1) and the
wrong counts pass it; a float count fails it, as it fails the grader.
"""

import numpy as np
import pytest
from visible_tests import answer_id, fails_with, load_wrong_answers, run_solution, run_visible

from lectureml import activations, approximation, mlp

NB01 = load_wrong_answers("nb01_forward_pass")
NB03 = load_wrong_answers("nb03_universal_approximation")


# --- 01: the random network of section 3 and the square detector of section 6 ------------------


def _namespace_01(**answer):
    D, M, K, N = 3, 4, 2, 5
    rng = np.random.default_rng(15)
    W1, W2 = mlp.init_weights(D, M, K, rng)
    X = rng.standard_normal((N, D))
    W1_square = 4.0 * np.array([[1.5, 1.5, 1.5, 1.5], [-1.0, 1.0, 0.0, 0.0], [0.0, 0.0, -1.0, 1.0]])
    W2_square = 4.0 * np.array([[-3.5], [1.0], [1.0], [1.0], [1.0]])
    namespace = {"np": np, "activations": activations, "mlp": mlp, "D": D, "M": M, "K": K, "N": N}
    namespace.update(X=X, W1=W1, W2=W2, W1_square=W1_square, W2_square=W2_square)
    run_solution("01-forward-pass", "01-forward-bias-trick", namespace)
    run_solution("01-forward-pass", "01-shapes", namespace)
    return {**namespace, **answer}


@pytest.mark.parametrize("grade_id", ["01-forward-bias-trick", "01-shapes"])
def test_01_the_solutions_pass_their_visible_tests(grade_id, capsys):
    run_visible("01-forward-pass", grade_id, _namespace_01())
    assert "visible tests passed" in capsys.readouterr().out


def test_01_an_explicit_bias_vector_passes_too():
    def explicit_bias(X, W1, W2, h, sigma):
        return sigma(h(X @ W1[1:] + W1[0]) @ W2[1:] + W2[0])

    namespace = _namespace_01(forward_bias_trick=explicit_bias)
    run_visible("01-forward-pass", "01-forward-bias-trick", namespace)


@pytest.mark.parametrize("wrong", NB01.WRONG_ANSWERS["01-forward-bias-trick"], ids=answer_id)
def test_01_the_visible_test_catches_every_wrong_forward_pass(wrong):
    namespace = _namespace_01(forward_bias_trick=wrong)
    fails_with("01-forward-pass", "01-forward-bias-trick", namespace)


@pytest.mark.parametrize(
    ("wrong", "phrases"),
    [
        (
            NB01.no_bias_column,
            [
                "forward_bias_trick raised ValueError: matmul",
                "W1 is (D+1, M) = (4, 4)",
                "[1 X], the ones x_0 = 1 in front of X, is (N, D+1) = (5, 4)",
            ],
        ),
        (NB01.ones_per_input, ["forward_bias_trick raised ValueError", "X is (N, D) = (5, 3)"]),
        (
            NB01.global_n_for_the_ones,
            ["X is (N, D) = (2, 2)", "N, D, M, K come from the arrays, not from the notebook's"],
        ),
    ],
    ids=lambda value: answer_id(value) or "",
)
def test_01_a_shape_error_of_the_students_function_is_explained(wrong, phrases):
    namespace = _namespace_01(forward_bias_trick=wrong)
    error = fails_with("01-forward-pass", "01-forward-bias-trick", namespace, *phrases)
    assert isinstance(error.__cause__, ValueError)


@pytest.mark.parametrize(
    ("wrong", "phrases"),
    [
        (
            NB01.bias_column_last,
            ["h got an A of the right shape but not [1 X] W1", "got [-0.0428,", "ones come last"],
        ),
        (NB01.no_hidden_bias_unit, ["output biases, the weights of z_0 = 1: yours lack them"]),
        (NB01.linear_hidden_layer, ["never called h: Z = h(A) with the h it is given"]),
        (NB01.fixed_tanh_for_h, ["never called h"]),
        (NB01.no_output_activation, ["never called sigma: Y = sigma(B)"]),
        (NB01.bias_unit_through_h, ["got shape (5, 5): z_0 = 1 joins after h"]),
        (
            NB01.softmax_over_the_batch,
            ["sigma must get B, (N, K) = (5, 2)", "got shape (2, 5): sigma acts on B as it is"],
        ),
    ],
    ids=lambda value: answer_id(value) or "",
)
def test_01_the_forward_messages_say_what_was_expected_and_what_came(wrong, phrases):
    namespace = _namespace_01(forward_bias_trick=wrong)
    fails_with("01-forward-pass", "01-forward-bias-trick", namespace, *phrases)


def _returns(value):
    def forward(X, W1, W2, h, sigma):
        ones = np.ones((X.shape[0], 1))
        sigma(np.hstack([ones, h(np.hstack([ones, X]) @ W1)]) @ W2)
        return value

    return forward


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (None, "returned None: did you forget `return`?"),
        ([[0.5, 0.5]] * 5, "must return Y = sigma(B), a numpy array (N, K) = (5, 2); got list"),
        (np.zeros(5), "got ndarray of shape (5,)"),
    ],
    ids=["none", "list", "vector"],
)
def test_01_a_result_of_the_wrong_kind_gets_a_message(value, phrase):
    namespace = _namespace_01(forward_bias_trick=_returns(value))
    fails_with("01-forward-pass", "01-forward-bias-trick", namespace, phrase)


def test_01_the_released_stub_raises_not_implemented():
    def stub(X, W1, W2, h, sigma):
        raise NotImplementedError()

    namespace = _namespace_01(forward_bias_trick=stub)
    with pytest.raises(NotImplementedError):
        run_visible("01-forward-pass", "01-forward-bias-trick", namespace)


@pytest.mark.parametrize("shapes", NB01.WRONG_ANSWERS["01-shapes"], ids=str)
def test_01_the_visible_test_catches_every_wrong_set_of_shapes(shapes):
    fails_with("01-forward-pass", "01-shapes", _namespace_01(shapes=shapes), "breaks a rule")


@pytest.mark.parametrize("n_parameters", NB01.WRONG_ANSWERS["01-n-parameters"], ids=repr)
def test_01_the_visible_test_catches_every_wrong_parameter_count(n_parameters):
    namespace = _namespace_01(n_parameters=n_parameters)
    fails_with("01-forward-pass", "01-shapes", namespace, "n_parameters", str(n_parameters))


SHAPES_01 = NB01.WRONG_ANSWERS["01-shapes"]


@pytest.mark.parametrize(
    ("shapes", "phrase"),
    [
        (SHAPES_01[0], "shapes['W1'] = (784, 100) breaks a rule: W1 is (D+1) x M"),
        (SHAPES_01[1], "shapes['Z_with_bias'] = (32, 100) breaks a rule: [1 Z] puts z_0 = 1"),
        (SHAPES_01[2], "shapes['A'] = (100, 32) breaks a rule: A = [1 X] W1 has the rows of"),
        (SHAPES_01[3], "the outputs get no bias unit"),
        (SHAPES_01[4], "a column per output, K = 10"),
        (SHAPES_01[5], "a column per hidden unit, M = 100 (z_0 = 1 has no inputs)"),
        (None, "shapes must be a dict with exactly the keys"),
        ({"X": (32, 784)}, "missing ['A', 'B', 'W1', 'W2', 'X_with_bias', 'Y', 'Z', 'Z_with"),
        ({**NB01._CORRECT_SHAPES, "A": (32.0, 100)}, "must be a tuple of ints like (32, 784)"),
        ({**NB01._CORRECT_SHAPES, "A": (32, 100, 1)}, "needs two numbers, got (32, 100, 1)"),
        (
            {**NB01._CORRECT_SHAPES, "X_with_bias": np.array([32, 785])},
            "must be a tuple of ints like (32, 784) (a list works too), got array",
        ),
    ],
    ids=[
        "no-bias-rows",
        "no-bias-unit",
        "examples-as-columns",
        "output-bias-unit",
        "k-plus-one-outputs",
        "bias-unit-as-hidden-unit",
        "none",
        "only-x",
        "float",
        "three-numbers",
        "array",
    ],
)
def test_01_the_shape_messages_name_the_rule(shapes, phrase):
    fails_with("01-forward-pass", "01-shapes", _namespace_01(shapes=shapes), phrase)


def test_01_a_shape_message_never_states_the_shape_it_wants():
    """The rule and the student's other shapes, not the expected tuple itself."""
    message = str(fails_with("01-forward-pass", "01-shapes", _namespace_01(shapes=SHAPES_01[0])))
    assert "(785, 100)" not in message


@pytest.mark.parametrize(
    ("n_parameters", "phrase"),
    [
        (79400, "is not (D+1)M + (M+1)K, the number of entries of W1 (785, 100) and W2 (101, 10)"),
        (79510.0, "n_parameters must be an integer, got float 79510.0"),
        (np.float64(79510.0), "got float64 79510.0"),
        (None, "got NoneType None"),
    ],
    ids=["no-biases", "float", "numpy-float", "none"],
)
def test_01_the_parameter_count_messages(n_parameters, phrase):
    namespace = _namespace_01(n_parameters=n_parameters)
    fails_with("01-forward-pass", "01-shapes", namespace, phrase)


def test_01_a_missing_parameter_count_is_named():
    namespace = _namespace_01()
    del namespace["n_parameters"]
    fails_with("01-forward-pass", "01-shapes", namespace, "set n_parameters too")


# --- 03 ------------------------------------------------------------------------------------


def _namespace_03(**answer):
    namespace = {"np": np, "approximation": approximation}
    run_solution("03-universal-approximation", "03-bump", namespace)
    run_solution("03-universal-approximation", "03-predict-pieces", namespace)
    return {**namespace, **answer}


@pytest.mark.parametrize(
    ("grade_id", "printed"),
    [("03-bump", "visible tests passed"), ("03-predict-pieces", "form OK")],
)
def test_03_the_solutions_pass_their_visible_tests(grade_id, printed, capsys):
    run_visible("03-universal-approximation", grade_id, _namespace_03())
    assert printed in capsys.readouterr().out


@pytest.mark.parametrize("wrong", NB03.WRONG_ANSWERS["03-bump"], ids=answer_id)
def test_03_the_visible_test_catches_every_wrong_bump(wrong):
    fails_with("03-universal-approximation", "03-bump", _namespace_03(bump=wrong))


@pytest.mark.parametrize(
    ("wrong", "phrases"),
    [
        (NB03.swapped_signs, ["above 1/2 at no x, with values from -1 to 0: upside down"]),
        (
            NB03.full_width_on_each_side,
            ["steps up at center - width/2 = 0.7", "Yours is above 1/2 from x = 0.405 to 1.595"],
        ),
        (NB03.center_as_left_edge, ["Yours is above 1/2 from x = 1.005 to 1.595"]),
        (
            NB03.steepness_outside,
            ["above 1/2 at no x, with values from 0 to 0.149", "steepness * (x - edge) = 0"],
        ),
        (NB03.product_of_the_steps, ["the steps are right", "got [0.1804, 0.4763, 0.6684"]),
        (NB03.logistic_from_tanh, ["the steps are right", "got [0.0473, 0.4975, 0.9051"]),
    ],
    ids=lambda value: answer_id(value) or "",
)
def test_03_the_bump_messages_say_what_was_expected_and_what_came(wrong, phrases):
    fails_with("03-universal-approximation", "03-bump", _namespace_03(bump=wrong), *phrases)


@pytest.mark.parametrize(
    ("wrong", "cause", "phrases"),
    [
        (
            NB03.logistic_with_math_exp,
            TypeError,
            ["bump raised TypeError: only length-1 arrays", "math.exp takes single numbers only"],
        ),
        (
            NB03.stable_logistic_with_if,
            ValueError,
            ["bump raised ValueError: The truth value", "an `if` cannot decide for a whole array"],
        ),
    ],
    ids=["math-exp", "if"],
)
def test_03_an_error_of_the_students_bump_on_an_array_is_explained(wrong, cause, phrases):
    namespace = _namespace_03(bump=wrong)
    error = fails_with("03-universal-approximation", "03-bump", namespace, *phrases)
    assert isinstance(error.__cause__, cause)


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (None, "bump returned None: did you forget `return`?"),
        ([0.0, 1.0], "bump must return a numpy array, one value per x, shape (401,); got list"),
    ],
    ids=["none", "list"],
)
def test_03_a_bump_of_the_wrong_kind_gets_a_message(value, phrase):
    namespace = _namespace_03(bump=lambda x, center, width, steepness: value)
    fails_with("03-universal-approximation", "03-bump", namespace, phrase)


@pytest.mark.parametrize("n_pieces", NB03.WRONG_ANSWERS["03-predict-pieces"], ids=repr)
def test_03_the_visible_test_checks_the_form_of_the_count_only(n_pieces):
    """A wrong whole number passes (the exception of the module docstring); a float does not."""
    namespace = _namespace_03(n_pieces=n_pieces)
    if isinstance(n_pieces, int):
        run_visible("03-universal-approximation", "03-predict-pieces", namespace)
    else:
        fails_with("03-universal-approximation", "03-predict-pieces", namespace, "must be an int")


@pytest.mark.parametrize(
    ("n_pieces", "phrase"),
    [("36", "must be an int, got str '36'"), (True, "got bool"), (0, "at least one linear piece")],
    ids=["str", "bool", "zero"],
)
def test_03_a_count_of_the_wrong_form_gets_a_message(n_pieces, phrase):
    namespace = _namespace_03(n_pieces=n_pieces)
    fails_with("03-universal-approximation", "03-predict-pieces", namespace, phrase)
