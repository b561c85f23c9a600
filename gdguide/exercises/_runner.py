"""The one runner behind every exercise check.

An exercise is described by an :class:`Exercise`: the cases to try, how to call the learner's code
on a case and how to judge what came back. :func:`run` does the rest for every exercise alike:
it calls the learner's code on each case under a time limit, turns any exception into a verdict,
stops at the first problem and renders the verdict in the reader's language. Judges never see a
language: they return a :class:`Problem` made of message keys and values.
"""

from __future__ import annotations

import contextlib
import ctypes
import random
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from gdguide._validate import _kind, check_callable, check_lang
from gdguide.exercises._values import error_text
from gdguide.languages import Language

#: Seconds the learner's code may run on one case before the check stops it.
TIME_LIMIT = 10.0


@dataclass(frozen=True)
class CheckResult:
    """The verdict of an exercise check.

    It is true when the exercise is solved, and it prints (and shows in a notebook) as its
    message.

    Parameters
    ----------
    passed : bool
        Whether the learner's code passed every test.
    message : str
        The verdict for the learner, starting with ``"✅"`` or ``"❌"``.
    lang : {"en", "ja"}
        The language of *message*.

    Raises
    ------
    TypeError
        If *passed* is not a ``bool`` or *message* not a ``str`` (or *lang* not a ``str``).
    ValueError
        If *lang* is not a site language.

    Examples
    --------
    >>> result = CheckResult(passed=True, message="✅ Passed", lang="en")
    >>> bool(result), str(result)
    (True, '✅ Passed')
    """

    passed: bool
    message: str
    lang: str

    def __post_init__(self) -> None:
        if not isinstance(self.passed, bool):
            raise TypeError(f"passed must be a bool, got {_kind(self.passed)} {self.passed!r}")
        if not isinstance(self.message, str):
            raise TypeError(f"message must be a str, got {_kind(self.message)}")
        check_lang(self.lang)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """What is wrong, without words: a message key, its values, and optional *why* / *hint*.

    *why* names the likely mistake (a message key filled with the same *values*), *hint* a
    message without placeholders.
    """

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)
    why: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Case:
    """One test of an exercise.

    *inputs* says in a message what the learner's code was given; *arguments* makes fresh
    arguments for each call (tensors can be changed in place); *expected* is the reference answer;
    *mistakes* pairs the message key of a typical mistake with the answer that mistake gives.
    """

    inputs: str
    arguments: Callable[[], tuple[Any, ...]]
    expected: Any = None
    mistakes: tuple[tuple[str, Any], ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)


def call_with_arguments(learner: Callable[..., Any], case: Case) -> Any:
    """Try a case the usual way: call the learner's function with the case's arguments."""
    return learner(*case.arguments())


@dataclass(frozen=True)
class Exercise:
    """The description of one exercise: what to try, how to call, how to judge.

    Parameters
    ----------
    name : str
        Prefix of the exercise's message keys; ``f"{name}_pass"`` is the verdict of success.
    cases : callable
        Returns the cases, tried in order; the first ones are chosen so that the typical
        mistakes give clearly different answers.
    judge : callable
        ``judge(result, case)`` returns a :class:`Problem` or ``None`` when *result* is right.
    call : callable
        ``call(learner, case)`` runs the learner's code on a case and returns what ``judge``
        needs.
    hints : tuple of (str, str)
        Pairs of (text in an exception's message, hint key) for errors the learner raises.
    summary : callable
        ``summary(cases)`` returns the values of the success message.
    learner_kind : str
        The argument name the check uses for the learner's code in its own errors.
    time_limit : float
        Seconds the learner's code may run on one case.
    """

    name: str
    cases: Callable[[], Sequence[Case]]
    judge: Callable[[Any, Case], Problem | None]
    call: Callable[[Callable[..., Any], Case], Any] = call_with_arguments
    hints: tuple[tuple[str, str], ...] = ()
    summary: Callable[[Sequence[Case]], Mapping[str, Any]] = lambda cases: {
        "n_cases": len(cases)
    }
    learner_kind: str = "fn"
    time_limit: float = TIME_LIMIT


def run(exercise: Exercise, learner: Any, lang: str) -> CheckResult:
    """Check the learner's code against *exercise* and return the verdict in *lang*.

    Raises ``TypeError`` / ``ValueError`` only for wrong arguments of the check itself; every
    mistake of the learner's code becomes a failing verdict.
    """
    check_callable(exercise.learner_kind, learner)
    language = check_lang(lang)
    with _isolated():
        cases = exercise.cases()
        for case in cases:
            problem = _try(exercise, learner, case)
            if problem is not None:
                return render(language, problem, passed=False)
    summary = exercise.summary(cases)
    return render(language, Problem(f"{exercise.name}_pass", summary), passed=True)


