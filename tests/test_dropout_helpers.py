"""Tests for notebook 07's helpers: the dropout-forward judge and the widget's thinned network."""

import json

import numpy as np
import pytest

from lectureml import layers
from lectureml.dropout import dropout
from lectureml.grading import records, registry
from lectureml.grading.checks.nb07_dropout import (
    FORWARD_SCENARIOS,
    judge_dropout_forward,
    record_dropout_forward,
)
from lectureml.grading.verdict import decide
from lectureml.widgets.dropout import small_network_parts, thinned_probabilities


def _verdict(record):
    check = registry.get_check("07-dropout-forward")
    return decide(json.loads(records.dumps(records.observe(check, record))))


def keep_below_one_minus_p(x, p, rng, training=True):
    """Correct, but draws the mask another way than lectureml does (keep when u < 1 - p)."""
    if not training:
        return x.copy(), np.ones_like(x)
    mask = np.where(rng.uniform(size=x.shape) < 1 - p, 1 / (1 - p), 0.0).astype(x.dtype)
    return x * mask, mask


@pytest.mark.parametrize("answer", [dropout, keep_below_one_minus_p])
def test_the_judge_accepts_correct_dropout_however_the_mask_is_drawn(answer):
    verdict = _verdict(record_dropout_forward(answer))
    assert verdict.ok, verdict.message


def test_the_judge_rejects_records_that_are_not_a_record_of_the_scenarios():
    ok, message = judge_dropout_forward("a string")
    assert not ok and "record_dropout_forward(dropout_forward)" in message
    incomplete = record_dropout_forward(dropout)
    del incomplete["keep_all"]
    assert not judge_dropout_forward(incomplete)[0]


def test_the_record_reports_a_raising_function_and_a_wrong_return():
    def not_implemented(x, p, rng, training=True):
        raise NotImplementedError()

    record = record_dropout_forward(not_implemented)
    assert set(record) == set(FORWARD_SCENARIOS)
    assert record["batch"] == {"error": "NotImplementedError: "}
    assert _verdict(record).message.endswith("raised NotImplementedError: ")
    only_out = record_dropout_forward(lambda x, p, rng, training=True: x * 2)
    assert "returned a single numpy array of shape (40, 100)" in _verdict(only_out).message


def _toy_network(rng, p=0.5):
    return layers.Sequential(
        layers.Dense(2, 5, rng, dtype=np.float64),
        layers.ReLU(),
        layers.Dropout(p, rng),
        layers.Dense(5, 2, rng, dtype=np.float64),
    )


def _softmax(logits):
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def test_thinned_probabilities_with_every_unit_kept_is_the_full_network():
    rng = np.random.default_rng(0)
    model = _toy_network(rng)
    x = rng.standard_normal((6, 2))
    full = thinned_probabilities(model, x, np.ones(5, dtype=bool), 0.0)
    np.testing.assert_allclose(full, _softmax(model.forward(x, training=False)), rtol=1e-12)


def test_thinned_probabilities_match_the_dropout_layer_with_the_same_mask():
    rng = np.random.default_rng(1)
    model = _toy_network(rng, p=0.4)
    x = rng.standard_normal((3, 2))
    keep = np.array([True, False, True, True, False])
    first, _, _, second = model
    hidden = np.maximum(first.forward(x), 0) * keep / 0.6
    expected = _softmax(second.forward(hidden))
    np.testing.assert_allclose(thinned_probabilities(model, x, keep, 0.4), expected, rtol=1e-12)
    # Several masks at once: one (N, K) block per mask.
    keeps = np.array([keep, np.ones(5, dtype=bool)])
    stacked = thinned_probabilities(model, x, keeps, 0.4)
    assert stacked.shape == (2, 3, 2)
    np.testing.assert_allclose(stacked[0], expected, rtol=1e-12)


def test_small_network_parts_names_the_expected_and_the_given_layers():
    rng = np.random.default_rng(2)
    wrong = layers.Sequential(layers.Dense(2, 3, rng), layers.ReLU(), layers.Dense(3, 2, rng))
    with pytest.raises(ValueError, match=r"Dropout\(p\).*got \['Dense', 'ReLU', 'Dense'\]"):
        small_network_parts(wrong)


def test_thinned_probabilities_rejects_a_mask_of_the_wrong_shape():
    model = _toy_network(np.random.default_rng(3))
    with pytest.raises(ValueError, match=r"keep must be a boolean array of shape \(5,\).*\(4,\)"):
        thinned_probabilities(model, np.zeros((1, 2)), np.ones(4, dtype=bool), 0.5)
