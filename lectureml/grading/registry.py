"""The check registry: what each `expect(name, answer)` compares the answer against.

Checks live in `lectureml.grading.checks`, one module per course notebook; every module
there is imported the first time a check is looked up. A check is either

- a *function check*, registered by decorating the reference implementation with
  `@function_check(name, cases=..., rtol=..., atol=..., check_dtype=...)`: the student's
  function is called on each case and its outputs compared with the reference's; or
- a *value check*, registered with `value_check(name, expected=..., rtol=..., atol=...)`
  for a fixed answer, or by decorating a judge `judge(value) -> (ok, message)` with
  `@value_check(name)` for answers that are judged by what they do.

Cases are generated from a seed derived from the check's name, so the student's kernel and
the grader's process build identical inputs without exchanging them.
"""

import copy
import importlib
import pkgutil
import sys
import threading
import zlib
from dataclasses import dataclass, field

import numpy as np

DEFAULT_RTOL = 1e-5
DEFAULT_ATOL = 1e-8
CHECKS_PACKAGE = "lectureml.grading.checks"

_registry = {}
_discovered = False
_lock = threading.RLock()


@dataclass(frozen=True)
class Call:
    """Arguments of one call of a checked function: `function(*args, **kwargs)`."""

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def describe(self):
        parts = [summarize(value) for value in self.args]
        parts += [f"{key}={summarize(value)}" for key, value in self.kwargs.items()]
        return ", ".join(parts)


def call(*args, **kwargs):
    """A case mixing positional and keyword arguments, e.g. `call(x, w, padding=1)`."""
    return Call(args, kwargs)


def summarize(value, limit=60):
    """A short description of a value that never prints a whole array."""
    if isinstance(value, np.ndarray):
        return f"array {value.shape} {value.dtype}"
    if isinstance(value, np.random.Generator):
        return "Generator"
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _as_call(case, name):
    if isinstance(case, Call):
        return case
    if isinstance(case, tuple):
        return Call(case, {})
    if isinstance(case, dict):
        return Call((), dict(case))
    raise TypeError(
        f"check {name!r}: each case must be a tuple of positional arguments, a dict of "
        f"keyword arguments or call(...), got {type(case).__name__}"
    )


def case_seed(name):
    """The seed of a check's cases: stable across processes and Python versions."""
    return zlib.crc32(name.encode("utf-8"))


@dataclass(eq=False)
class FunctionCheck:
    """Call the answer on every case; compare with the reference's outputs."""

    name: str
    reference: object
    cases: object
    rtol: float
    atol: float
    check_dtype: bool
    module: str
    origin: str = ""
    kind = "function"

    def make_cases(self):
        """Fresh cases (a list of Call): each call gets its own copy to mutate."""
        rng = np.random.default_rng(case_seed(self.name))
        raw = self.cases(rng) if callable(self.cases) else copy.deepcopy(list(self.cases))
        return [_as_call(case, self.name) for case in raw]

    def reference_outputs(self):
        """[(case, reference output)], computed once per process."""
        with _lock:
            if not hasattr(self, "_reference_outputs"):
                cases = self.make_cases()
                # The reference gets its own copies, so one that mutates its inputs cannot
                # change the cases kept for messages.
                outputs = [self.reference(*c.args, **c.kwargs) for c in self.make_cases()]
                self._reference_outputs = list(zip(cases, outputs, strict=True))
            return self._reference_outputs


@dataclass(eq=False)
class ValueCheck:
    """Compare the answer with `expected`, or ask `judge(answer) -> (ok, message)`."""

    name: str
    expected: object
    judge: object
    rtol: float
    atol: float
    module: str
    origin: str = ""
    kind = "value"


def _module_name(qualified):
    prefix = CHECKS_PACKAGE + "."
    return qualified[len(prefix) :] if qualified.startswith(prefix) else qualified


def _register(check, origin):
    with _lock:
        existing = _registry.get(check.name)
        if existing is not None and existing.origin != origin:
            raise ValueError(
                f"check {check.name!r} is already registered by {existing.origin}; "
                f"check names must be unique (use the '<nb>-<name>' of the exercise)"
            )
        check.origin = origin
        _registry[check.name] = check
    return check


def _validate_name(name):
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"check name must be a non-empty str, got {summarize(name)}")


def function_check(name, cases, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL, check_dtype=False):
    """Decorator registering a reference function as the check `name`.

    Args:
        name: the name hidden tests pass to `expect`, e.g. "04-conv2d".
        cases: `cases(rng) -> list` or a list; each case is a tuple of positional
            arguments, a dict of keyword arguments, or `call(*args, **kwargs)`.
            `rng` is a numpy Generator seeded from `name`.
        rtol, atol: tolerances of the comparison |got - expected| <= atol + rtol*|expected|.
        check_dtype: also require each array output to have the reference's dtype.
    """
    _validate_name(name)
    if not (callable(cases) or isinstance(cases, (list, tuple))):
        raise TypeError(f"cases must be a function of rng or a list, got {summarize(cases)}")

    def register(reference):
        origin = f"{reference.__module__}.{reference.__qualname__}"
        check = FunctionCheck(
            name, reference, cases, rtol, atol, check_dtype, _module_name(reference.__module__)
        )
        _register(check, origin)
        return reference

    return register


_NO_VALUE = object()


def value_check(name, expected=_NO_VALUE, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL):
    """Register a value check `name`.

    With `expected`, registers it at once: the answer must equal `expected` (numbers and
    arrays within rtol/atol, sequences element by element, dicts key by key).
    Without it, returns a decorator for a judge `judge(value) -> (ok, message)`; the judge
    runs in the grader's process on the decoded answer (numbers, str, lists, tuples, dicts,
    numpy arrays) and must validate it before using it. Its message is shown to the student:
    say what is wrong, never what the answer is.
    """
    _validate_name(name)
    if expected is not _NO_VALUE:
        module = sys._getframe(1).f_globals.get("__name__", "?")
        check = ValueCheck(name, expected, None, rtol, atol, _module_name(module))
        return _register(check, f"{module}:{name}")

    def register(judge):
        origin = f"{judge.__module__}.{judge.__qualname__}"
        _register(ValueCheck(name, None, judge, rtol, atol, _module_name(judge.__module__)), origin)
        return judge

    return register


def _import_checks(wanted=None):
    """Import the check modules whose names `wanted(module_name)` accepts (default: all)."""
    global _discovered
    with _lock:
        package = importlib.import_module(CHECKS_PACKAGE)
        for module in pkgutil.iter_modules(package.__path__):
            if not module.name.startswith("_") and (wanted is None or wanted(module.name)):
                importlib.import_module(f"{CHECKS_PACKAGE}.{module.name}")
        _discovered = _discovered or wanted is None


def all_checks():
    """Every registered check, by name (imports every module of lectureml.grading.checks)."""
    if not _discovered:
        _import_checks()
    return dict(sorted(_registry.items()))


def get_check(name):
    """The check called `name`; LookupError naming the registered checks otherwise.

    A name "<NN>-..." is looked up in the modules nb<NN>_*.py first, so a notebook's
    hidden tests import only its own checks; any other name imports every module.
    """
    if name not in _registry:
        prefix = str(name).split("-", 1)[0]
        _import_checks(lambda module: module == prefix or module.startswith(f"nb{prefix}_"))
    if name not in _registry:
        all_checks()
    try:
        return _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry)) or "none"
        raise LookupError(
            f"no check named {name!r} is registered in {CHECKS_PACKAGE} (registered: {known})"
        ) from None
