"""The judge: runs a topic's checks against the learner's module and scores them.

It owns hypothesis, the reference solutions and every comparison; the learner's code
runs only in the worker (grader/sandbox/learner.py). Results are plain dataclasses
(grader/results/model.py) that every report format draws.
"""

from __future__ import annotations

import copy
import gc
import importlib
import inspect
import platform
import time
import warnings
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader.course import catalog
from grader.judging import diagnosis, forbidden, parallel, render
from grader.judging.checks import Check, Failure, Spec
from grader.judging.replay import END, PASSED, REJECTED, Inputs, Node, Recording, ending, snapshot
from grader.sandbox.learner import (LearnerModule, LoadError, Outcome, Prepared, Raised, Returned, Unreadable,
                                    prepare)
from grader.results.model import CheckResult, TopicResult
from grader.sandbox.supervisor import Limits, WorkerCrashed, WorkerTimeout

# Generated inputs per check, on top of its explicit edge-case examples (which always run). quick is what
# a learner waits for after every save (cold `grade softmax` ~2x the bare imports); thorough is for CI.
PROFILES = {"quick": 5, "thorough": 200}
DEFAULT_PROFILE = "quick"
# Wall-clock budget for one topic: once spent, every check not yet finished is `timeout` without
# running more learner code (slow-but-correct code cannot hold the grader for minutes).
TOPIC_BUDGET_S = {"quick": 60.0, "thorough": 600.0}


class LearnerRaised(Exception):
    """The learner's function raised where it should have returned (hypothesis shrinks this)."""

    def __init__(self, outcome: Raised):
        super().__init__(outcome.describe())
        self.outcome = outcome


SHRINK_RUNS = 300  # runs after the first failure before we report the smallest input found so far
SHRINK_SECONDS = 10.0  # the same, for slow learner code (only then does the report depend on speed)


class _ShrinkBudgetSpent(BaseException):
    """Shrinking has taken long enough: report the smallest failing input found so far."""


class Abort(BaseException):
    """Stop the check at once, without shrinking: the stub, a timeout or a dead worker.

    A BaseException so that hypothesis lets it through instead of shrinking on it: every
    shrink step would cost another timeout.
    """

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Call:
    function: str
    kwargs: dict
    outcome: Outcome | None = None
    errstate: dict | None = None
    arguments_after: dict | None = None  # by name, as the function left them (when asked for)


def load_spec(topic: str) -> Spec:
    return importlib.import_module(f"grader.specs.{topic}").SPEC


class Learner:
    """What a check's property sees: ``learner.softmax(z=...)`` runs the learner's softmax."""

    def __init__(self, module: LearnerModule, spec: Spec, seed: int, budget: Budget | None = None):
        self._module = module
        self._spec = spec
        self._seed = seed
        self._budget = budget
        self._errstate: dict | None = None
        self.last_call: Call | None = None

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._spec.functions:
            raise AttributeError(name)
        return lambda **kwargs: self.value(name, **kwargs)

    @contextmanager
    def errstate(self, **modes):
        """Run the learner's calls under np.errstate(**modes) (e.g. over="raise")."""
        outer, self._errstate = self._errstate, modes
        try:
            yield
        finally:
            self._errstate = outer

    def outcome(self, function: str, /, *, return_args: bool = False, **kwargs) -> Outcome:
        """Call and return what happened; only the stub, timeouts and crashes escape."""
        positional, keywords = _split_arguments(self._spec, function, kwargs)
        call = Call(function, kwargs, errstate=self._errstate)
        self.last_call = call
        timeout = self._module.limits.call_seconds
        if self._budget is not None:
            left = self._budget.left()
            if left <= 0:
                raise Abort("timeout", self._budget.message())
            timeout = min(timeout, left)
        try:
            outcome = self._module.call(function, positional, keywords, seed=self._seed,
                                        errstate=self._errstate, return_args=return_args, timeout=timeout)
        except WorkerTimeout:
            if timeout < self._module.limits.call_seconds:
                raise Abort("timeout", self._budget.message()) from None
            raise Abort("timeout", f"took longer than {self._module.limits.call_seconds:g} s on this input "
                                   f"(an endless loop?)") from None
        except WorkerCrashed as err:
            raise Abort("crashed", str(err)) from None
        call.outcome = outcome
        if isinstance(outcome, Raised):
            if outcome.not_implemented:
                raise Abort("todo", f"{function} is not written yet (it raises NotImplementedError)")
            if outcome.memory:
                raise Abort("crashed", f"ran out of memory (the limit is "
                                       f"{self._module.limits.memory_bytes / 2**30:g} GiB)")
            if outcome.output_too_large:
                raise Abort("crashed", f"printed more than {self._module.limits.output_bytes // 2**20} MiB")
        if return_args and isinstance(outcome, Returned) and outcome.args_after is not None:
            args_after, kwargs_after = outcome.args_after
            names = list(kwargs)[: len(positional)]
            call.arguments_after = {**dict(zip(names, args_after)), **kwargs_after}
        return outcome

    def value(self, function: str, /, **kwargs):
        """Call and return the value; a raise or an unreadable value fails the check."""
        outcome = self.outcome(function, **kwargs)
        if isinstance(outcome, Raised):
            raise LearnerRaised(outcome)
        if isinstance(outcome, Unreadable):
            raise Failure(f"returned a value the grader cannot read: {outcome.message}",
                          expected=render.describe("numbers: an array, a float or an int"),
                          got=render.describe(outcome.message))
        return outcome.value

    def value_and_arguments_after(self, function: str, /, **kwargs):
        """Call; return the value and the arguments as the function left them."""
        outcome = self.outcome(function, return_args=True, **kwargs)
        if isinstance(outcome, Raised):
            raise LearnerRaised(outcome)
        if isinstance(outcome, Unreadable):
            raise Failure(f"returned a value the grader cannot read: {outcome.message}")
        return outcome.value, self.last_call.arguments_after


