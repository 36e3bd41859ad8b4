"""What a topic's spec is made of: checks, known mistakes, forbidden calls.

A spec module (grader/specs/NAME.py) builds one ``Spec`` and registers its checks and
mistakes with decorators::

    SPEC = Spec("softmax", functions=("softmax", ...), forbidden=(...))

    @SPEC.check("softmax", tier="properties", points=2, title="each row sums to 1",
                given=dict(z=LOGITS), examples=[dict(z=[[1000.0, 0.0]])])
    def rows_sum_to_one(learner, z):
        p = as_array(learner.softmax(z), shape=np.shape(z))
        expect_close(p.sum(-1), np.ones(...), ...)

    @SPEC.mistake("softmax", "no max-shift: exp overflows", hint="...")
    def softmax_without_shift(z, axis=-1): ...

A check's property receives the learner (calls go to the sandboxed worker) and the drawn
arguments, and raises ``Failure`` when the learner's code is wrong. A mistake is a wrong
implementation, run in the judge on a failing input to name what went wrong. It is
written as if it lived in the reference module (solutions/NAME.py): it may use that
module's imports and helpers, nothing from the spec, because the tests also run it as a
submission made of the reference plus the mistake.
"""

from __future__ import annotations

import importlib.util
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from grader.course import SOLUTIONS_DIR, sealed

TIERS = ("contract", "properties", "reference", "stability")


class Failure(AssertionError):
    """The learner's function is wrong on this input. ``expected``/``got`` are shown as given."""

    def __init__(self, message: str, *, expected: Any = None, got: Any = None):
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.got = got


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    function: str
    tier: str
    points: float
    prop: Callable[..., None]
    given: Any = None  # a hypothesis strategy of keyword-argument dicts, or None (examples only)
    examples: tuple[Mapping[str, Any], ...] = ()
    max_examples: int | None = None  # a cap for checks whose examples are expensive
    hint: str | None = None


@dataclass(frozen=True)
class Mistake:
    name: str
    function: str
    title: str
    hint: str
    impl: Callable[..., Any]


class Reference:
    """The reference solution, loaded from solutions/ on first use (judge side only)."""

    def __init__(self, topic: str):
        self._topic = topic
        self._module = None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.module(), name)

    def module(self):
        if self._module is None:
            path = SOLUTIONS_DIR / f"{self._topic}.py"
            if not path.exists() and sealed.sealed_path(self._topic).exists():
                self._module = self._unsealed()
                return self._module
            spec = importlib.util.spec_from_file_location(f"_mlkatas_reference_{self._topic}", path)
            if spec is None or not path.exists():
                raise RuntimeError(f"the reference solution {path} is missing")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            self._module = module
        return self._module

    def _unsealed(self):
        """A release bundle's reference: bytecode run in a fresh module, here in the judge only."""
        name = f"_mlkatas_reference_{self._topic}"
        code = sealed.unseal(sealed.sealed_path(self._topic).read_bytes(), self._topic)
        module = types.ModuleType(name)
        module.__file__ = code.co_filename
        exec(code, module.__dict__)  # noqa: S102 - the course's own reference, never learner code
        return module


def _rebind(function, namespace: dict):
    """The same code with other globals (those of the reference module)."""
    bound = types.FunctionType(function.__code__, namespace, function.__name__, function.__defaults__,
                               function.__closure__)
    bound.__kwdefaults__ = function.__kwdefaults__
    return bound


@dataclass
class Spec:
    topic: str
    functions: tuple[str, ...]
    forbidden: tuple[str, ...] = ()  # dotted names or modules; see grader/judging/forbidden.py
    forbidden_methods: tuple[str, ...] = ()  # attribute calls such as ``x.softmax(...)``
    checks: list[Check] = field(default_factory=list)
    mistakes: list[Mistake] = field(default_factory=list)
    mistake_helpers: list[Callable[..., Any]] = field(default_factory=list)

    def __post_init__(self):
        self.reference = Reference(self.topic)

    def check(self, function: str, *, tier: str, points: float, title: str, given=None,
              examples=(), max_examples: int | None = None, hint: str | None = None):
        if tier not in TIERS:
            raise ValueError(f"tier must be one of {TIERS}, not {tier!r}")
        if function not in self.functions:
            raise ValueError(f"{function!r} is not a function of topic {self.topic!r}")

        def register(prop):
            strategy = given
            if isinstance(given, Mapping):
                from hypothesis import strategies as st

                strategy = st.fixed_dictionaries(dict(given))
            check = Check(id=f"{self.topic}.{prop.__name__}", title=title, function=function, tier=tier,
                          points=float(points), prop=prop, given=strategy,
                          examples=tuple(dict(e) for e in examples), max_examples=max_examples, hint=hint)
            if any(c.id == check.id for c in self.checks):
                raise ValueError(f"duplicate check id {check.id}")
            self.checks.append(check)
            return prop

        return register

    def mistake(self, function: str, title: str, *, hint: str):
        def register(impl):
            self.mistakes.append(Mistake(impl.__name__, function, title, hint, impl))
            return impl

        return register

    def bound_mistake(self, mistake: Mistake) -> Callable[..., Any]:
        """The mistake as if defined in the reference module: it may call the reference's helpers.

        The tests run each mistake as a submission made of the reference plus the mistake, so
        this is the same code the learner would have written.
        """
        namespace = dict(vars(self.reference.module()))
        for helper in self.mistake_helpers:
            namespace[helper.__name__] = _rebind(helper, namespace)
        return _rebind(mistake.impl, namespace)

    def mistake_helper(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Register a function that several mistakes share (say, a filter with a switch per mistake).

        It is written, like the mistakes, as if it lived in the reference module, and travels
        with them: the judge binds it into their namespace, the tests paste it into the
        mistake submissions. Name it with a leading underscore.
        """
        self.mistake_helpers.append(function)
        return function

    def ordered_checks(self) -> list[Check]:
        """Checks in report order: by tier, then as declared."""
        return sorted(self.checks, key=lambda c: TIERS.index(c.tier))

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks)
