"""Bad input, tried systematically on every public callable of gdguide.

Every public function, class (its constructor) and public method of a class is discovered from
the ``__all__`` of every gdguide module. ``bad_input_cases.VALID_CALLS`` knows one valid call for
each; the battery ``bad_input_cases.BAD_VALUES`` is then put in place of each argument in turn.
The only accepted outcomes are

* a ``TypeError`` or ``ValueError`` whose message names the argument, or
* success, where ``bad_input_cases.ALLOWED`` lists that bad value as valid for that argument.

Anything else -- a silent success, an error from deep inside PyTorch, a message that does not say
which argument is wrong, a call that runs for ever -- fails the test. The numbers of callables
and cases are printed in pytest's terminal summary.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import random
import re
import signal
from collections.abc import Callable, Iterator
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from bad_input_cases import ALLOWED, BAD_VALUES, EXEMPT, VALID_CALLS, Call

import gdguide

#: Seconds a single case may run before it counts as "runs for ever".
CASE_TIMEOUT_S = 30

#: Filled in by the tests, printed by the terminal summary hook in conftest.py.
STATS: dict[str, int] = {"callables": 0, "cases": 0, "rejected": 0, "accepted": 0}


def _public_modules() -> list[Any]:
    return [
        importlib.import_module(f"gdguide.{info.name}")
        for info in pkgutil.iter_modules(gdguide.__path__)
        if not info.name.startswith("_")
    ]


def _public_callables() -> dict[str, Callable[..., Any]]:
    """Map ``"module.name"`` (and ``"module.Class.method"``) to every public callable."""
    found: dict[str, Callable[..., Any]] = {}
    for module in _public_modules():
        short = module.__name__.removeprefix("gdguide.")
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not callable(obj):
                continue  # constants
            found[f"{short}.{name}"] = obj
            if inspect.isclass(obj) and obj.__module__ == module.__name__:
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(member):
                        found[f"{short}.{name}.{attr}"] = member
    return found


PUBLIC = _public_callables()


def test_every_module_declares_all():
    missing = [m.__name__ for m in _public_modules() if not hasattr(m, "__all__")]
    assert not missing, f"modules without __all__ (the harness cannot see them): {missing}"


def test_every_public_callable_has_a_valid_call():
    missing = sorted(set(PUBLIC) - set(VALID_CALLS) - set(EXEMPT))
    assert not missing, (
        f"public callables without a valid call in tests/bad_input_cases.py: {missing}; add one "
        "to VALID_CALLS (or, with a reason, to EXEMPT)"
    )


def test_the_table_names_only_public_callables():
    stale = sorted((set(VALID_CALLS) | set(EXEMPT) | set(ALLOWED)) - set(PUBLIC))
    assert not stale, f"entries for callables that are not public (any more): {stale}"


class _Timeout(Exception):
    pass


@pytest.fixture
def isolated() -> Iterator[None]:
    """Keep each case from leaking random state, rcParams, cuDNN flags or figures."""
    states = (random.getstate(), np.random.get_state(), torch.random.get_rng_state())
    cudnn = (torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
    with mpl.rc_context():
        yield
    plt.close("all")
    random.setstate(states[0])
    np.random.set_state(states[1])
    torch.random.set_rng_state(states[2])
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = cudnn


def _timed(fn: Callable[[], Any]) -> Any:
    def alarm(signum: int, frame: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(CASE_TIMEOUT_S)
    try:
        return fn()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _bind(key: str, call: Call) -> tuple[Callable[..., Any], inspect.BoundArguments]:
    target = call.target if call.target is not None else PUBLIC[key]
    bound = inspect.signature(target).bind(*call.args, **call.kwargs)
    bound.apply_defaults()
    return target, bound


def _names_argument(message: str, name: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", message) is not None


def _try(key: str, name: str, bad_name: str, bad: Any) -> str | None:
    """Run one case; return a description of what went wrong, ``None`` when it behaved."""
    target, bound = _bind(key, VALID_CALLS[key]())
    kind = inspect.signature(target).parameters[name].kind
    if kind is inspect.Parameter.VAR_POSITIONAL:
        bound.arguments[name] = (bad, *bound.arguments[name][1:])
    else:
        bound.arguments[name] = bad
    try:
        _timed(lambda: target(*bound.args, **bound.kwargs))
    except (TypeError, ValueError) as error:
        if _names_argument(str(error), name):
            STATS["rejected"] += 1
            return None
        return f"{type(error).__name__} that does not name {name!r}: {error}"
    except _Timeout:
        return f"still running after {CASE_TIMEOUT_S} s"
    except Exception as error:  # noqa: BLE001 - reporting exactly this is the point
        return f"{type(error).__name__} (expected TypeError / ValueError): {error}"
    if bad_name in ALLOWED.get(key, {}).get(name, frozenset()):
        STATS["accepted"] += 1
        return None
    return "accepted silently (not in ALLOWED)"


def test_valid_calls_succeed(isolated):
    for key in sorted(VALID_CALLS):
        target, bound = _bind(key, VALID_CALLS[key]())
        target(*bound.args, **bound.kwargs)
        plt.close("all")


@pytest.mark.parametrize("key", sorted(VALID_CALLS))
def test_bad_input_is_rejected_naming_the_argument(key, isolated):
    target, bound = _bind(key, VALID_CALLS[key]())
    names = list(bound.arguments)
    assert set(ALLOWED.get(key, {})) <= set(names), f"ALLOWED names unknown arguments of {key}"
    problems = []
    for name in names:
        for bad_name, bad in BAD_VALUES.items():
            STATS["cases"] += 1
            problem = _try(key, name, bad_name, bad)
            plt.close("all")
            if problem is not None:
                problems.append(f"{key}({name}={bad_name}): {problem}")
    STATS["callables"] += 1
    assert not problems, "\n".join(problems)


def test_exemptions_are_few():
    assert len(EXEMPT) <= 2, "every public callable should face the battery"