_REQUIRED_PARAMETERS: dict[tuple[str, str], list[str]] = {}


def _split_arguments(spec: Spec, function: str, kwargs: dict):
    """Required parameters go positionally (a learner may rename them), the rest by name."""
    key = (spec.topic, function)
    if key not in _REQUIRED_PARAMETERS:
        parameters = inspect.signature(getattr(spec.reference, function)).parameters.values()
        _REQUIRED_PARAMETERS[key] = [p.name for p in parameters if p.default is inspect.Parameter.empty]
    required = _REQUIRED_PARAMETERS[key]
    names = list(kwargs)
    count = 0
    while count < len(names) and count < len(required) and names[count] == required[count]:
        count += 1
    return [kwargs[n] for n in names[:count]], {n: kwargs[n] for n in names[count:]}


def hypothesis_settings(max_examples: int):
    """Every setting explicit: a profile loaded from the environment (CI=true) changes nothing."""
    from hypothesis import HealthCheck, Phase, Verbosity, settings

    _ignore_local_constants()

    return settings(
        max_examples=max_examples, derandomize=True, database=None, deadline=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink), suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet, print_blob=False, report_multiple_bugs=False, stateful_step_count=50,
    )


def _ignore_local_constants() -> None:
    """Stop hypothesis from mixing literals of 'local' modules into generated inputs.

    Hypothesis collects constants from every non-site-packages module in sys.modules (and
    caches them in ./.hypothesis/). Which modules those are depends on how mlkatas is
    installed and on which specs were imported before, so the same check would draw
    different inputs in `grade softmax` and in `grade all`. No local constants: the same
    inputs everywhere, and nothing written to the learner's folder.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a hypothesis without the feature
        return
    if hasattr(providers, "_get_local_constants") and hasattr(providers, "Constants"):
        empty = providers.Constants()
        providers._get_local_constants = lambda: empty


def _check_seed(check: Check) -> int:
    return zlib.crc32(check.id.encode()) & 0x7FFFFFFF


BUDGET_MARGIN_S = 0.1  # a call cut short by the budget ends just before the budget is spent


@dataclass(frozen=True)
class Budget:
    """The topic's wall-clock budget (TOPIC_BUDGET_S), shared by forked judges (monotonic time)."""

    seconds: float
    deadline: float

    @classmethod
    def start(cls, seconds: float) -> Budget:
        return cls(seconds, time.monotonic() + seconds)

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def message(self) -> str:
        return (f"not run: grading this topic used its whole time budget ({self.seconds:g} s); "
                f"is your code very slow somewhere?")


