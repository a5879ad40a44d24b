"""Helpers of notebook 08: operation counts and timing, the feature-map explorer, the checks."""

import re

import numpy as np
import pytest

from lectureml import layers, profiling
from lectureml.grading.checks import nb08_deep_cnn
from lectureml.widgets.deep_cnn import feature_map_explorer


def _tiny_cnn(dtype=np.float32):
    rng = np.random.default_rng(0)
    return layers.Sequential(
        layers.Conv2D(1, 2, kernel_size=3, rng=rng, dtype=dtype),
        layers.ReLU(),
        layers.MaxPool2D(2),
        layers.Flatten(),
        layers.Dropout(0.5, rng=rng),
        layers.Dense(2 * 3 * 3, 4, rng=rng, dtype=dtype),
    )


def test_training_step_flops_counts_every_layer_by_hand():
    # Input 1x8x8, batch 5: conv 2 filters 3x3 -> 2x6x6, pool -> 2x3x3, Dense 18 -> 4.
    costs = profiling.training_step_flops(_tiny_cnn(), (1, 8, 8), 5)
    conv_outputs = 5 * 2 * 6 * 6
    expected = [
        ("0 Conv2D 1->2 3x3", 3 * 2 * conv_outputs * 9, 2 * conv_outputs + conv_outputs * 9 // 2),
        ("1 ReLU", 0, 2 * conv_outputs),
        ("2 MaxPool2D 2x2", 0, 5 * 18 * 3 + conv_outputs),
        ("3 Flatten", 0, 0),
        ("4 Dropout", 0, 2 * 5 * 18),
        ("5 Dense 18->4", 3 * 2 * 5 * 18 * 4, 2 * 5 * 4),
        ("loss", 0, 5 * 5 * 4),
        ("SGD update", 0, 4 * (2 * 10 + 19 * 4)),
    ]
    assert [(c.name, c.matmul_flops, c.other_flops) for c in costs] == expected


def test_matmul_share_of_a_lenet_is_above_95_percent():
    costs = profiling.training_step_flops(
        nb08_deep_cnn.judge_network(np.random.default_rng(0)), (1, 28, 28), 64
    )
    matmul = sum(c.matmul_flops for c in costs)
    assert matmul / (matmul + sum(c.other_flops for c in costs)) > 0.95


def test_profile_training_step_times_a_copy_and_leaves_the_model_alone():
    model = _tiny_cnn()
    before = {name: param.copy() for name, param in model.params.items()}
    x = np.random.default_rng(1).random((5, 1, 8, 8)).astype(np.float32)
    seconds = profiling.profile_training_step(model, x, np.array([0, 1, 2, 3, 0]), steps=2)
    assert list(seconds) == [c.name for c in profiling.training_step_flops(model, (1, 8, 8), 5)]
    assert all(value >= 0 for value in seconds.values())
    assert seconds["0 Conv2D 1->2 3x3"] > 0
    for name, param in model.params.items():
        np.testing.assert_array_equal(param, before[name])


def test_time_matmuls_is_zero_exactly_for_layers_without_products():
    seconds = profiling.time_matmuls(_tiny_cnn(), (1, 8, 8), 4, np.random.default_rng(0), repeats=1)
    assert len(seconds) == 6
    assert [value > 0 for value in seconds] == [True, False, False, False, False, True]


def test_peak_matmul_gflops_is_the_operations_over_the_fastest_time(monkeypatch):
    # A fake clock: the warm-up is untimed, then the three timed products take 0.3, 0.2, 0.4 s.
    ticks = iter([10.0, 10.3, 20.0, 20.2, 30.0, 30.4])
    monkeypatch.setattr(profiling.time, "perf_counter", lambda: next(ticks))
    rate = profiling.peak_matmul_gflops(size=64, dtype=np.float64, repeats=3)
    assert rate == pytest.approx(2 * 64**3 / 0.2 / 1e9, rel=1e-9)
    assert next(ticks, None) is None


@pytest.mark.parametrize(
    ("dtype", "given"),
    [(np.int32, "type <class 'numpy.int32'>"), ("foo", "str 'foo'"), (None, "NoneType None")],
)
def test_peak_matmul_gflops_rejects_a_dtype_other_than_float32_or_float64(dtype, given):
    with pytest.raises(
        TypeError, match=re.escape(f"dtype must be np.float32 or np.float64, got {given}")
    ):
        profiling.peak_matmul_gflops(size=8, dtype=dtype)


def test_training_step_flops_names_the_bad_entry_of_input_shape_and_takes_numpy_ints():
    model = _tiny_cnn()
    with pytest.raises(ValueError, match=r"input_shape\[1\] must be an integer >= 1, got 0"):
        profiling.training_step_flops(model, (1, 0, 8), 2)
    with pytest.raises(TypeError, match=r"input_shape\[2\] must be an integer, got float 2\.0"):
        profiling.training_step_flops(model, (1, 2, 2.0), 2)
    with pytest.raises(ValueError, match=r"input_shape must be a non-empty tuple.*got \(\)"):
        profiling.training_step_flops(model, (), 2)
    numpy_sizes = (1, np.int64(8), np.int64(8))
    assert profiling.training_step_flops(model, numpy_sizes, 5) == profiling.training_step_flops(
        model, (1, 8, 8), 5
    )


def test_profile_training_step_names_x_and_the_model_output():
    model = _tiny_cnn()
    labels = np.zeros(5, dtype=int)
    # The same batch checks as fit() and evaluate(), so the messages name x, not input_shape.
    for shape in [(5,), (5, 1, 0, 8)]:
        with pytest.raises(
            ValueError,
            match=r"x must be a non-empty batch with the examples along axis 0, "
            r"shape \(N, \.\.\.\) with every axis at least 1 long, got shape "
            + re.escape(str(shape)),
        ):
            profiling.profile_training_step(model, np.zeros(shape), labels)
    with pytest.raises(ValueError, match=r"x must be finite, got nan at index \(0, 0, 0, 0\)$"):
        profiling.profile_training_step(model, np.full((5, 1, 8, 8), np.nan), labels)
    with pytest.raises(
        ValueError,
        match=r"model must output logits of shape \(N, K\) for x of shape \(N, 1, 8, 8\), "
        r"got outputs of shape \(N, 2, 3, 3\); end it with Flatten\(\) and Dense",
    ):
        profiling.profile_training_step(model[:3], np.zeros((5, 1, 8, 8)), labels)


def test_profiling_errors_name_argument_expected_and_given():
    model = _tiny_cnn()
    with pytest.raises(TypeError, match=r"model must be a Sequential.*got Dense"):
        profiling.training_step_flops(model[5], (1, 8, 8), 2)
    with pytest.raises(TypeError, match=r"input_shape must be a tuple.*\(1, 28, 28\).*got list"):
        profiling.training_step_flops(model, [1, 8, 8], 2)
    with pytest.raises(ValueError, match=r"batch_size must be an integer >= 1, got 0"):
        profiling.time_matmuls(model, (1, 8, 8), 0, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*got int 0"):
        profiling.time_matmuls(model, (1, 8, 8), 2, 0)
    with pytest.raises(
        ValueError, match=r"y must have shape \(2,\), one label per example of x, got shape \(3,\)"
    ):
        profiling.profile_training_step(model, np.zeros((2, 1, 8, 8)), np.zeros(3, dtype=int))
    with pytest.raises(TypeError, match=r"y must be an integer numpy array.*dtype float64"):
        profiling.profile_training_step(model, np.zeros((2, 1, 8, 8)), np.zeros(2))
    with pytest.raises(TypeError, match=r"layer must be a lectureml Layer.*got str"):
        profiling.layer_name(0, "conv")


def test_feature_map_explorer_rejects_bad_arguments():
    images = np.zeros((3, 1, 8, 8), dtype=np.float32)
    with pytest.raises(TypeError, match=r"model must be a trained Sequential CNN, got list"):
        feature_map_explorer([], images, np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match=r"labels must be an array of shape \(3,\).*got"):
        feature_map_explorer(_tiny_cnn(), images, np.zeros(2, dtype=int))


def test_lenet_reference_answers_match_the_library():
    rng = np.random.default_rng(0)
    model = layers.Sequential(
        layers.Conv2D(1, 6, kernel_size=5, rng=rng, padding=2),
        layers.ReLU(),
        layers.MaxPool2D(2),
        layers.Conv2D(6, 16, kernel_size=5, rng=rng),
        layers.ReLU(),
        layers.MaxPool2D(2),
        layers.Flatten(),
        layers.Dense(400, 120, rng=rng),
        layers.ReLU(),
        layers.Dense(120, 84, rng=rng),
        layers.ReLU(),
        layers.Dense(84, 10, rng=rng),
    )
    assert nb08_deep_cnn.lenet_reference_shapes() == model.output_shapes((1, 28, 28))
    assert nb08_deep_cnn.lenet_reference_parameters() == [layer.num_parameters for layer in model]
    assert sum(nb08_deep_cnn.lenet_reference_parameters()) == 61_706
    assert nb08_deep_cnn.judge_lenet_model(nb08_deep_cnn.describe_network(model)) == (True, "")


def test_describe_network_reports_foreign_layers_and_broken_models():
    class HomeMadeReLU(layers.ReLU):
        pass

    description = nb08_deep_cnn.describe_network(
        layers.Sequential(HomeMadeReLU(), layers.Flatten())
    )
    assert description["layers"][0]["type"] == "other: HomeMadeReLU"
    assert description["output_shape"] == (2, 784)
    rng = np.random.default_rng(0)
    broken = layers.Sequential(layers.Flatten(), layers.Dense(10, 2, rng=rng))
    assert "ValueError" in nb08_deep_cnn.describe_network(broken)["output_shape"]
    assert nb08_deep_cnn.describe_network("lenet")["layers"] == []


@pytest.mark.parametrize(
    "answer",
    [
        [1, 2],
        {"learning_rate": 0.05, "momentum": 0.9},
        {"learning_rate": True, "momentum": 0.9, "batch_size": 32},
        {"learning_rate": 0.05, "momentum": 1.0, "batch_size": 32},
        {"learning_rate": 0.05, "momentum": 0.9, "batch_size": 4},
        {"learning_rate": 0.05, "momentum": 0.9, "batch_size": 32.0},
    ],
)
def test_hyperparameter_judge_rejects_malformed_answers_without_training(answer):
    ok, message = nb08_deep_cnn.judge_hyperparameters(answer)
    assert not ok
    assert message
    with pytest.raises(ValueError, match=re.escape(message)):
        nb08_deep_cnn.validation_accuracy(answer)