def _try(exercise: Exercise, learner: Any, case: Case) -> Problem | None:
    """Run one case: the learner's call under the time limit, then the judge."""
    try:
        with time_limit(exercise.time_limit):
            result = exercise.call(learner, case)
    except TimeLimitExceeded:
        seconds = f"{exercise.time_limit:g}"
        return Problem("timeout", {"inputs": case.inputs, "seconds": seconds})
    except Exception as error:  # noqa: BLE001 - every mistake must become a verdict
        if is_starter_code(error):
            return Problem("not_implemented")
        text = str(error)
        hint = next((key for pattern, key in exercise.hints if pattern in text), None)
        return Problem("raised", {"inputs": case.inputs, "error": error_text(error)}, hint=hint)
    return exercise.judge(result, case)


def is_starter_code(error: BaseException) -> bool:
    """Tell the starter code's ``raise NotImplementedError`` from one raised by a library.

    PyTorch raises ``NotImplementedError`` for an operation a dtype lacks, for example
    ``"bitwise_xor_cpu" not implemented for 'Float'`` when ``^`` is used as a power.
    """
    return isinstance(error, NotImplementedError) and "not implemented for" not in str(error)


def render(language: Language, problem: Problem, *, passed: bool) -> CheckResult:
    """Turn a :class:`Problem` (or a success) into the learner's verdict in *language*."""
    parts = [language.text(problem.key, **problem.values)]
    if problem.why is not None:
        why = language.text(problem.why, **problem.values)
        parts.append(language.text("likely", why=why))
    if problem.hint is not None:
        parts.append(language.text("hint", hint=language.text(problem.hint)))
    body = language.sentence_joiner.join(parts)
    message = language.text("passed" if passed else "failed", body=body)
    return CheckResult(passed=passed, message=message, lang=language.code)


# --------------------------------------------------------------------------------------------
# A time limit for the learner's code
# --------------------------------------------------------------------------------------------


class TimeLimitExceeded(BaseException):  # noqa: N818 - reads as what happened
    """The learner's code ran past the time limit.

    A ``BaseException``, so that an ``except Exception`` in the learner's code cannot swallow it.
    """


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the body if it runs longer than *seconds*.

    In the main thread of a system with ``SIGALRM`` (Linux, macOS: a Jupyter kernel, a script)
    an interval timer interrupts even a tight loop. A timer that is already armed, such as the
    site build's per-lesson limit, is left alone when it would fire first, and otherwise
    re-armed with its remaining time afterwards. Elsewhere (Windows, another thread) a watchdog
    thread raises in the thread that runs the code, which stops it at its next bytecode.
    """
    on_main_thread = threading.current_thread() is threading.main_thread()
    if on_main_thread and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    pending, _ = signal.getitimer(signal.ITIMER_REAL)
    if pending and pending <= seconds:
        yield  # an outer limit fires first and stops the code anyway
        return

    def stop(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if pending:
            remaining = pending - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.001))


@contextlib.contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    done = threading.Event()
    lock = threading.Lock()  # the body's end and the watchdog's alarm never overlap

    def watch() -> None:
        if not done.wait(seconds):
            with lock:
                if not done.is_set():
                    _raise_in_thread(target, TimeLimitExceeded)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        with lock:
            done.set()
        watcher.join()


def _raise_in_thread(thread_id: int, error: type[BaseException]) -> None:
    """Raise *error* in the thread *thread_id* at its next bytecode.

    CPython's ``PyThreadState_SetAsyncExc`` is the only way to stop a loop in another thread
    (``_thread.interrupt_main`` reaches only the main thread); no library wraps it.
    """
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(error))


# --------------------------------------------------------------------------------------------
# Isolation: a check leaves the learner's session as it found it
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _isolated() -> Iterator[None]:
    """Run a check with autograd on, restoring all random states and cuDNN flags afterwards."""
    python_state = random.getstate()
    numpy_state = np.random.get_state()
    cudnn = torch.backends.cudnn
    flags = (cudnn.deterministic, cudnn.benchmark)
    try:
        with torch.random.fork_rng(devices=[]), torch.enable_grad():
            yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        cudnn.deterministic, cudnn.benchmark = flags


def first_mistake(got: Any, mistakes: Sequence[tuple[str, Any]], close: Callable) -> str | None:
    """Return the key of the first typical mistake whose answer *got* equals (by *close*)."""
    return next((key for key, wrong in mistakes if close(got, wrong)), None)