def run_check(check: Check, spec: Spec, module: LearnerModule, max_examples: int,
              inputs: Inputs | None = None, budget: Budget | None = None) -> CheckResult:
    """Grade one check within the topic's budget; with ``inputs``, follow the runs hypothesis made for
    earlier submissions."""
    if budget is not None and budget.left() <= 0:
        return _unrunnable(check, "timeout", budget.message())
    started = time.perf_counter()
    limit = _examples_limit(check, max_examples)
    root = inputs.root(check.id, limit) if inputs is not None and check.given is not None else None
    result = _replay(check, spec, module, root, budget) if root is not None else None
    if result is None:
        record = Recording() if inputs is not None and check.given is not None else None
        result = _run_check(check, spec, module, max_examples, record, budget)
        if record is not None:
            inputs.keep(check.id, limit, record)
    result.elapsed_s = time.perf_counter() - started
    return result


def _examples_limit(check: Check, max_examples: int) -> int:
    return min(max_examples, check.max_examples) if check.max_examples else max_examples


def _replay(check: Check, spec: Spec, module: LearnerModule, root: Node,
            budget: Budget | None = None) -> CheckResult | None:
    """The check along the recorded runs; None when this submission leaves them (hypothesis runs it)."""
    from hypothesis.errors import HypothesisDeprecationWarning

    learner = Learner(module, spec, _check_seed(check), budget)
    result = CheckResult(id=check.id, function=check.function, tier=check.tier, title=check.title,
                         points=0.0, max_points=check.points, status="passed")
    with warnings.catch_warnings():
        # `assume` outside hypothesis is deprecated; should it ever raise, the check falls back to hypothesis
        warnings.simplefilter("ignore", HypothesisDeprecationWarning)
        return _follow(check, spec, learner, result, root)


def _follow(check: Check, spec: Spec, learner: Learner, result: CheckResult, node: Node) -> CheckResult | None:
    from hypothesis.errors import UnsatisfiedAssumption

    while True:
        learner.last_call = None
        kwargs = snapshot(node.kwargs)
        err = None
        try:
            check.prop(learner, **kwargs)
            end = PASSED
        except UnsatisfiedAssumption:
            end = REJECTED
        except Abort as abort:  # hypothesis stops at the same input without shrinking: the same result
            _fill_failure(result, abort.status, abort.message, learner.last_call, None, spec, check.hint)
            return result
        except (Failure, LearnerRaised) as failure:
            err = failure
            err.call, err.drawn = learner.last_call, kwargs
            end = ending(err)
        except Exception:  # noqa: BLE001 - anything else: let hypothesis and the usual handling see it
            return None
        following = node.after.get(end)
        if following is None:
            return None
        if following is END:
            if err is None:
                result.points = check.points
                return result
            status = "error" if isinstance(err, LearnerRaised) else "failed"
            _fill_failure(result, status, _failure_message(err), err.call, err, spec, check.hint)
            return result
        node = following


def _run_check(check: Check, spec: Spec, module: LearnerModule, max_examples: int,
               record: Recording | None = None, budget: Budget | None = None) -> CheckResult:
    """The check run by hypothesis; with ``record``, note each input and how it ended (replay.py)."""
    learner = Learner(module, spec, _check_seed(check), budget)
    result = CheckResult(id=check.id, function=check.function, tier=check.tier, title=check.title,
                         points=0.0, max_points=check.points, status="passed")

    shrinking = {"latest": None, "runs": 0, "since": 0.0}

    def body(kwargs):
        if shrinking["latest"] is not None:
            shrinking["runs"] += 1
            if (shrinking["runs"] > SHRINK_RUNS
                    or time.monotonic() - shrinking["since"] > SHRINK_SECONDS):
                raise _ShrinkBudgetSpent()
        learner.last_call = None
        try:
            check.prop(learner, **kwargs)
        except (Failure, LearnerRaised) as err:
            err.call = learner.last_call
            err.drawn = kwargs
            if shrinking["latest"] is None:
                shrinking["since"] = time.monotonic()
            shrinking["latest"] = err  # each failure while shrinking is smaller than the one before
            raise

    try:
        try:
            if check.given is None:
                for example in check.examples:
                    body(copy.deepcopy(example))
            else:
                _run_with_hypothesis(check, body if record is None else _recording(body, record), max_examples)
        except _ShrinkBudgetSpent:
            shrinking["spent"] = True  # where shrinking stopped depends on speed: never replayed
            raise shrinking["latest"] from None
    except Abort as abort:
        _fill_failure(result, abort.status, abort.message, learner.last_call, None, spec, check.hint)
        return result
    except (Failure, LearnerRaised) as err:
        status = "error" if isinstance(err, LearnerRaised) else "failed"
        _fill_failure(result, status, _failure_message(err), getattr(err, "call", None), err, spec, check.hint)
        if record is not None:
            record.clean = shrinking["runs"] <= SHRINK_RUNS and not shrinking.get("spent")
        return result
    except Exception as err:  # a bug in the grader, never the learner's fault
        flaky = _flaky_cause(err)
        if flaky is not None:
            status = "error" if isinstance(flaky, LearnerRaised) else "failed"
            _fill_failure(result, status, _failure_message(flaky) + " (your function gave different results "
                          "on the same input)", getattr(flaky, "call", None), flaky, spec, check.hint)
            return result
        result.status = "error"
        result.message = (f"the grader itself failed on this check ({type(err).__name__}: {err}); "
                          f"this is a bug in mlkatas, please report it")
        return result
    result.points = check.points
    if record is not None:
        record.clean = True
    return result


