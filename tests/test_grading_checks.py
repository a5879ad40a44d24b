"""Checks, records and decisions of lectureml.grading, and every check's wrong answers."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from lectureml.grading import call, expect, function_check, records, registry, value_check
from lectureml.grading.expectations import RECORD_ENV
from lectureml.grading.records import RecordError, Unencodable, decode, encode
from lectureml.grading.verdict import compare, decide, is_integer, key_problem, plain

WRONG_ANSWERS_DIR = Path(__file__).parent / "wrong_answers"


@pytest.fixture
def scratch_checks():
    """Register test-only checks, removed afterwards so they never reach other tests."""
    before = set(registry.all_checks())
    yield
    for name in set(registry._registry) - before:
        del registry._registry[name]


def _round_trip(record):
    return json.loads(records.dumps(record))


def _decide(name, answer):
    return decide(_round_trip(records.observe(registry.get_check(name), answer)))


# --- registry ------------------------------------------------------------------------------


def test_function_check_builds_seeded_cases_of_every_form(scratch_checks):
    @function_check("test-scale", cases=lambda rng: [(rng.random(3),), {"x": 2.0}, call(4.0, k=3)])
    def scale(x, k=2):
        return k * x

    check = registry.get_check("test-scale")
    first, second = check.make_cases(), check.make_cases()
    np.testing.assert_array_equal(first[0].args[0], second[0].args[0])
    assert first[0].args[0] is not second[0].args[0]  # fresh copies for every observation
    assert [c.kwargs for c in first] == [{}, {"x": 2.0}, {"k": 3}]
    assert first[2].describe() == "4.0, k=3"
    assert [out for _, out in check.reference_outputs()][1:] == [4.0, 12.0]


def test_registering_a_name_twice_from_elsewhere_is_refused(scratch_checks):
    value_check("test-twice", expected=1)
    value_check("test-twice", expected=1)  # the same module again, as on a reload
    with pytest.raises(ValueError, match="'fixture-relu' is already registered by"):
        function_check("fixture-relu", cases=[])(lambda a: a)


def test_a_case_of_the_wrong_type_names_the_check(scratch_checks):
    function_check("test-bad-case", cases=[[1, 2]])(lambda a, b: a)
    with pytest.raises(TypeError, match="check 'test-bad-case': each case must be a tuple"):
        registry.get_check("test-bad-case").make_cases()


def test_registration_arguments_are_validated():
    with pytest.raises(TypeError, match="check name must be a non-empty str, got 3"):
        value_check(3, expected=1)
    with pytest.raises(TypeError, match="cases must be a function of rng or a list, got 5"):
        function_check("test-x", cases=5)


def test_an_unknown_check_lists_the_registered_ones():
    with pytest.raises(LookupError, match=r"no check named 'nope' .*fixture-kernel, fixture-relu"):
        expect("nope", 1)


# --- records -------------------------------------------------------------------------------


def test_records_round_trip_plain_data_exactly():
    value = {
        "w": np.arange(6, dtype=np.float32).reshape(2, 3) / 3,
        "mask": np.array([True, False]),
        "shape": (2, 3),
        "layers": [1, 2.5, None, "relu"],
        "scalar": np.float32(0.1),
        "nan": float("nan"),
        "empty": np.zeros((0, 4), dtype=np.int64),
    }
    back = decode(_round_trip(encode(value)))
    assert back["w"].dtype == np.float32 and np.array_equal(back["w"], value["w"])
    assert back["mask"].dtype == np.bool_ and back["empty"].shape == (0, 4)
    assert back["shape"] == (2, 3) and isinstance(back["shape"], tuple)
    assert back["layers"] == [1, 2.5, None, "relu"]
    assert back["scalar"] == np.float32(0.1) and back["scalar"].dtype == np.float32
    assert np.isnan(back["nan"])


def test_anything_but_plain_data_is_recorded_as_its_description():
    assert decode(encode(lambda x: x)) == Unencodable("a function")
    assert decode(encode(object())) == Unencodable("an object object")
    assert decode(encode(np.array(["a"]))) == Unencodable("a numpy array of dtype <U1")
    assert decode(encode({1: "int key"})) == Unencodable("a dict object")
    too_big = np.broadcast_to(np.zeros(1), (records.MAX_ARRAY_ELEMENTS + 1,))
    assert "too large" in decode(encode(too_big)).description


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"__ndarray__": "object", "shape": [1], "data": [1]}, "malformed __ndarray__"),
        ({"__ndarray__": "float64", "shape": [2, 2], "data": [1.0]}, r"shape \(2, 2\) with 1"),
        ({"__ndarray__": "float64", "shape": [1], "data": ["x"]}, "data must be numbers"),
        ({"__ndarray__": "int8", "shape": [1], "data": [1000]}, "does not fit int8"),
        ({"__tuple__": [], "__dict__": {}}, "exactly one type tag"),
        ({"plain": 1}, "exactly one type tag"),
        ({"__scalar__": "float64", "value": "1"}, "without a numeric value"),
    ],
)
def test_malformed_records_are_refused(node, message):
    with pytest.raises(RecordError, match=message):
        decode(node)


def test_parse_keeps_line_offsets_and_skips_junk():
    lines = [b'{"check": "a", "kind": "value", "value": 1}', b"not json", b"[1, 2]", b'{"x": 1}']
    data = b"\n".join(lines) + b'\n{"check": "b"}\n{"check": "cut'
    second = data.index(b'{"check": "b"}')
    assert records.parse(data) == [
        (0, {"check": "a", "kind": "value", "value": 1}),
        (second, {"check": "b"}),
    ]


# --- decisions -----------------------------------------------------------------------------


def test_compare_reports_shape_dtype_and_worst_entry():
    want = np.array([[0.0, 1.0], [2.0, 3.0]])
    assert compare(want.copy(), want, 1e-5, 1e-8) is None
    shape = compare(want.T.ravel(), want, 1e-5, 1e-8)
    assert shape.message == "output has shape (4,), expected (2, 2)"
    assert shape.public == "output has shape (4,), which is not the expected shape"
    dtype = compare(want.astype(np.float32), want, 1e-5, 1e-8, check_dtype=True)
    assert dtype.message == "output has dtype float32, expected float64"
    values = compare(want + np.array([[0, 0], [0, 0.5]]), want, 1e-5, 1e-8)
    assert values.message == (
        "output differs in 1 of 4 entries; largest error 0.5 at index (1, 1): expected 3.0, got 3.5"
    )
    assert "3.0" not in values.public and "index (1, 1)" in values.public
    negative_zero = compare(np.array([-1.5]), np.array([-0.0]), 1e-5, 1e-8)
    assert negative_zero.message.endswith("expected 0.0, got -1.5")


def test_compare_of_structures_numbers_and_nan():
    assert compare((1, np.float64(2.0)), [1.0, 2.0 + 1e-9], 1e-6, 0) is None
    keys = compare({"a": 1}, {"a": 1, "b": 2}, 0, 0)
    assert keys.public == "output does not have the expected keys"
    assert compare(True, 1, 0, 0).message == "output is True, expected 1"
    assert compare(float("nan"), float("nan"), 0, 0) is None
    assert compare(np.array([np.nan]), np.array([1.0]), 0, 0).message.startswith("output differs")
    assert compare([1, 2], np.array([1, 2]), 0, 0).public == "output is a list, not a numpy array"
    # numpy 2 writes np.float64(0.5566); a student should read the number.
    assert compare(np.float64(0.5566), 0.25, 0, 0).public == (
        "output is 0.5566, which is not the expected value"
    )


def test_answers_are_shown_as_a_student_would_type_them():
    assert plain(np.int64(12)) == "12" and plain(np.float64(2416.0)) == "2416.0"
    assert plain((np.int64(6),)) == "(6,)" and plain([300, np.int32(256)]) == "[300, 256]"
    assert plain(np.zeros((2, 3))) == "a numpy array of shape (2, 3)"
    assert plain("x" * 100) == "'" + "x" * 56 + "..."
    assert [is_integer(v) for v in (3, np.int64(3), 3.0, True, np.bool_(True))] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_a_dict_answer_names_only_the_keys_that_are_wrong():
    expected = {"a": 1, "b": 2}
    assert key_problem({"a": 0, "b": 0}, expected, "sizes") == ""
    assert key_problem({"a": 0}, expected, "sizes") == "sizes misses the keys ['b']"
    assert key_problem({"a": 0, "b": 0, "c": 0}, expected, "sizes") == (
        "sizes has the unexpected keys ['c']"
    )
    assert key_problem({"a": 0, 3: 0}, expected, "sizes") == (
        "sizes misses the keys ['b'] and has the unexpected keys [3]"
    )
    assert key_problem([1, 2], expected, "sizes") == (
        "sizes must be a dict with the keys ['a', 'b'], got a list"
    )


def test_every_function_case_runs_and_an_exception_is_one_case():
    def relu_failing_on_float32(a):
        if a.dtype == np.float32:
            raise ValueError("float32 not supported")
        return np.maximum(a, 0)

    verdict = _decide("fixture-relu", relu_failing_on_float32)
    assert not verdict.ok
    assert verdict.message == (
        "check 'fixture-relu': case 2 of 4 (array (2, 3, 4) float32) raised "
        "ValueError: float32 not supported"
    )


def test_a_judges_exception_or_message_rejects_the_answer():
    verdict = _decide("fixture-kernel", "a string")
    assert not verdict.ok and verdict.feedback == (
        "check 'fixture-kernel': the kernel must be a 3 x 3 array of numbers"
    )
    assert _decide("fixture-kernel", np.array([[-1, 0, 1]] * 3)).ok


def test_decide_rejects_forged_or_mismatched_records():
    assert decide({"check": "fixture-shape", "kind": "function", "outputs": []}).message == (
        "check 'fixture-shape': the recorded answer is malformed (record of kind 'function' "
        "for a value check)"
    )
    short = decide({"check": "fixture-relu", "kind": "function", "outputs": [{"value": 1}]})
    assert "without one output per case" in short.message
    assert not decide({"check": "no-such-check", "kind": "value", "value": 1}).ok


# --- expect in its two modes ---------------------------------------------------------------


def test_expect_asserts_in_the_kernel_outside_grading(monkeypatch):
    monkeypatch.delenv(RECORD_ENV, raising=False)
    expect("fixture-shape", (8, 16, 30, 30))
    with pytest.raises(AssertionError, match="the answer has 1 items, which is not the expected"):
        expect("fixture-shape", [8])
    with pytest.raises(AssertionError, match=r"case 1 of 4 \(array \(4, 5\) float64\)"):
        expect("fixture-relu", np.abs)


def test_expect_under_grading_records_and_never_decides(monkeypatch, tmp_path):
    record_file = tmp_path / "records.jsonl"
    monkeypatch.setenv(RECORD_ENV, str(record_file))
    expect("fixture-relu", np.abs)  # wrong, yet no AssertionError: the grader decides
    expect("fixture-shape", (8, 16, 30, 30))
    parsed = records.parse(record_file.read_bytes())
    assert [r["check"] for _, r in parsed] == ["fixture-relu", "fixture-shape"]
    assert [decide(r).ok for _, r in parsed] == [False, True]


def test_patching_numpy_in_the_answers_process_cannot_sway_the_decision(monkeypatch, tmp_path):
    monkeypatch.setenv(RECORD_ENV, str(tmp_path / "records.jsonl"))
    with monkeypatch.context() as patched:
        patched.setattr(np, "allclose", lambda *args, **kwargs: True)
        patched.setattr(np, "isfinite", lambda *args, **kwargs: True)
        expect("fixture-relu", lambda a: np.clip(a, 0, 1))
    ((_, record),) = records.parse((tmp_path / "records.jsonl").read_bytes())
    assert not decide(record).ok


# --- every registered check: its reference passes, its wrong answers fail -------------------


def _wrong_answers(module):
    path = WRONG_ANSWERS_DIR / f"{module}.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"wrong_answers_{module}", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return getattr(loaded, "WRONG_ANSWERS", {})


CHECKS = registry.all_checks()
WRONG = {name: _wrong_answers(check.module).get(name, []) for name, check in CHECKS.items()}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_check_has_at_least_two_wrong_answers(name):
    module = CHECKS[name].module
    assert len(WRONG[name]) >= 2, (
        f"check {name!r} needs at least two plausible wrong answers in "
        f"tests/wrong_answers/{module}.py (WRONG_ANSWERS[{name!r}]), has {len(WRONG[name])}"
    )


@pytest.mark.parametrize(
    ("name", "number"),
    [(name, number) for name in sorted(CHECKS) for number in range(len(WRONG[name]))],
)
def test_wrong_answer_is_rejected_by_the_graders_decision(name, number):
    verdict = _decide(name, WRONG[name][number])
    assert not verdict.ok, f"wrong answer {number} of {name!r} was accepted"
    assert verdict.feedback.startswith(f"check {name!r}: ")


@pytest.mark.parametrize(
    "name", sorted(n for n, c in CHECKS.items() if c.kind == "function" or c.judge is None)
)
def test_the_reference_answer_is_accepted(name):
    check = CHECKS[name]
    answer = check.reference if check.kind == "function" else check.expected
    verdict = _decide(name, answer)
    assert verdict.ok, verdict.message