def _recording(body, record: Recording):
    """body, noting each input hypothesis feeds it and how the property ended on it (see replay.py)."""
    from hypothesis.errors import UnsatisfiedAssumption

    def recorded(kwargs):
        drawn = snapshot(kwargs)
        try:
            body(kwargs)
        except UnsatisfiedAssumption:
            record.calls.append((drawn, REJECTED))
            raise
        except (Failure, LearnerRaised) as err:
            record.calls.append((drawn, ending(err)))
            raise
        record.calls.append((drawn, PASSED))

    return recorded


def _failure_message(err) -> str:
    return f"raised {err.outcome.describe()}" if isinstance(err, LearnerRaised) else err.message


def _flaky_cause(err):
    """A failure hypothesis could not reproduce (learner code that is not deterministic)."""
    for inner in getattr(err, "exceptions", ()):
        if isinstance(inner, (Failure, LearnerRaised)):
            return inner
    return None


def _run_with_hypothesis(check: Check, body, max_examples: int) -> None:
    from hypothesis import example, given, seed

    test = given(kwargs=check.given)(body)
    for ex in reversed(check.examples):
        test = example(kwargs=ex)(test)
    limit = min(max_examples, check.max_examples) if check.max_examples else max_examples
    test = seed(_check_seed(check))(hypothesis_settings(limit)(test))
    # Our own key: without it hypothesis hashes the test's source (inspect + tokenize) per check.
    test._hypothesis_internal_database_key = check.id.encode()
    test()


def _fill_failure(result: CheckResult, status, message, call: Call | None, err, spec: Spec,
                  check_hint: str | None = None) -> None:
    result.status = status
    result.message = message
    if call is not None:
        result.counterexample = render.call(call.function, call.kwargs)
        outcome = call.outcome
        if outcome is not None and outcome.printed.bytes:
            text = outcome.printed.text
            if outcome.printed.bytes > len(text.encode()):
                text += f"\n[... {outcome.printed.bytes} bytes in all]"
            result.printed = text
    elif err is not None and getattr(err, "drawn", None):
        result.counterexample = ", ".join(f"{k}={render.value(v)}" for k, v in err.drawn.items())
    if isinstance(err, Failure):
        if err.expected is not None and err.got is not None:
            result.got, result.expected = render.got_and_expected(err.got, err.expected)
        else:
            result.expected = render.value(err.expected) if err.expected is not None else None
            result.got = render.value(err.got) if err.got is not None else None
    elif isinstance(err, LearnerRaised):
        result.got = f"{err.outcome.type}: {err.outcome.message}"
    if call is not None and call.outcome is not None and status in ("failed", "error"):
        mistake = diagnosis.diagnose(spec, call)
        if mistake is not None:
            result.diagnosis = mistake.title
            result.hint = mistake.hint
    if result.hint is None and status not in ("todo", "forbidden"):
        result.hint = check_hint


def grade(topic: str, exercises_dir: Path, *, profile: str = DEFAULT_PROFILE, limits: Limits = Limits(),
          prepared: Prepared | None = None, jobs: int | None = None, inputs: Inputs | None = None,
          budget_s: float | None = None) -> TopicResult:
    """Grade one topic: every check of its spec against exercises_dir/TOPIC.py, within its time budget."""
    started = time.perf_counter()
    budget = Budget.start(TOPIC_BUDGET_S[profile] if budget_s is None else budget_s)
    if prepared is None:
        prepared = prepare(topic, exercises_dir, limits, jobs=parallel.default_jobs() if jobs is None else jobs)
    spec = load_spec(topic)
    entry = catalog.load().topic(topic)
    checks = spec.ordered_checks()
    problem = prepared.problem
    gc.freeze()  # everything imported so far is permanent: later collections only scan new objects
    try:
        modules = prepared.modules
        for module in modules:
            module.functions = spec.functions
        if problem is None:
            try:
                modules[0].load()
            except LoadError as err:
                problem = str(err)
        if problem is not None:
            results = [_unrunnable(c, "error", problem) for c in checks]
        else:
            results = _run_checks(spec, checks, modules, PROFILES[profile], inputs, budget)
    finally:
        prepared.close()
    return TopicResult(topic=topic, title=entry.title, checks=results, elapsed_s=time.perf_counter() - started,
                       versions=_versions(), problem=problem, profile=profile,
                       folder=Path(exercises_dir).resolve().name, budget_s=budget.seconds,
                       sandbox=_sandbox_report())


def _run_checks(spec: Spec, checks: list[Check], modules: list[LearnerModule], max_examples: int,
                inputs: Inputs | None = None, budget: Budget | None = None) -> list[CheckResult]:
    """Every check, the runnable ones split over the modules' workers (one forked judge each)."""
    first = modules[0]
    findings = forbidden.find(first.source, spec.forbidden, spec.forbidden_methods, spec.functions)
    banned = forbidden.affected(findings, spec.functions)
    results: dict[int, CheckResult] = {}
    runnable = []
    for index, check in enumerate(checks):
        if check.function in banned:
            results[index] = _unrunnable(check, "forbidden", banned[check.function].message())
        elif check.function not in first.present:
            results[index] = _unrunnable(check, "error", f"your module has no function named {check.function}")
        else:
            runnable.append(index)
    groups = [runnable[j::len(modules)] for j in range(len(modules))]

    def job(group, module):
        forked = module is not first  # the other workers are used, and closed, by forked judges
        done = {}
        slow = set()  # functions that timed out here: their later checks would each wait as long again
        try:
            if forked:
                module.load()
            for i in group:
                spent = budget is not None and budget.left() <= BUDGET_MARGIN_S
                if checks[i].function in slow and not spent:
                    done[i] = _skipped_after_timeout(checks[i], module.limits.call_seconds)
                    continue
                done[i] = run_check(checks[i], spec, module, max_examples, inputs, budget)
                spent = budget is not None and budget.left() <= BUDGET_MARGIN_S
                if done[i].status == "timeout" and not spent:  # one call took too long, not the whole topic
                    slow.add(checks[i].function)
            return done
        finally:
            if forked:
                module.close()

    jobs = [lambda g=group, m=module: job(g, m) for group, module in zip(groups, modules) if group]
    results.update(parallel.run_groups(jobs, fallback=lambda k: job(groups[k], first)) if jobs else {})
    ordered = [results[i] for i in range(len(checks))]
    return _after_first_timeout(ordered, checks, first.limits.call_seconds)


def _skipped_after_timeout(check: Check, seconds: float) -> CheckResult:
    return _unrunnable(check, "timeout", f"skipped: {check.function} already took longer than {seconds:g} s")


def _after_first_timeout(results: list[CheckResult], checks: list[Check], seconds: float) -> list[CheckResult]:
    """Every check of a function after its first timeout, in spec order, is skipped: the same report
    however the checks were split between parallel judges (a judge skips only after its own timeout)."""
    first_timeout: dict[str, int] = {}
    for index, result in enumerate(results):
        if result.status == "timeout" and not result.message.startswith(("skipped:", "not run:")):  # a call's own
            first_timeout.setdefault(result.function, index)
    return [_skipped_after_timeout(checks[i], seconds)
            if r.function in first_timeout and i > first_timeout[r.function] else r
            for i, r in enumerate(results)]


def _unrunnable(check: Check, status: str, message: str) -> CheckResult:
    return CheckResult(id=check.id, function=check.function, tier=check.tier, title=check.title, points=0.0,
                       max_points=check.points, status=status, message=message)


def _sandbox_report() -> dict:
    """Which layers held the learner's code in this run (grader/sandbox/isolation.py)."""
    from grader.sandbox import isolation

    report = isolation.detect().report()
    return {"level": report["level"], "layers": report["layers"]}


def _versions() -> dict[str, str]:
    import hypothesis

    from grader import __version__

    return {"mlkatas": __version__, "python": platform.python_version(), "numpy": np.__version__,
            "hypothesis": hypothesis.__version__}
