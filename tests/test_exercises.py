"""Tests of gdguide.exercises: every check passes many differently-written right answers, names
the typical mistakes in both languages and never lets the learner's error escape as a traceback;
an endless loop ends in a verdict. The catalogs the verdicts come from are tested, whole, in
tests/test_i18n.py."""

from __future__ import annotations

import dataclasses
import math
import random
import re
import signal
import threading
import time
import types

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812 - the usual spelling in PyTorch code

from gdguide.chain_rule import chain_rule_gradients, forward_values
from gdguide.exercises import (
    CheckResult,
    _runner,
    backprop,
    check_backward_pass,
    check_df_dy,
    check_h_gradient,
    check_neuron,
    check_squared_loss,
    check_train,
    gradient,
    neuron,
    training,
)
from gdguide.functions import f, h, h_gradient
from gdguide.gradcheck import autograd_gradient
from gdguide.languages import CODES, LANGUAGES
from gdguide.neuron import squared_loss
from gdguide.training import train

CHECKS = [
    check_h_gradient,
    check_df_dy,
    check_backward_pass,
    check_neuron,
    check_squared_loss,
    check_train,
]
LANGS = CODES
PREFIX_FAILED = {"en": "❌ Not yet: ", "ja": "❌ まだです："}
PREFIX_PASSED = {"en": "✅ Passed: ", "ja": "✅ できました："}
LIKELY = {"en": "Likely mistake: ", "ja": "考えられる原因："}

#: Where each check's exercise description lives (module, attribute).
EXERCISES = {
    check_h_gradient: (gradient, "EXERCISE"),
    check_df_dy: (backprop, "_DF_DY"),
    check_backward_pass: (backprop, "_BACKWARD"),
    check_neuron: (neuron, "_NEURON"),
    check_squared_loss: (neuron, "_LOSS"),
    check_train: (training, "EXERCISE"),
}


def _id(check) -> str:
    return check.__name__.removeprefix("check_")


def _has_japanese(text: str) -> bool:
    return any("\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" for char in text)


def assert_verdict(result: CheckResult, passed: bool, lang: str, phrases=(), absent=()) -> None:
    """Check the verdict's truth, language, prefix, key phrases and phrases it must not have."""
    assert isinstance(result, CheckResult)
    assert bool(result) is passed, result.message
    assert result.lang == lang
    prefix = PREFIX_PASSED[lang] if passed else PREFIX_FAILED[lang]
    assert result.message.startswith(prefix), result.message
    assert "Traceback" not in result.message
    if lang == "ja":
        assert _has_japanese(result.message)
        assert "Not yet" not in result.message and "Likely mistake" not in result.message
    else:
        assert not _has_japanese(result.message), result.message
    for phrase in phrases:
        assert phrase in result.message, f"{phrase!r} not in {result.message!r}"
    for phrase in absent:
        assert phrase not in result.message, f"{phrase!r} in {result.message!r}"


def fails_with(check, fn, en=(), ja=(), *, absent_en=(), absent_ja=()):
    """Run *check* in both languages and assert a failing verdict with the phrases."""
    for lang, phrases, absent in (("en", en, absent_en), ("ja", ja, absent_ja)):
        assert_verdict(check(fn, lang=lang), False, lang, phrases, absent)


def passes(check, fn, en=(), ja=()):
    """Run *check* in both languages and assert a passing verdict with the phrases."""
    for lang, phrases in (("en", en), ("ja", ja)):
        assert_verdict(check(fn, lang=lang), True, lang, phrases)


def raising(error):
    def fn(*args):
        raise error

    return fn


def fmt(value) -> str:
    return f"{float(value):.4g}"


def distinct(a, b, rtol=1e-3) -> bool:
    """Whether two answers differ by more than the relative tolerance *rtol* somewhere."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = np.maximum(np.abs(a), np.abs(b))
    return bool(np.any(np.abs(a - b) > rtol * scale + 1e-9))


def assert_all_distinct(answers: dict, rtol=1e-3) -> None:
    keys = list(answers)
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            assert distinct(answers[first], answers[second], rtol), (first, second)


# =============================================================================================
# CheckResult and the message tables
# =============================================================================================


def test_check_result_behaves_like_its_verdict():
    good = CheckResult(passed=True, message="✅ Passed: fine", lang="en")
    bad = CheckResult(passed=False, message="❌ まだです：だめ", lang="ja")
    assert bool(good) and not bool(bad)
    assert str(good) == "✅ Passed: fine"
    assert repr(bad) == "❌ まだです：だめ"
    assert f"{good}" == good.message
    with pytest.raises(dataclasses.FrozenInstanceError):
        good.passed = False


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"passed": 1, "message": "m", "lang": "en"}, TypeError, "passed"),
        ({"passed": True, "message": 3, "lang": "en"}, TypeError, "message"),
        ({"passed": True, "message": "m", "lang": "fr"}, ValueError, "lang"),
        ({"passed": True, "message": "m", "lang": None}, TypeError, "lang"),
    ],
)
def test_check_result_validates_its_fields(kwargs, error, name):
    with pytest.raises(error, match=name):
        CheckResult(**kwargs)


def test_the_exercises_have_distinct_names_with_a_success_message():
    names = [getattr(module, name).name for module, name in EXERCISES.values()]
    assert len(set(names)) == len(names)
    for name in names:
        assert f"{name}_pass" in LANGUAGES["en"].catalog


def test_japanese_verdicts_join_sentences_without_spaces():
    assert LANGUAGES["ja"].sentence_joiner == ""
    result = check_h_gradient(
        lambda x, y: (np.cos(x**2 + y**2) * x, np.cos(x**2 + y**2) * y), lang="ja"
    )
    assert "。考えられる原因：" in result.message
    result = check_h_gradient(lambda x, y: (x ^ 2, y), lang="ja")
    assert "。ヒント：" in result.message


# =============================================================================================
# Arguments of the checks, exceptions, isolation, speed
# =============================================================================================


def _learner_argument(check) -> str:
    return "cls" if check is check_neuron else "fn"


@pytest.mark.parametrize("check", CHECKS, ids=_id)
def test_learner_code_must_be_callable(check):
    name = _learner_argument(check)
    with pytest.raises(TypeError, match=name):
        check(42)
    with pytest.raises(TypeError, match=name):
        check(None, lang="ja")
    with pytest.raises(TypeError, match=name):
        check("def f(x): return x")


@pytest.mark.parametrize("check", CHECKS, ids=_id)
@pytest.mark.parametrize(
    ("lang", "error"), [("fr", ValueError), ("EN", ValueError), ("", ValueError), (1, TypeError)]
)
def test_lang_is_validated(check, lang, error):
    with pytest.raises(error, match="lang"):
        check(lambda *args: None, lang=lang)


def test_lang_is_keyword_only():
    with pytest.raises(TypeError):
        check_h_gradient(h_gradient, "ja")


class _StarterNeuron:
    """The neuron class as the lesson hands it out: forward left to the learner."""

    def __init__(self, w, b):
        self.w = torch.tensor([w], requires_grad=True)
        self.b = torch.tensor([b], requires_grad=True)

    def forward(self, x):
        raise NotImplementedError("Student exercise: write the forward pass")


def _starter(check):
    if check is check_neuron:
        return _StarterNeuron
    return raising(NotImplementedError("Student exercise: write the function"))


def _raising_learner(check, error):
    if check is check_neuron:

        class Raising(_StarterNeuron):
            def forward(self, x):
                raise error

        return Raising
    return raising(error)


@pytest.mark.parametrize("check", CHECKS, ids=_id)
@pytest.mark.parametrize("lang", LANGS)
def test_starter_code_gets_a_friendly_verdict(check, lang):
    phrases = {
        "en": ["not implemented yet", "`raise NotImplementedError`"],
        "ja": ["まだ実装されていません", "`raise NotImplementedError`"],
    }[lang]
    assert_verdict(check(_starter(check), lang=lang), False, lang, phrases)


@pytest.mark.parametrize("check", CHECKS, ids=_id)
def test_torch_not_implemented_errors_are_not_starter_code(check):
    error = NotImplementedError("\"bitwise_xor_cpu\" not implemented for 'Float'")
    result = check(_raising_learner(check, error))
    assert_verdict(result, False, "en", ["raised NotImplementedError"], ["not implemented yet"])


@pytest.mark.parametrize("check", CHECKS, ids=_id)
@pytest.mark.parametrize("lang", LANGS)
def test_other_exceptions_are_named_with_their_message(check, lang):
    result = check(_raising_learner(check, ZeroDivisionError("my own mistake")), lang=lang)
    phrase = {"en": "raised ZeroDivisionError: my own mistake", "ja": "が発生しました"}[lang]
    assert_verdict(result, False, lang, ["ZeroDivisionError: my own mistake", phrase])


@pytest.mark.parametrize("check", CHECKS, ids=_id)
def test_exception_without_message_is_named(check):
    assert_verdict(check(_raising_learner(check, KeyError())), False, "en", ["raised KeyError."])


@pytest.mark.parametrize("check", CHECKS, ids=_id)
def test_system_exit_in_learner_code_is_not_swallowed_silently(check):
    # SystemExit / KeyboardInterrupt are not the learner's mistakes: they propagate
    with pytest.raises(SystemExit):
        check(_raising_learner(check, SystemExit(3)))


@pytest.mark.parametrize("check", CHECKS, ids=_id)
def test_long_error_messages_are_shortened(check):
    error = RuntimeError("x" * 50 + ". " + "y" * 300)
    result = check(_raising_learner(check, error))
    assert "x" * 50 in result.message and "y" * 10 not in result.message
    assert len(result.message) < 600


def _reference_neuron():
    return LessonNeuron


REFERENCE_SOLUTIONS = {
    check_h_gradient: lambda: h_gradient,
    check_df_dy: lambda: lambda v: chain_rule_gradients(v["x"], v["y"], v["z"])["y"],
    check_backward_pass: lambda: learner_backward,
    check_neuron: _reference_neuron,
    check_squared_loss: lambda: squared_loss,
    check_train: lambda: train,
}


@pytest.mark.parametrize("check", CHECKS, ids=_id)
def test_checks_leave_random_states_and_grad_mode_alone(check):
    solution = REFERENCE_SOLUTIONS[check]()
    random.seed(7)
    np.random.seed(7)
    torch.manual_seed(7)
    expected = (random.random(), np.random.rand(), torch.rand(1).item())
    random.seed(7)
    np.random.seed(7)
    torch.manual_seed(7)
    flags = (torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
    with torch.no_grad():  # a learner may call the check inside no_grad: it still works
        check(_starter(check))
        assert check(solution)
        assert not torch.is_grad_enabled()
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == expected
    assert (torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark) == flags
    assert torch.is_grad_enabled()


def test_checks_leave_random_states_alone_when_the_learner_draws_numbers():
    def noisy(*args):
        random.random()
        np.random.rand(3)
        torch.rand(3)
        torch.manual_seed(123)
        raise ValueError("oops")

    random.seed(3)
    np.random.seed(3)
    torch.manual_seed(3)
    expected = (random.random(), np.random.rand(), torch.rand(1).item())
    random.seed(3)
    np.random.seed(3)
    torch.manual_seed(3)
    for check in CHECKS:
        check(_raising_learner(check, ValueError()) if check is check_neuron else noisy)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == expected


@pytest.mark.parametrize("check", CHECKS, ids=_id)
def test_checks_are_fast(check):
    solution = REFERENCE_SOLUTIONS[check]()
    check(solution)  # the first call may pay one-off imports (torch.optim loads torch._dynamo)
    durations = []
    for _ in range(3):  # the best of three, so that a busy machine does not fail the test
        start = time.perf_counter()
        assert check(solution)
        durations.append(time.perf_counter() - start)
    assert min(durations) < 1.0


# =============================================================================================
# The time limit
# =============================================================================================


def _endless(*args):
    while True:
        pass


class _EndlessNeuron(_StarterNeuron):
    def forward(self, x):
        total = 0
        while True:
            total += 1


class _EndlessInitNeuron:
    def __init__(self, w, b):
        while True:
            pass


def _endless_swallowing(*args):
    while True:  # a learner's `except Exception` cannot swallow the time limit
        try:
            while True:
                pass
        except Exception:  # noqa: BLE001, S110
            pass


def _endless_training(features, labels, model, loss_fn, optimizer, n_epochs):
    losses = []
    epoch = 0
    while epoch < n_epochs:  # forgot `epoch += 1`
        optimizer.zero_grad()
        loss = loss_fn(model(features), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


ENDLESS = {
    check_h_gradient: _endless,
    check_df_dy: _endless_swallowing,
    check_backward_pass: _endless,
    check_neuron: _EndlessNeuron,
    check_squared_loss: _endless_swallowing,
    check_train: _endless_training,
}
SHORT_LIMIT = 0.3


def shorten_time_limit(monkeypatch, check, seconds=SHORT_LIMIT):
    module, name = EXERCISES[check]
    exercise = getattr(module, name)
    monkeypatch.setattr(module, name, dataclasses.replace(exercise, time_limit=seconds))


@pytest.mark.parametrize("name", ["EXERCISE", "_DF_DY", "_BACKWARD", "_NEURON", "_LOSS"])
def test_every_exercise_has_the_default_time_limit(name):
    module = {
        "EXERCISE": gradient,
        "_DF_DY": backprop,
        "_BACKWARD": backprop,
        "_NEURON": neuron,
        "_LOSS": neuron,
    }[name]
    assert getattr(module, name).time_limit == _runner.TIME_LIMIT == 10.0
    assert training.EXERCISE.time_limit == _runner.TIME_LIMIT


@pytest.mark.parametrize("check", CHECKS, ids=_id)
@pytest.mark.parametrize("lang", LANGS)
def test_an_endless_loop_becomes_a_timeout_verdict(monkeypatch, check, lang):
    shorten_time_limit(monkeypatch, check)
    handler = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    result = check(ENDLESS[check], lang=lang)
    assert time.monotonic() - start < 3.0
    phrases = {
        "en": ["still running after 0.3 seconds", "stopped it", "a loop that never ends"],
        "ja": ["0.3 秒たっても終わらなかった", "終わらないループ"],
    }[lang]
    assert_verdict(result, False, lang, phrases)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


def test_the_timeout_verdict_names_the_inputs(monkeypatch):
    shorten_time_limit(monkeypatch, check_train)
    result = check_train(_endless_training)
    assert "for n_epochs = 4 your code was still running" in result.message
    shorten_time_limit(monkeypatch, check_h_gradient)
    calls = []

    def endless_on_arrays(x, y):
        calls.append(np.ndim(x))
        if np.ndim(x):
            _endless()
        return h_gradient(x, y)

    result = check_h_gradient(endless_on_arrays)
    assert "for x = np.array([-1.2, -0.4, 0.7, 1.3, 2.0])" in result.message
    assert "still running" in result.message


def test_an_endless_neuron_init_is_stopped(monkeypatch):
    shorten_time_limit(monkeypatch, check_neuron)
    fails_with(check_neuron, _EndlessInitNeuron, en=["still running"], ja=["終わらなかった"])


def test_the_time_limit_applies_to_each_call_not_to_the_whole_check(monkeypatch):
    shorten_time_limit(monkeypatch, check_h_gradient)

    def slow(x, y):
        time.sleep(0.1)  # six calls: 0.6 s in all, 0.1 s each
        return h_gradient(x, y)

    start = time.monotonic()
    assert check_h_gradient(slow)
    assert time.monotonic() - start > SHORT_LIMIT


def test_time_limit_stops_a_tight_loop_with_the_alarm():
    assert threading.current_thread() is threading.main_thread()
    before = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    with pytest.raises(_runner.TimeLimitExceeded), _runner.time_limit(0.2):
        while True:
            pass
    assert 0.15 < time.monotonic() - start < 2.0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == before


def test_time_limit_lets_fast_code_through_and_disarms():
    before = signal.getsignal(signal.SIGALRM)
    with _runner.time_limit(0.2):
        value = sum(range(100))
    assert value == 4950
    time.sleep(0.3)  # no alarm fires afterwards
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == before


def test_the_time_limit_is_a_base_exception():
    assert issubclass(_runner.TimeLimitExceeded, BaseException)
    assert not issubclass(_runner.TimeLimitExceeded, Exception)


class _OuterAlarm(BaseException):
    pass


@pytest.fixture
def outer_alarm():
    """An alarm armed outside the check (like the site build's per-lesson limit)."""
    fired = []

    def handler(signum, frame):
        fired.append(time.monotonic())
        raise _OuterAlarm

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        yield handler, fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_an_outer_alarm_is_preserved_by_a_check(outer_alarm, monkeypatch):
    handler, fired = outer_alarm
    signal.setitimer(signal.ITIMER_REAL, 5.0)
    assert check_h_gradient(h_gradient)
    remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    assert 4.0 < remaining <= 5.0
    assert signal.getsignal(signal.SIGALRM) is handler
    # also after the check's own alarm fired on an endless loop
    shorten_time_limit(monkeypatch, check_h_gradient)
    result = check_h_gradient(_endless)
    assert "still running" in result.message
    remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    assert 3.0 < remaining <= 5.0 - SHORT_LIMIT
    assert signal.getsignal(signal.SIGALRM) is handler
    assert not fired


def test_an_outer_alarm_that_expires_during_the_check_still_fires_afterwards(outer_alarm):
    handler, fired = outer_alarm
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    with _runner.time_limit(0.2):  # the inner limit fires first ...
        time.sleep(0.05)
    with pytest.raises(_OuterAlarm):  # ... and the outer one is re-armed with its rest
        time.sleep(2.0)
    assert len(fired) == 1


def test_an_outer_alarm_that_fires_first_is_left_alone(outer_alarm):
    handler, fired = outer_alarm
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    start = time.monotonic()
    with pytest.raises(_OuterAlarm), _runner.time_limit(5.0):
        assert signal.getsignal(signal.SIGALRM) is handler  # not replaced
        while True:
            pass
    assert time.monotonic() - start < 2.0
    assert signal.getsignal(signal.SIGALRM) is handler
    assert len(fired) == 1


@pytest.fixture
def no_alarm(monkeypatch):
    """Make the runner believe the system has no interval timer (as on Windows)."""
    monkeypatch.setattr(_runner, "signal", types.SimpleNamespace())


def test_the_watchdog_stops_a_tight_loop(no_alarm):
    start = time.monotonic()
    with pytest.raises(_runner.TimeLimitExceeded), _runner.time_limit(0.2):
        while True:
            pass
    assert 0.15 < time.monotonic() - start < 2.0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_watchdog_lets_fast_code_through_and_does_not_fire_later(no_alarm):
    with _runner.time_limit(0.2):
        value = sum(range(100))
    assert value == 4950
    time.sleep(0.4)  # a late interrupt would raise KeyboardInterrupt here
    assert threading.active_count() >= 1


def test_the_watchdog_lets_a_real_keyboard_interrupt_through(no_alarm):
    with pytest.raises(KeyboardInterrupt), _runner.time_limit(5.0):
        raise KeyboardInterrupt
    time.sleep(0.05)


@pytest.mark.parametrize("lang", LANGS)
def test_a_check_on_the_watchdog_path_gives_the_timeout_verdict(no_alarm, monkeypatch, lang):
    shorten_time_limit(monkeypatch, check_backward_pass)
    result = check_backward_pass(_endless, lang=lang)
    assert_verdict(result, False, lang, ["0.3"])
    assert check_backward_pass(learner_backward, lang=lang)
    time.sleep(0.4)


def _in_a_thread(target, seconds=2.0):
    """Run *target* in a worker thread; return what it returned or raised and whether the main
    thread was interrupted meanwhile (a watchdog that interrupts the wrong thread)."""
    outcome = {}
    finished = threading.Event()

    def worker():
        try:
            outcome["value"] = target()
        except BaseException as error:  # noqa: BLE001
            outcome["error"] = error
        finally:
            finished.set()

    thread = threading.Thread(target=worker, daemon=True)
    main_interrupted = False
    thread.start()
    deadline = time.monotonic() + seconds + 3.0
    while not finished.is_set() and time.monotonic() < deadline:
        try:
            time.sleep(0.02)
        except KeyboardInterrupt:
            main_interrupted = True
    try:
        time.sleep(0.05)
    except KeyboardInterrupt:
        main_interrupted = True
    return outcome, main_interrupted


def test_the_time_limit_works_outside_the_main_thread():
    # A check run from another thread (a notebook widget's callback, a test runner's worker)
    # must stop the learner's loop in *that* thread and leave the main thread alone.
    def loop_in_worker():
        start = time.monotonic()
        with _runner.time_limit(0.2):
            while time.monotonic() - start < 2.0:  # bounded, so the test always ends
                pass
        return time.monotonic() - start

    outcome, main_interrupted = _in_a_thread(loop_in_worker)
    assert not main_interrupted, "the watchdog interrupted the main thread, not the worker"
    assert isinstance(outcome.get("error"), _runner.TimeLimitExceeded), outcome


def test_a_check_in_another_thread_gives_the_timeout_verdict(monkeypatch):
    shorten_time_limit(monkeypatch, check_h_gradient, seconds=0.2)

    def slow_once(x, y, _calls=[]):  # noqa: B006 - counts the calls
        _calls.append(1)
        if len(_calls) == 1:
            start = time.monotonic()
            while time.monotonic() - start < 2.0:
                pass
        return h_gradient(x, y)

    outcome, main_interrupted = _in_a_thread(lambda: check_h_gradient(slow_once))
    assert not main_interrupted
    result = outcome.get("value")
    assert isinstance(result, CheckResult), outcome
    assert not result and "still running" in result.message


# =============================================================================================
# §1.1 check_h_gradient
# =============================================================================================


def _cos(x, y):
    return np.cos(x**2 + y**2)


def _learner_gradient(x, y):
    dz_dx = np.cos(x**2 + y**2) * 2 * x
    dz_dy = np.cos(x**2 + y**2) * 2 * y
    return dz_dx, dz_dy


def _math_or_numpy_gradient(x, y):
    cos = math.cos if np.ndim(x) == 0 and np.ndim(y) == 0 else np.cos
    u = x * x + y * y
    return 2 * x * cos(u), 2 * y * cos(u)


def _torch_gradient(dtype):
    def fn(x, y):
        x = torch.as_tensor(x, dtype=dtype)
        y = torch.as_tensor(y, dtype=dtype)
        u = x**2 + y**2
        return torch.cos(u) * 2 * x, torch.cos(u) * 2 * y

    return fn


H_RIGHT = {
    "library": h_gradient,
    "numpy": _learner_gradient,
    "math_or_numpy": _math_or_numpy_gradient,
    "list": lambda x, y: [2 * x * _cos(x, y), 2 * y * _cos(x, y)],
    "stacked_array": lambda x, y: np.array([2 * x * _cos(x, y), 2 * y * _cos(x, y)]),
    "np_power": lambda x, y: (
        np.cos(np.power(x, 2) + np.square(y)) * np.multiply(2, x),
        2 * np.cos(np.hypot(x, y) ** 2) * y,
    ),
    "torch_float64": _torch_gradient(torch.float64),
    "torch_float32": _torch_gradient(torch.float32),
    "numpy_float32": lambda x, y: _learner_gradient(np.float32(x), np.float32(y)),
    "shape_1_for_scalars": lambda x, y: (
        (np.atleast_1d(2 * x * _cos(x, y)), 2 * y * _cos(x, y))
        if np.ndim(x) == 0
        else (2 * x * _cos(x, y), 2 * y * _cos(x, y))
    ),
    "float32_array": lambda x, y: (
        np.float32(2) * np.cos(np.float32(x) ** 2 + np.float32(y) ** 2, dtype=np.float64) * x,
        2 * y * _cos(x, y),
    ),
}


@pytest.mark.parametrize("name", list(H_RIGHT))
def test_h_right_answers_pass(name):
    passes(
        check_h_gradient,
        H_RIGHT[name],
        en=["cos(x² + y²)·2x", "4 points", "broadcasting"],
        ja=["一致しました", "4 個の点", "ブロードキャスト"],
    )


def test_h_first_test_point_separates_the_typical_mistakes():
    x, y = gradient.SCALAR_POINTS[0]
    assert (x, y) == (0.6, -0.9)
    assert abs(2 * x) != 1 and abs(2 * y) != 1  # else "copied" would read as "inner missing"
    xs, ys = np.float64(x), np.float64(y)
    answers = {key: tuple(map(float, value)) for key, value in gradient.typical_mistakes(xs, ys)}
    assert len(answers) == len(gradient.typical_mistakes(xs, ys))  # one answer per key
    answers["right"] = tuple(float(g) for g in h_gradient(xs, ys))
    assert_all_distinct(answers)
    keys = list(answers)
    for i, first in enumerate(keys):  # and by a margin a learner's rounding cannot bridge
        for second in keys[i + 1 :]:
            difference = np.max(np.abs(np.subtract(answers[first], answers[second])))
            assert difference > 0.05, (first, second)


@pytest.mark.parametrize("point", gradient.SCALAR_POINTS)
def test_h_every_scalar_point_is_a_good_test_point(point):
    x, y = point
    assert abs(math.cos(x**2 + y**2)) > 0.3  # far from the flat rings of h
    assert abs(abs(x) - abs(y)) > 0.3  # swapping the components shows
    right = tuple(float(g) for g in h_gradient(x, y))
    for key, wrong in gradient.typical_mistakes(np.float64(x), np.float64(y)):
        assert distinct(right, tuple(map(float, wrong))), (point, key)


def test_h_the_points_are_in_four_quadrants():
    signs = {(x > 0, y > 0) for x, y in gradient.SCALAR_POINTS}
    assert len(signs) == 4


H_POINT = {"en": "for x = 0.6, y = -0.9", "ja": "x = 0.6, y = -0.9 のとき"}

WRONG_GRADIENTS = {
    "factor2": (
        lambda x, y: (_cos(x, y) * x, _cos(x, y) * y),
        ["factor 2 from d(x²)/dx"],
        ["係数 2 が抜けています"],
    ),
    "sin": (
        lambda x, y: (np.sin(x**2 + y**2) * 2 * x, np.sin(x**2 + y**2) * 2 * y),
        ["derivative of sin is cos"],
        ["sin の導関数は cos"],
    ),
    "inner": (
        lambda x, y: (_cos(x, y), _cos(x, y)),
        ["inner derivative is missing"],
        ["内側の関数の微分が抜けています"],
    ),
    "dy_copied": (
        lambda x, y: (_cos(x, y) * 2 * x, _cos(x, y) * 2 * x),
        ["∂z/∂y is a copy of ∂z/∂x", "= 2y"],
        ["∂z/∂y が ∂z/∂x の写しになっています"],
    ),
    "dx_copied": (
        lambda x, y: (_cos(x, y) * 2 * y, _cos(x, y) * 2 * y),
        ["∂z/∂x is a copy of ∂z/∂y"],
        ["∂z/∂x が ∂z/∂y の写しになっています"],
    ),
    "swapped": (
        lambda x, y: (_cos(x, y) * 2 * y, _cos(x, y) * 2 * x),
        ["components are swapped"],
        ["入れ替わっています"],
    ),
    "sign": (
        lambda x, y: (-_cos(x, y) * 2 * x, -_cos(x, y) * 2 * y),
        ["the sign is wrong"],
        ["符号が逆です"],
    ),
    "h_pair": (
        lambda x, y: (np.sin(x**2 + y**2), np.sin(x**2 + y**2)),
        ["returned h(x, y) = sin(x² + y²) itself"],
        ["そのものを返しています"],
    ),
    "dy_wrong": (
        lambda x, y: (_cos(x, y) * 2 * x, _cos(x, y) * y),
        ["∂z/∂x is right, but ∂z/∂y is not"],
        ["∂z/∂x は正しいのですが、∂z/∂y が違います"],
    ),
    "dx_wrong": (
        lambda x, y: (_cos(x, y) * 3 * x, _cos(x, y) * 2 * y),
        ["∂z/∂y is right, but ∂z/∂x is not"],
        ["∂z/∂y は正しいのですが、∂z/∂x が違います"],
    ),
    "dy_inner_missing": (
        lambda x, y: (_cos(x, y) * 2 * x, _cos(x, y)),
        ["∂z/∂x is right, but ∂z/∂y is not"],
        ["∂z/∂y が違います"],
    ),
    "other": (
        lambda x, y: (np.tan(x), np.tan(y)),
        ["apply the chain rule with u = x² + y²"],
        ["連鎖律を使いましょう"],
    ),
    "cos_of_sum_of_x_and_y": (
        lambda x, y: (np.cos(x + y) * 2 * x, np.cos(x + y) * 2 * y),
        ["apply the chain rule"],
        ["連鎖律"],
    ),
}


@pytest.mark.parametrize("name", list(WRONG_GRADIENTS))
def test_h_typical_mistakes_are_diagnosed(name):
    fn, en, ja = WRONG_GRADIENTS[name]
    fails_with(
        check_h_gradient,
        fn,
        en=[H_POINT["en"], LIKELY["en"], *en],
        ja=[H_POINT["ja"], LIKELY["ja"], *ja],
    )


def test_h_copied_component_is_not_read_as_a_missing_inner_derivative():
    # the known misdiagnosis: at a first point with 2x = 1 the copy looked like "inner missing"
    fails_with(
        check_h_gradient,
        WRONG_GRADIENTS["dy_copied"][0],
        en=["copy"],
        ja=["写し"],
        absent_en=["inner derivative is missing"],
        absent_ja=["内側の関数の微分が抜けています"],
    )


def test_h_typical_mistakes_in_torch_are_diagnosed_too():
    def torch_factor2(x, y):
        x, y = torch.as_tensor(x, dtype=torch.float64), torch.as_tensor(y, dtype=torch.float64)
        return torch.cos(x**2 + y**2) * x, torch.cos(x**2 + y**2) * y

    fails_with(check_h_gradient, torch_factor2, en=["factor 2"], ja=["係数 2"])


def test_h_message_quotes_returned_and_expected_values():
    x, y = gradient.SCALAR_POINTS[0]
    right_x, right_y = h_gradient(x, y)
    result = check_h_gradient(lambda a, b: (_cos(a, b) * a, _cos(a, b) * b))
    expected = f"the gradient is ({fmt(right_x)}, {fmt(right_y)})"
    returned = f"returned ({fmt(right_x / 2)}, {fmt(right_y / 2)})"
    assert expected in result.message and returned in result.message


def test_h_returning_h_itself_as_a_single_value():
    fails_with(
        check_h_gradient,
        lambda x, y: h(x, y),
        en=["which is h(x, y) = sin(x² + y²) itself, not its gradient"],
        ja=["勾配ではなく、h(x, y) = sin(x² + y²) そのもの"],
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda x, y: _cos(x, y) * 2 * x,  # one component only
        lambda x, y: (1.0, 2.0, 3.0),
        lambda x, y: "gradient",
        lambda x, y: {"dx": 1.0, "dy": 2.0},
        lambda x, y: None,
        lambda x, y: print("no return"),
    ],
)
def test_h_not_a_pair(fn, capsys):
    fails_with(check_h_gradient, fn, en=["`return dz_dx, dz_dy`"], ja=["`return dz_dx, dz_dy`"])


class _LengthTwoButNotIterable:
    def __len__(self):
        return 2


@pytest.mark.parametrize(
    "fn",
    [
        lambda x, y: (None, None),
        lambda x, y: ("1.0", "2.0"),
        lambda x, y: (True, False),
        lambda x, y: (torch.tensor(True), torch.tensor(False)),
        lambda x, y: ([1.0, [1.0, 2.0]], 0.0),  # ragged
        lambda x, y: (1.0, object()),
        lambda x, y: (1 + 2j, 0.0),
    ],
)
def test_h_components_that_are_not_numbers(fn):
    fails_with(check_h_gradient, fn, en=["must be numbers or NumPy arrays"], ja=["NumPy 配列"])


def test_h_object_with_length_two_that_cannot_be_unpacked():
    fails_with(
        check_h_gradient, lambda x, y: _LengthTwoButNotIterable(), en=["`return dz_dx, dz_dy`"]
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda x, y: (float(np.sum(_cos(x, y) * 2 * x)), float(np.sum(_cos(x, y) * 2 * y))),
        lambda x, y: (np.sum(_cos(x, y) * 2 * x), _cos(x, y) * 2 * y),
    ],
)
def test_h_wrong_shape_for_arrays(fn):
    fails_with(
        check_h_gradient,
        fn,
        en=["np.array([-1.2, -0.4, 0.7, 1.3, 2.0])", "shape (5,) of x and y broadcast together"],
        ja=["形状 (5,)", "ブロードキャストした形状"],
    )


def test_h_broadcasting_case_is_checked():
    def no_broadcast(x, y):
        dz_dx, dz_dy = _learner_gradient(x, y)
        return dz_dx, np.cos(y**2) * 2 * y if np.ndim(x) == 2 else dz_dy

    fails_with(check_h_gradient, no_broadcast, en=["(3, 4)"], ja=["(3, 4)"])


def test_h_wrong_on_arrays_only_names_the_index():
    def clipped(x, y):
        dz_dx, dz_dy = _learner_gradient(x, y)
        return np.where(np.abs(x) > 1.9, 0.0, dz_dx), dz_dy

    right_x, right_y = h_gradient(2.0, -0.3)
    fails_with(
        check_h_gradient,
        clipped,
        en=["is wrong at index (4,) (x = 2, y = -0.3)", f"({fmt(0)}, {fmt(right_y)})"],
        ja=[
            "インデックス (4,)（x = 2, y = -0.3）で結果が違います",
            f"({fmt(right_x)}, {fmt(right_y)})",
        ],
    )


def test_h_wrong_formula_on_arrays_is_diagnosed_at_the_first_wrong_index():
    def factor2_on_arrays(x, y):
        if np.ndim(x) == 0:
            return _learner_gradient(x, y)
        return _cos(x, y) * x, _cos(x, y) * y

    fails_with(
        check_h_gradient,
        factor2_on_arrays,
        en=["wrong at index (0,)", "factor 2"],
        ja=["インデックス (0,)", "係数 2"],
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_h_nan_or_inf(bad):
    fails_with(
        check_h_gradient,
        lambda x, y: (bad, 1.0),
        en=["NaN or infinite", repr(bad)],
        ja=["NaN または無限大"],
    )


def test_h_nan_in_arrays_only():
    def nan_for_arrays(x, y):
        dz_dx, dz_dy = _learner_gradient(x, y)
        return (dz_dx * np.nan if np.ndim(x) else dz_dx), dz_dy

    fails_with(
        check_h_gradient,
        nan_for_arrays,
        en=["NaN or infinite", "np.array([-1.2,"],
        ja=["NaN または無限大"],
    )


def test_h_power_written_with_xor_gets_a_hint():
    fails_with(
        check_h_gradient,
        lambda x, y: (np.cos(x ^ 2 + y ^ 2), 0.0),
        en=["TypeError", "`x**2`", "XOR"],
        ja=["TypeError", "べき乗は `x**2`"],
    )


def test_h_math_functions_fail_on_arrays_with_a_hint():
    def with_math(x, y):
        return math.cos(x**2 + y**2) * 2 * x, math.cos(x**2 + y**2) * 2 * y

    fails_with(
        check_h_gradient,
        with_math,
        en=["np.array([-1.2,", "raised TypeError", "`np.cos`"],
        ja=["np.array([-1.2,", "TypeError", "`math` モジュールの関数は 1 つの数しか"],
    )


def test_h_torch_functions_on_numbers_get_a_hint():
    fails_with(
        check_h_gradient,
        lambda x, y: (torch.cos(x**2 + y**2) * 2 * x, 0.0),
        en=["TypeError", "torch functions expect tensors"],
        ja=["torch の関数はテンソルを受け取ります"],
    )


def test_h_inputs_are_copies():
    calls = []

    def mutating(x, y):
        calls.append((np.copy(x), np.copy(y)))
        result = _learner_gradient(x, y)
        if isinstance(x, np.ndarray):
            x *= 0  # spoils the caller's array, not the check's
        return result

    assert check_h_gradient(mutating)
    assert check_h_gradient(mutating)  # and a second run sees the same inputs
    n_points = len(gradient.SCALAR_POINTS)
    assert len(calls) == 2 * (n_points + 2)
    assert all(isinstance(x, float) and isinstance(y, float) for x, y in calls[:n_points]) or all(
        np.ndim(x) == 0 and np.ndim(y) == 0 for x, y in calls[:n_points]
    )
    assert [tuple(map(float, c)) for c in calls[:n_points]] == list(gradient.SCALAR_POINTS)
    assert [np.shape(x) for x, _ in calls[n_points : n_points + 2]] == [(5,), (3, 1)]
    assert all(
        np.array_equal(a[0], b[0])
        for a, b in zip(calls[: n_points + 2], calls[n_points + 2 :], strict=True)
    )


# =============================================================================================
# §1.3 check_df_dy and check_backward_pass
# =============================================================================================

# The local derivatives as a learner writes them, independently of gdguide.
LOCAL = {
    "f/e": lambda v: 1 - math.tanh(v["e"]) ** 2,
    "e/d": lambda v: 1 / (1 + v["d"]),
    "d/c": lambda v: v["z"],
    "d/z": lambda v: v["c"],
    "c/a": lambda v: 1 / v["b"],
    "c/b": lambda v: -v["a"] / v["b"] ** 2,
    "a/x": lambda v: 2,
    "b/y": lambda v: math.cos(v["y"]),
}
PATHS = {
    "x": ("f/e", "e/d", "d/c", "c/a", "a/x"),
    "y": ("f/e", "e/d", "d/c", "c/b", "b/y"),
    "z": ("f/e", "e/d", "d/z"),
}
FACTOR = {
    "f/e": "∂f/∂e = 1 − tanh(e)²",
    "e/d": "∂e/∂d = 1/(d + 1)",
    "d/c": "∂d/∂c = z",
    "d/z": "∂d/∂z = c",
    "c/a": "∂c/∂a = 1/b",
    "c/b": "∂c/∂b = −a/b²",
    "a/x": "∂a/∂x = 2",
    "b/y": "∂b/∂y = cos y",
}
PARTIAL = {"x": "∂f/∂x", "y": "∂f/∂y", "z": "∂f/∂z"}
BP_POINT = {"en": "for x = 0.7, y = 1.2, z = 0.3", "ja": "x = 0.7, y = 1.2, z = 0.3 のとき"}


def learner_backward(v):
    """The backward pass as the lesson asks for it: reverse order, upstream times local."""
    df_de = 1 - math.tanh(v["e"]) ** 2
    df_dd = df_de * 1 / (v["d"] + 1)
    df_dc = df_dd * v["z"]
    df_dz = df_dd * v["c"]
    df_da = df_dc * (1 / v["b"])
    df_db = df_dc * (-v["a"] / v["b"] ** 2)
    df_dx = df_da * 2
    df_dy = df_db * math.cos(v["y"])
    return df_dx, df_dy, df_dz


def backward_with(*, skip=(), replace=None, only=None):
    """A backward pass with a typical mistake: the factors in *skip* left out and the local
    derivatives in *replace* written wrongly, in the components *only* (all by default)."""
    replace = replace or {}

    def fn(v):
        grads = []
        for component in "xyz":
            faulty = only is None or component in only
            product = 1.0
            for name in PATHS[component]:
                if faulty and name in skip:
                    continue
                local = replace[name] if faulty and name in replace else LOCAL[name]
                product *= local(v)
            grads.append(product)
        return tuple(grads)

    return fn


def df_dy_with(**mistake):
    backward = backward_with(**mistake)
    return lambda v: backward(v)[1]


def _numpy_df_dy(v):
    return (
        (1 - np.tanh(v["e"]) ** 2)
        / (v["d"] + 1)
        * v["z"]
        * (-v["a"] / np.square(v["b"]))
        * np.cos(v["y"])
    )


def _torch_df_dy(dtype, shape=()):
    def fn(v):
        t = {key: torch.tensor(value, dtype=dtype) for key, value in v.items()}
        result = (1 - torch.tanh(t["e"]) ** 2) / (t["d"] + 1) * t["z"]
        result = result * (-t["a"] / t["b"] ** 2) * torch.cos(t["y"])
        return result.reshape(shape)

    return fn


def _autograd_backward(v):
    x, y, z = (torch.tensor(v[key], dtype=torch.float64, requires_grad=True) for key in "xyz")
    value = torch.tanh(torch.log(1 + z * 2 * x / torch.sin(y)))
    value.backward()
    return x.grad, y.grad, z.grad


DF_DY_RIGHT = {
    "library": lambda v: chain_rule_gradients(v["x"], v["y"], v["z"])["y"],
    "math": lambda v: learner_backward(v)[1],
    "one_line": lambda v: (
        (1 - math.tanh(v["e"]) ** 2)
        / (v["d"] + 1)
        * v["z"]
        * (-v["a"] / v["b"] ** 2)
        * math.cos(v["y"])
    ),
    "numpy_float64": _numpy_df_dy,
    "numpy_float32": lambda v: np.float32(_numpy_df_dy(v)),
    "tensor_0d": _torch_df_dy(torch.float64),
    "tensor_1_element": _torch_df_dy(torch.float64, (1,)),
    "tensor_float32": _torch_df_dy(torch.float32, (1, 1)),
    "autograd": lambda v: _autograd_backward(v)[1],
    "list_of_one": lambda v: [learner_backward(v)[1]],
    "via_c": lambda v: (
        (1 - math.tanh(v["e"]) ** 2) / (1 + v["d"]) * v["z"] * (-v["c"] / v["b"]) * math.cos(v["y"])
    ),  # −a/b² written as −c/b
}


@pytest.mark.parametrize("name", list(DF_DY_RIGHT))
def test_df_dy_right_answers_pass(name):
    passes(
        check_df_dy,
        DF_DY_RIGHT[name],
        en=["your ∂f/∂y matches autograd at 8 points"],
        ja=["8 個の点で自動微分と一致しました"],
    )


def test_df_dy_is_called_with_a_fresh_dict_of_forward_values():
    seen = []

    def spy(v):
        seen.append(dict(v))
        answer = learner_backward(v)[1]
        v.clear()  # spoils the learner's copy only
        return answer

    assert check_df_dy(spy) and check_df_dy(spy)
    assert len(seen) == 2 * len(backprop.POINTS)
    for values, point in zip(seen, backprop.POINTS * 2, strict=True):
        assert values == forward_values(*point)
        assert list(values) == ["x", "y", "z", "a", "b", "c", "d", "e", "f"]


def test_the_first_bp_point_has_no_local_derivative_near_one():
    v = forward_values(*backprop.POINTS[0])
    for name, local in LOCAL.items():
        assert abs(abs(local(v)) - 1) > 0.05, name
    assert backprop.POINTS[1] == (1.0, 0.5, 0.5)  # the lesson's point comes second


def test_the_bp_points_lie_in_the_domain_and_match_autograd():
    for point in backprop.POINTS:
        v = forward_values(*point)
        assert math.sin(v["y"]) != 0 and 1 + v["d"] > 0
        expected = [float(g) for g in autograd_gradient(f, *point)]
        assert np.allclose(learner_backward(v), expected, rtol=1e-9)


def test_the_package_local_derivatives_agree_with_the_learners():
    v = forward_values(*backprop.POINTS[0])
    local = backprop.local_derivatives(v)
    assert set(local) == set(LOCAL)
    for name, value in local.items():
        assert math.isclose(value, LOCAL[name](v)), name
    assert backprop.PATHS == PATHS
    assert backprop.FACTOR_TEXT == FACTOR


@pytest.mark.parametrize("component", "xyz")
def test_the_first_bp_point_separates_the_typical_mistakes(component):
    v = forward_values(*backprop.POINTS[0])
    expected = [float(g) for g in autograd_gradient(f, *backprop.POINTS[0])]
    index = "xyz".index(component)
    mistakes = backprop.component_mistakes(v, component)
    answers = {"right": expected[index]}
    for key, values, answer in mistakes:
        answers[(key, tuple(sorted(values.items())))] = answer
    if component == "y":  # check_df_dy also knows these two
        answers["returned_dx"] = expected[0]
        answers["returned_f"] = v["f"]
    # every left-out factor of the path is there
    left_out = {
        dict(values)["factor"]
        for (key, values), _ in ((k, a) for k, a in answers.items() if isinstance(k, tuple))
        if key == "bp_why_missing"
    }
    assert left_out == {FACTOR[name] for name in PATHS[component]}
    # and no two different mistakes give the same answer (the same key may repeat a value)
    keys = list(answers)
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            same_key = (
                isinstance(first, tuple)
                and isinstance(second, tuple)
                and (first[0] == second[0] != "bp_why_missing")
            )
            if not same_key:
                assert distinct(answers[first], answers[second]), (first, second)


WRONG_DF_DY = {
    **{
        f"missing_{name}": (
            df_dy_with(skip={name}),
            [f"∂f/∂y is missing the factor {FACTOR[name]}"],
            [f"∂f/∂y に因子 {FACTOR[name]} が抜けています"],
        )
        for name in PATHS["y"]
    },
    "tanh": (
        df_dy_with(replace={"f/e": lambda v: 1 - math.tanh(v["e"])}),
        ["the derivative of tanh is 1 − tanh²"],
        ["tanh の導関数は 1 − tanh²"],
    ),
    "sign_of_dc_db": (
        df_dy_with(replace={"c/b": lambda v: v["a"] / v["b"] ** 2}),
        ["the minus sign of ∂c/∂b = −a/b² is missing"],
        ["マイナス符号が抜けています"],
    ),
    "a_of_dc_db": (
        df_dy_with(replace={"c/b": lambda v: -1 / v["b"] ** 2}),
        ["∂c/∂b is wrong", "the a stays"],
        ["∂c/∂b が違います", "a は残り"],
    ),
    "dc_db_as_dc_da": (
        df_dy_with(replace={"c/b": lambda v: 1 / v["b"]}),
        ["∂c/∂b is wrong"],
        ["∂c/∂b が違います"],
    ),
    "sin_for_cos": (
        df_dy_with(replace={"b/y": lambda v: math.sin(v["y"])}),
        ["the derivative of sin y, which is cos y, not sin y"],
        ["cos y です。sin y ではありません"],
    ),
    "returned_dx": (
        lambda v: learner_backward(v)[0],
        ["you returned ∂f/∂x", "b = sin y"],
        ["∂f/∂x を返しています"],
    ),
    "returned_f": (
        lambda v: v["f"],
        ["you returned the value of f itself"],
        ["f の値そのもの"],
    ),
    "returned_f_recomputed": (
        lambda v: math.tanh(math.log(1 + v["z"] * 2 * v["x"] / math.sin(v["y"]))),
        ["the value of f itself"],
        ["f の値そのもの"],
    ),
    "other": (
        lambda v: v["y"] * 0.123,
        ["write ∂f/∂y as the product of the local derivatives"],
        ["∂f/∂y を、f から入力までの経路上の局所微分の積"],
    ),
}


@pytest.mark.parametrize("name", list(WRONG_DF_DY))
def test_df_dy_typical_mistakes_are_diagnosed(name):
    fn, en, ja = WRONG_DF_DY[name]
    fails_with(
        check_df_dy,
        fn,
        en=[BP_POINT["en"], "but ∂f/∂y there is", LIKELY["en"], *en],
        ja=[BP_POINT["ja"], "そこでの ∂f/∂y は", LIKELY["ja"], *ja],
    )


def test_df_dy_with_one_minus_f_squared_is_right():
    # f = tanh(e), so 1 − f² is tanh's derivative too
    def with_f(v):
        return (
            (1 - v["f"] ** 2) / (1 + v["d"]) * v["z"] * (-v["a"] / v["b"] ** 2) * math.cos(v["y"])
        )

    assert check_df_dy(with_f)


def test_df_dy_message_quotes_both_numbers():
    v = forward_values(*backprop.POINTS[0])
    right = learner_backward(v)[1]
    result = check_df_dy(lambda v: -learner_backward(v)[1])
    assert f"returned {fmt(-right)}, but ∂f/∂y there is {fmt(right)}" in result.message


@pytest.mark.parametrize(
    ("fn", "got_type"),
    [
        (lambda v: "0.5", "str"),
        (lambda v: None, "NoneType"),
        (lambda v: (0.1, 0.2), "tuple"),
        (lambda v: learner_backward(v), "tuple"),  # the whole backward pass
        (lambda v: {"y": 0.1}, "dict"),
        (lambda v: torch.tensor([0.1, 0.2]), "Tensor"),
        (lambda v: np.array([0.1, 0.2]), "ndarray"),
        (lambda v: True, "bool"),
        (lambda v: 1 + 2j, "complex"),
        (lambda v: torch.tensor(True), "Tensor"),
    ],
)
def test_df_dy_not_a_number(fn, got_type):
    fails_with(
        check_df_dy,
        fn,
        en=[f"(type {got_type}", "∂f/∂y is one number: return a float"],
        ja=[f"（{got_type}", "∂f/∂y は 1 つの数です"],
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.float64("nan")])
def test_df_dy_nan_or_inf(bad):
    fails_with(check_df_dy, lambda v: bad, en=["NaN or infinity"], ja=["NaN または無限大"])


def test_df_dy_nan_from_a_wrong_formula():
    fails_with(
        check_df_dy,
        lambda v: math.sqrt(v["d"]) * float("nan"),
        en=["NaN or infinity: nan"],
        ja=["NaN または無限大"],
    )


@pytest.mark.parametrize(
    ("fn", "error"),
    [
        (lambda v: v["dc"] * v["z"], "KeyError: 'dc'"),
        (lambda v: v["df_dy"], "KeyError: 'df_dy'"),
        (lambda v: v.x, "AttributeError"),
        (lambda v: v["y"] / 0, "ZeroDivisionError"),
        (lambda v: math.log(-1), "ValueError: math domain error"),
    ],
)
def test_df_dy_errors_become_verdicts(fn, error):
    fails_with(
        check_df_dy,
        fn,
        en=["calling your function with x = 0.7, y = 1.2, z = 0.3 raised", error],
        ja=["x = 0.7, y = 1.2, z = 0.3 で関数を呼び出すと", error, "が発生しました"],
    )


BACKWARD_RIGHT = {
    "library": lambda v: tuple(chain_rule_gradients(v["x"], v["y"], v["z"])[k] for k in "xyz"),
    "tuple": learner_backward,
    "list": lambda v: list(learner_backward(v)),
    "numpy_array": lambda v: np.array(learner_backward(v)),
    "numpy_float32_array": lambda v: np.array(learner_backward(v), dtype=np.float32),
    "numpy_scalars": lambda v: tuple(np.float64(g) for g in learner_backward(v)),
    "tensor": lambda v: torch.tensor(learner_backward(v), dtype=torch.float64),
    "tensor_float32": lambda v: torch.tensor(learner_backward(v)),
    "tensor_column": lambda v: torch.tensor(learner_backward(v)).reshape(3, 1),
    "tuple_of_tensors": _autograd_backward,
    "generic_product": backward_with(),
    "dict_values": lambda v: dict(zip("xyz", learner_backward(v), strict=True)).values(),
}


@pytest.mark.parametrize("name", list(BACKWARD_RIGHT))
def test_backward_right_answers_pass(name):
    passes(
        check_backward_pass,
        BACKWARD_RIGHT[name],
        en=["∂f/∂x, ∂f/∂y and ∂f/∂z equal to autograd's at 8 points"],
        ja=["8 個の点で", "自動微分と一致しました"],
    )


def _missing(component, name):
    return (
        backward_with(skip={name}, only=component),
        [
            f"{PARTIAL[component]} is wrong",
            f"{PARTIAL[component]} is missing the factor {FACTOR[name]}",
        ],
        [f"{PARTIAL[component]} が違います", f"{PARTIAL[component]} に因子 {FACTOR[name]} が"],
    )


WRONG_BACKWARDS = {
    **{
        f"{component}_missing_{name}": _missing(component, name)
        for component in "xyz"
        for name in PATHS[component]
    },
    "tanh_everywhere": (
        backward_with(replace={"f/e": lambda v: 1 - math.tanh(v["e"])}),
        ["∂f/∂x is wrong", "1 − tanh(e)², not 1 − tanh(e)"],
        ["∂f/∂x が違います", "1 − tanh(e) では"],
    ),
    "upstream_f_e_missing_everywhere": (
        backward_with(skip={"f/e"}),
        ["∂f/∂x is missing the factor ∂f/∂e = 1 − tanh(e)²"],
        ["∂f/∂x に因子 ∂f/∂e = 1 − tanh(e)² が抜けています"],
    ),
    "z_of_c_forgotten": (
        backward_with(skip={"d/c"}),
        ["∂f/∂x is missing the factor ∂d/∂c = z"],
        ["因子 ∂d/∂c = z"],
    ),
    "sign_of_dc_db": (
        backward_with(replace={"c/b": lambda v: v["a"] / v["b"] ** 2}),
        ["∂f/∂y is wrong", "minus sign of ∂c/∂b"],
        ["∂f/∂y が違います", "マイナス符号"],
    ),
    "a_of_dc_db": (
        backward_with(replace={"c/b": lambda v: -1 / v["b"] ** 2}),
        ["∂f/∂y is wrong", "∂c/∂b is wrong"],
        ["∂c/∂b が違います"],
    ),
    "sin_for_cos": (
        backward_with(replace={"b/y": lambda v: math.sin(v["y"])}),
        ["∂f/∂y is wrong", "cos y, not sin y"],
        ["sin y ではありません"],
    ),
    "dz_with_z": (
        backward_with(replace={"d/z": lambda v: v["z"]}),
        ["∂f/∂z is wrong", "write ∂f/∂z as the product"],
        ["∂f/∂z が違います", "局所微分の積"],
    ),
    "order_yxz": (
        lambda v: (learner_backward(v)[1], learner_backward(v)[0], learner_backward(v)[2]),
        ["right but in the wrong order", "(df_dx, df_dy, df_dz)"],
        ["順番が違います"],
    ),
    "order_reversed": (
        lambda v: learner_backward(v)[::-1],
        ["wrong order"],
        ["順番が違います"],
    ),
    "other": (
        lambda v: (1.0, 2.0, 3.0),
        ["∂f/∂x is wrong", "write ∂f/∂x as the product"],
        ["∂f/∂x を、f から入力までの経路上の局所微分の積"],
    ),
}


@pytest.mark.parametrize("name", list(WRONG_BACKWARDS))
def test_backward_typical_mistakes_are_diagnosed(name):
    fn, en, ja = WRONG_BACKWARDS[name]
    fails_with(
        check_backward_pass,
        fn,
        en=[BP_POINT["en"], "but (∂f/∂x, ∂f/∂y, ∂f/∂z) there is", LIKELY["en"], *en],
        ja=[BP_POINT["ja"], "そこでの (∂f/∂x, ∂f/∂y, ∂f/∂z) は", LIKELY["ja"], *ja],
    )


def test_backward_message_quotes_all_three_numbers():
    v = forward_values(*backprop.POINTS[0])
    right = learner_backward(v)
    result = check_backward_pass(lambda v: (0.0, *learner_backward(v)[1:]))
    expected = "(" + ", ".join(fmt(g) for g in right) + ")"
    got = "(" + ", ".join(fmt(g) for g in (0.0, *right[1:])) + ")"
    assert f"returned {got}, but (∂f/∂x, ∂f/∂y, ∂f/∂z) there is {expected}" in result.message


@pytest.mark.parametrize(
    "fn",
    [
        lambda v: learner_backward(v)[1],  # ∂f/∂y only
        lambda v: learner_backward(v)[:2],
        lambda v: (*learner_backward(v), 0.0),
        lambda v: "df_dx, df_dy, df_dz",
        lambda v: None,
        lambda v: dict(zip("xyz", learner_backward(v), strict=True)),
        lambda v: (0.1, "0.2", 0.3),
        lambda v: (0.1, None, 0.3),
        lambda v: (0.1, [0.2, 0.3], 0.4),
        lambda v: torch.zeros(3, 2),
        lambda v: (True, False, True),
    ],
)
def test_backward_not_three_numbers(fn):
    fails_with(
        check_backward_pass,
        fn,
        en=["should return the three numbers (df_dx, df_dy, df_dz)"],
        ja=["3 つの数を返す必要があります"],
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_backward_nan_or_inf(bad):
    fails_with(
        check_backward_pass,
        lambda v: (learner_backward(v)[0], bad, learner_backward(v)[2]),
        en=["NaN or infinity"],
        ja=["NaN または無限大"],
    )


def test_backward_key_error_becomes_a_verdict():
    def wrong_key(v):
        df_de = 1 - math.tanh(v["e"]) ** 2
        return df_de * v["dd"], 0.0, 0.0

    fails_with(
        check_backward_pass,
        wrong_key,
        en=["raised KeyError: 'dd'"],
        ja=["KeyError: 'dd'", "が発生しました"],
    )


def test_backward_changing_v_in_place_does_not_leak():
    def overwriting(v):
        grads = learner_backward(v)
        v["x"] = v["y"] = v["z"] = 100.0
        return grads

    assert check_backward_pass(overwriting) and check_backward_pass(learner_backward)


# =============================================================================================
# §2.1 check_neuron
# =============================================================================================


class LessonNeuron:
    """The lesson's class: float32 parameters created with requires_grad in __init__."""

    def __init__(self, w, b):
        self.w = torch.tensor([w], requires_grad=True)
        self.b = torch.tensor([b], requires_grad=True)

    def forward(self, x):
        return torch.tanh(self.w * x + self.b)


def neuron_with(forward_fn=None, *, make=None):
    """A neuron class with *forward_fn(self, x)* as its forward (the lesson's by default) and
    parameters from *make(w, b)* (the lesson's by default)."""

    class Neuron(LessonNeuron):
        def __init__(self, w, b):
            if make is None:
                super().__init__(w, b)
            else:
                self.w, self.b = make(w, b)

        def forward(self, x):
            if forward_fn is None:
                return super().forward(x)
            return forward_fn(self, x)

    return Neuron


class Float64Neuron(LessonNeuron):
    def __init__(self, w, b):
        self.w = torch.tensor([w], dtype=torch.float64, requires_grad=True)
        self.b = torch.tensor([b], dtype=torch.float64, requires_grad=True)


class ModuleNeuron(torch.nn.Module):
    def __init__(self, w, b):
        super().__init__()
        self.w = torch.nn.Parameter(torch.tensor([w]))
        self.b = torch.nn.Parameter(torch.tensor([b]))

    def forward(self, x):
        return torch.tanh(self.w * x + self.b)


class CallingNeuron(LessonNeuron):
    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        linear = x * self.w
        linear = linear + self.b
        return linear.tanh()


NEURON_RIGHT = {
    "lesson": LessonNeuron,
    "float64": Float64Neuron,
    "module_with_parameters": ModuleNeuron,
    "with_call_and_method_tanh": CallingNeuron,
    "x_times_w": neuron_with(lambda self, x: torch.tanh(x * self.w + self.b)),
    "functional": neuron_with(lambda self, x: F.tanh(torch.add(torch.mul(self.w, x), self.b))),
    "addcmul": neuron_with(lambda self, x: torch.tanh(torch.addcmul(self.b, self.w, x))),
    "x_float": neuron_with(lambda self, x: torch.tanh(self.w * x.float() + self.b)),
    "x_double_float32_params": neuron_with(
        lambda self, x: torch.tanh(self.w * x.double() + self.b)
    ),
    "tanh_from_exp": neuron_with(
        lambda self, x: (
            (1 - torch.exp(-2 * (self.w * x + self.b)))
            / (1 + torch.exp(-2 * (self.w * x + self.b)))
        )
    ),
    "zero_d_parameters": neuron_with(
        make=lambda w, b: (torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
    ),
    "full_float64": neuron_with(
        make=lambda w, b: (
            torch.full((1,), w, dtype=torch.float64, requires_grad=True),
            torch.full((1,), b, dtype=torch.float64).requires_grad_(),
        )
    ),
    "float_of_argument": neuron_with(
        make=lambda w, b: (
            torch.tensor([float(w)], requires_grad=True),
            torch.tensor([float(b)], requires_grad=True),
        )
    ),
}


@pytest.mark.parametrize("name", list(NEURON_RIGHT))
def test_neuron_right_answers_pass(name):
    passes(
        check_neuron,
        NEURON_RIGHT[name],
        en=[
            "stores w and b as tensors that require gradients",
            "tanh(w·x + b) for 3 inputs",
            "right gradients back to w and b",
        ],
        ja=["勾配が必要なテンソル", "3 通りの入力で tanh(w·x + b)", "正しい勾配"],
    )


def test_neuron_is_built_with_the_given_numbers_and_called_with_tensors():
    seen = []

    class Spy(LessonNeuron):
        def __init__(self, w, b):
            seen.append(("init", w, b))
            super().__init__(w, b)

        def forward(self, x):
            seen.append(("forward", x.dtype, tuple(x.shape)))
            return super().forward(x)

    assert check_neuron(Spy)
    assert seen == [
        ("init", 0.8, -0.3),
        ("forward", torch.float32, (4,)),
        ("init", -0.5, 0.5),
        ("forward", torch.int64, (1,)),
        ("init", 1.3, 0.4),
        ("forward", torch.float32, (3, 1)),
    ]


def test_the_first_neuron_case_separates_the_typical_mistakes():
    case = neuron._neuron_case(*neuron.NEURON_CASES[0])
    answers = {"right": case.expected.numpy()}
    for key, answer in case.mistakes:
        answers[key] = answer.numpy()
    assert len(answers) == len(case.mistakes) + 1
    assert_all_distinct(answers)
    assert {key for key, _ in case.mistakes} == {
        "neuron_why_no_tanh",
        "neuron_why_sigmoid",
        "neuron_why_relu",
        "neuron_why_no_bias",
        "neuron_why_bias_outside",
    }


NEURON_INPUTS = "SimpleNeuron(0.8, -0.3), x = tensor([-1.5, 0, 0.5, 2])"

WRONG_NEURONS = {
    "no_tanh": (
        neuron_with(lambda self, x: self.w * x + self.b),
        ["activation is missing"],
        ["活性化関数が抜けています"],
    ),
    "sigmoid": (
        neuron_with(lambda self, x: torch.sigmoid(self.w * x + self.b)),
        ["used the sigmoid"],
        ["シグモイド関数を使っています"],
    ),
    "relu": (
        neuron_with(lambda self, x: torch.relu(self.w * x + self.b)),
        ["you used ReLU"],
        ["ReLU を使っています"],
    ),
    "no_bias": (
        neuron_with(lambda self, x: torch.tanh(self.w * x)),
        ["bias b is missing"],
        ["バイアス b が抜けています"],
    ),
    "bias_outside": (
        neuron_with(lambda self, x: torch.tanh(self.w * x) + self.b),
        ["b is added after tanh"],
        ["b が tanh の後で足されています"],
    ),
    "other": (
        neuron_with(lambda self, x: torch.tanh(self.w * x - self.b)),
        ["multiply w by x, add b"],
        ["w と x を掛け、b を足して"],
    ),
    "w_and_b_swapped": (
        neuron_with(lambda self, x: torch.tanh(self.b * x + self.w)),
        ["multiply w by x, add b"],
        ["w と x を掛け"],
    ),
}


@pytest.mark.parametrize("name", list(WRONG_NEURONS))
def test_neuron_typical_mistakes_are_diagnosed(name):
    cls, en, ja = WRONG_NEURONS[name]
    fails_with(
        check_neuron,
        cls,
        en=[
            f"for {NEURON_INPUTS} your function returned",
            "but tanh(w·x + b) is",
            LIKELY["en"],
            *en,
        ],
        ja=[f"{NEURON_INPUTS} のとき", LIKELY["ja"], *ja],
    )


def test_neuron_message_quotes_the_expected_prediction():
    result = check_neuron(WRONG_NEURONS["no_tanh"][0])
    expected = torch.tanh(0.8 * torch.tensor([-1.5, 0.0, 0.5, 2.0]) - 0.3)
    assert ", ".join(fmt(v) for v in expected) in result.message


@pytest.mark.parametrize(
    "forward",
    [
        lambda self, x: torch.tanh(self.w * x + self.b).detach(),
        lambda self, x: torch.tanh(self.w.detach() * x + self.b.detach()),
        lambda self, x: torch.tanh(self.w.data * x + self.b.data),
        lambda self, x: torch.tensor(torch.tanh(self.w * x + self.b).tolist()),
        lambda self, x: torch.tanh(self.w.item() * x + self.b.item()),
        lambda self, x: torch.from_numpy(
            np.tanh(self.w.detach().numpy() * x.numpy() + self.b.detach().numpy())
        ),
    ],
    ids=["result", "both", "data", "tensor_of_list", "item", "numpy_round_trip"],
)
def test_neuron_detached_result_is_flagged(forward):
    fails_with(
        check_neuron,
        neuron_with(forward),
        en=["the values are right", "no grad_fn", "`loss.backward()`, would fail"],
        ja=["値は正しいのですが", "grad_fn がありません", "失敗します"],
    )


def test_neuron_forward_under_no_grad_is_flagged():
    def no_grad_forward(self, x):
        with torch.no_grad():
            return torch.tanh(self.w * x + self.b)

    fails_with(
        check_neuron, neuron_with(no_grad_forward), en=["no grad_fn"], ja=["grad_fn がありません"]
    )


@pytest.mark.parametrize(
    ("forward", "name"),
    [
        (lambda self, x: torch.tanh(self.w.detach() * x + self.b), "w"),
        (lambda self, x: torch.tanh(self.w.data * x + self.b), "w"),
        (lambda self, x: torch.tanh(self.w.item() * x + self.b), "w"),
        (lambda self, x: torch.tanh(self.w * x + self.b.detach()), "b"),
        (lambda self, x: torch.tanh(self.w * x + self.b.data), "b"),
        (lambda self, x: torch.tanh(self.w * x + self.b.item()), "b"),
        (lambda self, x: torch.tanh(self.w * x + float(self.b)), "b"),
    ],
    ids=["w_detach", "w_data", "w_item", "b_detach", "b_data", "b_item", "b_float"],
)
@pytest.mark.filterwarnings("ignore:Converting a tensor with requires_grad=True:UserWarning")
def test_neuron_hidden_detach_of_one_parameter_is_flagged(forward, name):
    fails_with(
        check_neuron,
        neuron_with(forward),
        en=["the values are right", f"no gradient reaches {name}"],
        ja=["値は正しいのですが", f"{name} に勾配が届きません"],
    )


def test_neuron_copy_of_the_parameters_in_forward_is_flagged():
    def copies(self, x):
        w = torch.tensor(self.w.tolist(), requires_grad=True)  # a new leaf, not self.w
        return torch.tanh(w * x + self.b)

    fails_with(
        check_neuron, neuron_with(copies), en=["no gradient reaches w"], ja=["w に勾配が届きません"]
    )


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda w, b: (torch.tensor([w]), torch.tensor([b], requires_grad=True)), "w"),
        (lambda w, b: (torch.tensor([w], requires_grad=True), torch.tensor([b])), "b"),
        (lambda w, b: (torch.tensor([w]), torch.tensor([b])), "w"),
    ],
    ids=["w", "b", "both"],
)
def test_neuron_without_requires_grad_is_flagged(make, name):
    def forward(self, x):
        return torch.tanh(self.w * x + self.b)

    fails_with(
        check_neuron,
        neuron_with(forward, make=make),
        en=[f"`self.{name}` does not require gradients", "`requires_grad=True`"],
        ja=[f"`self.{name}` が勾配を必要としない", "`requires_grad=True`"],
    )


@pytest.mark.parametrize(
    ("make", "name", "got"),
    [
        (
            lambda w, b: (
                torch.tensor([b], requires_grad=True),
                torch.tensor([w], requires_grad=True),
            ),
            "w",
            "tensor([-0.3])",
        ),
        (
            lambda w, b: (
                torch.tensor([w], requires_grad=True),
                torch.tensor([0.0], requires_grad=True),
            ),
            "b",
            "tensor([0])",
        ),
        (
            lambda w, b: (
                torch.tensor([2 * w], requires_grad=True),
                torch.tensor([b], requires_grad=True),
            ),
            "w",
            "tensor([1.6])",
        ),
        (
            lambda w, b: (torch.rand(1, requires_grad=True), torch.tensor([b], requires_grad=True)),
            "w",
            "tensor([",
        ),
    ],
    ids=["swapped", "zero_bias", "doubled", "random"],
)
def test_neuron_wrong_stored_values_are_flagged(make, name, got):
    fails_with(
        check_neuron,
        neuron_with(make=make),
        en=[f"`self.{name}` holds {got}", "the value given to `__init__`"],
        ja=[f"`self.{name}` には {got}", "`__init__` に渡した値"],
    )


@pytest.mark.parametrize(
    ("cls", "name", "got"),
    [
        (neuron_with(make=lambda w, b: (w, torch.tensor([b], requires_grad=True))), "w", "0.8"),
        (neuron_with(make=lambda w, b: (torch.tensor([w], requires_grad=True), b)), "b", "-0.3"),
    ],
)
def test_neuron_attribute_that_is_not_a_tensor(cls, name, got):
    fails_with(
        check_neuron,
        cls,
        en=[
            f"has no tensor attribute `{name}` (found {got})",
            f"`self.{name} = torch.tensor([{name}], requires_grad=True)`",
        ],
        ja=[f"テンソルの属性 `{name}` がありません"],
    )


def test_neuron_with_other_attribute_names():
    class Renamed:
        def __init__(self, w, b):
            self.weight = torch.tensor([w], requires_grad=True)
            self.bias = torch.tensor([b], requires_grad=True)

        def forward(self, x):
            return torch.tanh(self.weight * x + self.bias)

    fails_with(
        check_neuron,
        Renamed,
        en=["no tensor attribute `w` (found None)"],
        ja=["属性 `w` がありません"],
    )


def test_neuron_wrong_gradient_with_right_values_is_flagged():
    def extra_gradient(self, x):  # right values, but ∂/∂w gains Σx
        return torch.tanh(self.w * x + self.b) + (self.w * x - (self.w * x).detach())

    x = neuron.NEURON_CASES[0][2]
    case = neuron._neuron_case(*neuron.NEURON_CASES[0])
    expected = float(case.data["grad_w"])
    got = expected + float(x.sum())
    fails_with(
        check_neuron,
        neuron_with(extra_gradient),
        en=[
            "the values are right",
            "with respect to w is",
            f"{fmt(got)} instead of {fmt(expected)}",
        ],
        ja=["値は合っています", "w についての勾配"],
    )


def test_neuron_graph_already_used():
    def backward_inside(self, x):
        prediction = torch.tanh(self.w * x + self.b)
        prediction.sum().backward()
        return prediction

    fails_with(
        check_neuron,
        neuron_with(backward_inside),
        en=["backward pass through your result failed with RuntimeError"],
        ja=["逆伝播が RuntimeError"],
    )


@pytest.mark.filterwarnings("ignore:Converting a tensor with requires_grad=True:UserWarning")
@pytest.mark.parametrize(
    ("forward", "got_type", "converted"),
    [
        (lambda self, x: torch.tanh(self.w * x + self.b).tolist(), "list", False),
        (lambda self, x: float(torch.tanh(self.w * x + self.b).sum()), "float", True),
        (
            lambda self, x: torch.tanh(self.w * x + self.b).detach().numpy(),
            "ndarray (float32)",
            True,
        ),
        (lambda self, x: None, "NoneType", False),
        (lambda self, x: (torch.tanh(self.w * x + self.b),), "tuple", False),
    ],
)
def test_neuron_result_not_a_tensor(forward, got_type, converted):
    en = [f"(type {got_type})", "should return a torch.Tensor"]
    ja = [f"（{got_type}）", "torch.Tensor を返す必要があります"]
    if converted:
        en.append("`.item()`, `float()`, `.numpy()`")
        ja.append("テンソルを別のものに変えています")
    cls = neuron_with(forward)
    fails_with(check_neuron, cls, en=en, ja=ja)
    if not converted:
        assert "Likely mistake" not in check_neuron(cls).message


def test_neuron_bool_or_complex_tensor_is_refused():
    fails_with(
        check_neuron,
        neuron_with(lambda self, x: torch.tanh(self.w * x + self.b) > 0),
        en=["torch.bool", "should return a torch.Tensor"],
        ja=["torch.bool"],
    )
    fails_with(
        check_neuron,
        neuron_with(lambda self, x: torch.tanh(self.w * x + self.b).to(torch.complex64)),
        en=["torch.complex64"],
    )


def test_neuron_wrong_shape():
    fails_with(
        check_neuron,
        neuron_with(lambda self, x: torch.tanh(self.w * x + self.b).sum()),
        en=["has the shape ()", "the shape (4,), one prediction for every element of x"],
        ja=["結果の形状は ()", "形状 (4,)"],
    )
    fails_with(
        check_neuron,
        neuron_with(lambda self, x: torch.tanh(self.w * x.flatten() + self.b)),
        en=["has the shape (3,)", "the shape (3, 1)"],
        ja=["形状 (3, 1)"],
    )


def test_neuron_nan():
    fails_with(
        check_neuron,
        neuron_with(lambda self, x: torch.tanh(self.w * x + self.b) / (x * 0)),
        en=["NaN or infinite", "tensor([inf, -inf, inf, inf])"],
        ja=["NaN または無限大"],
    )


@pytest.mark.parametrize(
    ("forward", "en", "ja"),
    [
        (
            lambda self, x: np.tanh(self.w * x + self.b),
            ["RuntimeError", "`torch.tanh`"],
            ["torch の演算"],
        ),
        (
            lambda self, x: math.tanh(self.w * x + self.b),
            ["`torch.tanh`"],
            ["torch の演算"],
        ),
        (
            lambda self, x: torch.tanh(self.w * x + self.b) ^ 2,
            ["`x**2`"],
            ["べき乗"],
        ),
    ],
    ids=["numpy", "math", "xor"],
)
def test_neuron_errors_get_hints(forward, en, ja):
    cls = neuron_with(forward)
    fails_with(
        check_neuron, cls, en=[f"calling your function with {NEURON_INPUTS} raised", *en], ja=ja
    )
    assert "not implemented yet" not in check_neuron(cls).message


def test_neuron_in_place_change_of_a_parameter_is_a_verdict():
    def in_place(self, x):
        self.w += 1
        return torch.tanh(self.w * x + self.b)

    fails_with(check_neuron, neuron_with(in_place), en=["raised RuntimeError"], ja=["RuntimeError"])


def test_neuron_class_errors_become_verdicts():
    class NoForward:
        def __init__(self, w, b):
            self.w = torch.tensor([w], requires_grad=True)
            self.b = torch.tensor([b], requires_grad=True)

    class NoArguments:
        def __init__(self):
            pass

        def forward(self, x):
            return x

    fails_with(check_neuron, NoForward, en=["raised AttributeError"], ja=["AttributeError"])
    fails_with(check_neuron, NoArguments, en=["raised TypeError"], ja=["TypeError"])


def test_neuron_instance_instead_of_class_is_a_verdict():
    # a module instance is callable: calling it with (w, b) goes wrong in the learner's code
    fails_with(check_neuron, ModuleNeuron(0.8, -0.3), en=["raised TypeError"], ja=["TypeError"])
    with pytest.raises(TypeError, match="cls"):
        check_neuron(LessonNeuron(0.8, -0.3))  # not callable


def test_neuron_cases_are_fresh_tensors():
    class Mutating(LessonNeuron):
        def forward(self, x):
            result = super().forward(x.clone())
            x.mul_(0)  # spoils the learner's copy only
            return result

    assert check_neuron(Mutating) and check_neuron(LessonNeuron)


# =============================================================================================
# §2.1 check_squared_loss
# =============================================================================================


LOSS_RIGHT = {
    "library": squared_loss,
    "true_minus_prediction": lambda y_true, y_prediction: (y_true - y_prediction) ** 2,
    "prediction_minus_true": lambda y_true, y_prediction: (y_prediction - y_true) ** 2,
    "torch_square": lambda y_true, y_prediction: torch.square(y_true - y_prediction),
    "pow_method": lambda y_true, y_prediction: (y_prediction - y_true).pow(2),
    "torch_pow": lambda y_true, y_prediction: torch.pow(y_true - y_prediction, 2),
    "product": lambda y_true, y_prediction: (y_true - y_prediction) * (y_true - y_prediction),
    "mse_none": lambda y_true, y_prediction: F.mse_loss(y_prediction, y_true, reduction="none"),
    "mse_none_swapped": lambda y_true, y_prediction: F.mse_loss(
        y_true, y_prediction, reduction="none"
    ),
    "mse_module": lambda y_true, y_prediction: torch.nn.MSELoss(reduction="none")(
        y_prediction, y_true
    ),
    "float64": lambda y_true, y_prediction: (y_true.double() - y_prediction.double()) ** 2,
    "expanded": lambda y_true, y_prediction: (
        y_true**2 - 2 * y_true * y_prediction + y_prediction**2
    ),
    "power_float": lambda y_true, y_prediction: (y_true - y_prediction) ** 2.0,
}


@pytest.mark.parametrize("name", list(LOSS_RIGHT))
def test_loss_right_answers_pass(name):
    passes(
        check_squared_loss,
        LOSS_RIGHT[name],
        en=["element by element for 3 inputs", "right gradient back to y_prediction"],
        ja=["3 通りの入力", "要素ごとに"],
    )


def test_the_first_loss_case_separates_the_typical_mistakes():
    case = neuron._loss_case(*neuron.LOSS_CASES[0])
    expected = case.expected
    answers = {
        "right": expected.numpy(),
        "mean": expected.mean().numpy(),
        "sum": expected.sum().numpy(),
    }
    for index, (key, answer) in enumerate(case.mistakes):
        answers[(key, index)] = answer.numpy()
    keys = list(answers)
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            a, b = np.broadcast_arrays(answers[first], answers[second])
            assert distinct(a, b), (first, second)
    assert distinct(expected.mean().numpy(), expected.sum().numpy())


LOSS_INPUTS = "y_true = tensor([1, -0.5, 2, 0]), y_prediction = tensor([0.2, 0.8, 2.5, -1.5])"
LESSON_LOSS_INPUTS = "y_true = tensor([7]), y_prediction = tensor([0])"
COLUMN_LOSS_INPUTS = "y_true = tensor([[0.3], [-1.2], [0.9]])"

WRONG_LOSSES = {
    "mean": (
        lambda t, p: ((t - p) ** 2).mean(),
        ["has the shape ()", "remove `.mean()`"],
        ["形状は ()", "平均を取っています", "`.mean()` を外して"],
    ),
    "mse_loss": (
        lambda t, p: F.mse_loss(p, t),
        ["you averaged the losses"],
        ["平均を取っています"],
    ),
    "mse_module": (
        lambda t, p: torch.nn.MSELoss()(p, t),
        ["you averaged the losses"],
        ["平均を取っています"],
    ),
    "mean_keepdim": (
        lambda t, p: ((t - p) ** 2).mean(dim=0, keepdim=True),
        ["has the shape (1,)", "you averaged"],
        ["平均を取っています"],
    ),
    "sum": (
        lambda t, p: ((t - p) ** 2).sum(),
        ["added the losses up", "remove `.sum()`"],
        ["合計しています", "`.sum()` を外して"],
    ),
    "single": (
        lambda t, p: ((t - p) ** 2).max(),
        ["returned a single number"],
        ["1 つの数を返しています"],
    ),
    "no_square": (lambda t, p: t - p, ["the square is missing"], ["2 乗が抜けています"]),
    "no_square_reversed": (lambda t, p: p - t, ["the square is missing"], ["2 乗が抜けています"]),
    "abs": (lambda t, p: (t - p).abs(), ["absolute value"], ["絶対値を取っています"]),
    "times2": (lambda t, p: (t - p) * 2, ["not `*2`"], ["`*2` ではなく `**2`"]),
    "other": (lambda t, p: (t - p) ** 3, ["square of the difference"], ["差の 2 乗です"]),
    "half": (lambda t, p: (t - p) ** 2 / 2, ["square of the difference"], ["差の 2 乗です"]),
}


@pytest.mark.parametrize("name", list(WRONG_LOSSES))
def test_loss_typical_mistakes_are_diagnosed(name):
    fn, en, ja = WRONG_LOSSES[name]
    fails_with(
        check_squared_loss,
        fn,
        en=[f"for {LOSS_INPUTS}", LIKELY["en"], *en],
        ja=[f"{LOSS_INPUTS} のとき", LIKELY["ja"], *ja],
    )


@pytest.mark.parametrize(
    ("fn", "inputs", "got_shape", "expected_shape"),
    [
        (lambda t, p: ((t - p) ** 2).squeeze(), LESSON_LOSS_INPUTS, "()", "(1,)"),
        (lambda t, p: ((t - p) ** 2).squeeze(-1), LESSON_LOSS_INPUTS, "()", "(1,)"),
        (lambda t, p: ((t - p) ** 2).flatten(), COLUMN_LOSS_INPUTS, "(3,)", "(3, 1)"),
        (lambda t, p: ((t - p) ** 2).view(-1), COLUMN_LOSS_INPUTS, "(3,)", "(3, 1)"),
        (lambda t, p: ((t - p) ** 2).reshape(-1, 1), LOSS_INPUTS, "(4, 1)", "(4,)"),
        (lambda t, p: ((t - p) ** 2).unsqueeze(0), LOSS_INPUTS, "(1, 4)", "(4,)"),
    ],
    ids=["squeeze_lesson", "squeeze_last", "flatten", "view", "column", "unsqueeze"],
)
def test_loss_reshaped_is_not_read_as_averaged(fn, inputs, got_shape, expected_shape):
    # the known misdiagnosis: 49 squeezed to shape () is also the mean of [49]
    fails_with(
        check_squared_loss,
        fn,
        en=[
            inputs,
            f"has the shape {got_shape}",
            f"the shape {expected_shape} of the inputs",
            "the values are right but the shape changed",
        ],
        ja=[inputs, f"結果の形状は {got_shape}", "値は合っていますが、形状が変わっています"],
        absent_en=["averaged", "added the losses up", "single number"],
        absent_ja=["平均", "合計しています"],
    )


def test_loss_message_quotes_the_expected_values():
    result = check_squared_loss(lambda t, p: t - p)
    assert "is tensor([0.64, 1.69, 0.25, 2.25])" in result.message
    assert "returned tensor([0.8, -1.3, -0.5, 1.5])" in result.message


def test_loss_returning_a_float():
    fails_with(
        check_squared_loss,
        lambda t, p: ((t - p) ** 2).mean().item(),
        en=["(type float)", "should return a torch.Tensor", "`.item()`"],
        ja=["（float）", "torch.Tensor を返す必要があります"],
    )


def test_loss_returning_numpy():
    fails_with(
        check_squared_loss,
        lambda t, p: (t.numpy() - p.detach().numpy()) ** 2,
        en=["(type ndarray (float32))", "`.numpy()`"],
        ja=["（ndarray (float32)）"],
    )


def test_loss_numpy_on_a_tensor_that_requires_grad_gets_a_hint():
    fails_with(
        check_squared_loss,
        lambda t, p: np.square(t.numpy() - p.numpy()),
        en=["raised RuntimeError", "NumPy and `math` functions cannot follow the autograd graph"],
        ja=["RuntimeError", "自動微分のグラフをたどれません"],
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda t, p: ((t - p) ** 2).detach(),
        lambda t, p: (t - p.detach()) ** 2,
        lambda t, p: (t - p.data) ** 2,
        lambda t, p: torch.tensor(((t - p) ** 2).tolist()),
        lambda t, p: torch.tensor(((t - p) ** 2).tolist(), requires_grad=True),
    ],
    ids=["result", "prediction", "data", "tensor_of_list", "new_leaf"],
)
def test_loss_detached(fn):
    fails_with(
        check_squared_loss,
        fn,
        en=["the values are right", "no grad_fn", "`loss.backward()` would fail"],
        ja=["値は正しいのですが", "grad_fn がありません"],
    )


def test_loss_detached_under_no_grad():
    def no_grad_loss(t, p):
        with torch.no_grad():
            return (t - p) ** 2

    fails_with(check_squared_loss, no_grad_loss, en=["no grad_fn"], ja=["grad_fn がありません"])


def test_loss_wrong_gradient_with_right_values():
    fails_with(
        check_squared_loss,
        lambda t, p: (t - p) ** 2 + (p - p.detach()),
        en=["the values are right, but the gradient with respect to y_prediction is"],
        ja=["y_prediction についての勾配"],
    )


def test_loss_that_calls_backward_itself_gets_a_verdict():
    # the check's own gradient test then fails: that must be a verdict, not a traceback
    def backward_inside(y_true, y_prediction):
        loss = (y_true - y_prediction) ** 2
        loss.sum().backward()
        return loss

    fails_with(
        check_squared_loss,
        backward_inside,
        en=[f"for {LOSS_INPUTS}", "RuntimeError"],
        ja=[f"{LOSS_INPUTS} のとき", "RuntimeError"],
    )


def test_loss_nan_and_errors():
    fails_with(
        check_squared_loss,
        lambda t, p: (t - p) ** 2 / (t * 0),
        en=["NaN or infinite"],
        ja=["NaN または無限大"],
    )
    fails_with(
        check_squared_loss,
        lambda t, p: (t - p) ^ 2,
        en=["`x**2`"],
        ja=["べき乗は `x**2`"],
    )


def test_loss_other_results():
    fails_with(check_squared_loss, lambda t, p: None, en=["(type NoneType)"], ja=["NoneType"])
    fails_with(check_squared_loss, lambda t, p: [(t - p) ** 2], en=["(type list)"], ja=["list"])
    fails_with(
        check_squared_loss, lambda t, p: (t - p) ** 2 > 0, en=["torch.bool"], ja=["torch.bool"]
    )


def test_loss_inputs_are_copies_and_prediction_requires_grad():
    seen = []

    def spy(y_true, y_prediction):
        seen.append((y_true.requires_grad, y_prediction.requires_grad, tuple(y_true.shape)))
        loss = (y_true - y_prediction) ** 2
        y_true.add_(100.0)  # spoils the learner's copy only
        return loss

    assert check_squared_loss(spy) and check_squared_loss(spy)
    assert seen == [(False, True, (4,)), (False, True, (1,)), (False, True, (3, 1))] * 2


# =============================================================================================
# §3.1 check_train
# =============================================================================================


def make_loop(steps, *, item=True, extra_epochs=0, fixed_epochs=None, call="model"):
    """Build a training loop from letters: z zero_grad, f forward+loss, b backward, s step,
    r record loss, R record a fresh loss computed after the step. *fixed_epochs* hard-codes
    the number of epochs; *call* is how the model is called ("model", "forward", "zero_model"
    to zero the model's gradients instead of the optimiser's)."""

    def fn(features, labels, model, loss_fn, optimizer, n_epochs):
        losses = []
        loss = None
        epochs = fixed_epochs if fixed_epochs is not None else n_epochs + extra_epochs
        for _ in range(epochs):
            for step in steps:
                if step == "z":
                    if call == "zero_model":
                        model.zero_grad()
                    else:
                        optimizer.zero_grad()
                elif step == "f":
                    prediction = model.forward(features) if call == "forward" else model(features)
                    loss = loss_fn(prediction, labels)
                elif step == "b":
                    loss.backward()
                elif step == "s":
                    optimizer.step()
                elif step == "r":
                    losses.append(loss.item() if item else loss)
                else:  # "R"
                    losses.append(loss_fn(model(features), labels).item())
        return losses

    return fn


def _while_loop(features, labels, model, loss_fn, optimizer, n_epochs):
    losses = []
    epoch = 0
    while epoch < n_epochs:
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(labels, model.forward(features))  # MSE is symmetric
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
        epoch += 1
    return losses


def _manual_loop(features, labels, model, loss_fn, optimizer, n_epochs):
    losses = []
    for _ in range(n_epochs):
        for parameter in model.parameters():
            parameter.grad = None
        loss = ((model(features) - labels) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.detach().item())
    return losses


TRAIN_RIGHT = {
    "library": train,
    "zfbsr": make_loop("zfbsr"),
    "record_before_step": make_loop("zfbrs"),
    "forward_first": make_loop("fzbsr"),
    "zero_grad_last": make_loop("fbszr"),
    "zero_grad_after_record": make_loop("fbsrz"),
    "model_forward": make_loop("zfbsr", call="forward"),
    "model_zero_grad": make_loop("zfbsr", call="zero_model"),
    "while_loop": _while_loop,
    "manual": _manual_loop,
    "numpy_numbers": lambda *args: [np.float32(v) for v in train(*args)],
}


@pytest.mark.parametrize("name", list(TRAIN_RIGHT))
def test_train_right_answers_pass(name):
    passes(
        check_train,
        TRAIN_RIGHT[name],
        en=["for n_epochs = 4, 1, 7", "records them as numbers"],
        ja=["n_epochs = 4, 1, 7", "数値として記録"],
    )


def test_train_epoch_counts_are_several():
    assert training.EPOCH_COUNTS == (4, 1, 7)
    assert len(set(training.EPOCH_COUNTS)) == len(training.EPOCH_COUNTS) > 1


def _reference_losses(n_epochs):
    return train(*training._problem(), n_epochs)


@pytest.mark.parametrize("n_epochs", training.EPOCH_COUNTS)
def test_train_wrong_loops_give_distinct_losses(n_epochs):
    case = training._case(n_epochs)
    assert np.allclose(case.expected, _reference_losses(n_epochs))
    if n_epochs == 1:
        return  # one epoch: only the loss after the step differs
    answers = {"reference": case.expected, **dict(case.mistakes)}
    assert set(answers) == {
        "reference",
        "train_why_no_zero_grad",
        "train_why_no_step",
        "train_why_after_step",
    }
    assert_all_distinct(answers)


def test_train_the_wrong_loops_are_the_learners_wrong_loops():
    n_epochs = training.EPOCH_COUNTS[0]
    mistakes = dict(training._case(n_epochs).mistakes)
    for key, loop in (
        ("train_why_no_zero_grad", make_loop("fbsr")),
        ("train_why_no_step", make_loop("zfbr")),
        ("train_why_after_step", make_loop("zfbsR")),
    ):
        assert np.allclose(loop(*training._problem(), n_epochs), mistakes[key]), key


def _reference_text(n_epochs=4):
    return "[" + ", ".join(fmt(v) for v in _reference_losses(n_epochs))


WRONG_LOOPS = {
    "no_zero_grad": (
        make_loop("fbsr"),
        ["`optimizer.zero_grad()` is missing", "without zero_grad"],
        ["`optimizer.zero_grad()` が抜けています", "ぴったり一致します"],
    ),
    "no_step": (
        make_loop("zfbr"),
        ["the loss never changes", "`optimizer.step()` is missing"],
        ["損失がまったく変わらない", "`optimizer.step()` が抜けている"],
    ),
    "step_before_backward": (
        make_loop("zfsbr"),
        ["runs before `loss.backward()`"],
        ["`loss.backward()` より前に呼ばれています"],
    ),
    "zero_grad_between_backward_and_step": (
        make_loop("fbzsr"),
        ["the loss never changes"],
        ["パラメータが一度も更新されていません"],
    ),
    "no_backward": (
        make_loop("zfsr"),
        ["the loss never changes"],
        ["パラメータが一度も更新されていません"],
    ),
    "after_step": (
        make_loop("zfbsR"),
        ["the one of the next epoch", "after `optimizer.step()`"],
        ["次のエポックの値", "`optimizer.step()` の後に計算した損失"],
    ),
    "two_steps": (
        make_loop("zfbssr"),
        ["first differ in epoch 2", "`optimizer.zero_grad()`, `prediction = model(features)`"],
        ["エポック 2（1 から数えて）で初めて食い違います"],
    ),
}


@pytest.mark.parametrize("name", list(WRONG_LOOPS))
def test_train_typical_mistakes_are_diagnosed(name):
    fn, en, ja = WRONG_LOOPS[name]
    fails_with(
        check_train,
        fn,
        en=[
            "your losses are [",
            "but the reference loop gives " + _reference_text(),
            LIKELY["en"],
            *en,
        ],
        ja=["参照ループでは " + _reference_text(), LIKELY["ja"], *ja],
    )


def test_train_loop_that_ignores_n_epochs_fails():
    # right for the first epoch count, so only a second count can catch it
    assert training.EPOCH_COUNTS[0] == 4
    fails_with(
        check_train,
        make_loop("zfbsr", fixed_epochs=4),
        en=["with n_epochs = 1 your function returned a list of length 4", "1 in all"],
        ja=["n_epochs = 1 のとき、関数は 4 個の損失を返しました"],
    )
    fails_with(
        check_train,
        make_loop("zfbsr", fixed_epochs=7),
        en=["with n_epochs = 4 your function returned a list of length 7"],
        ja=["関数は 7 個の損失を返しました"],
    )


def test_train_losses_recorded_as_tensors():
    fails_with(
        check_train,
        make_loop("zfbsr", item=False),
        en=["are tensors (tensor(", "record `loss.item()`"],
        ja=["テンソル（tensor(", "`loss.item()` を記録してください"],
    )


def test_train_losses_recorded_as_detached_tensors():
    def detached(*args):
        return [torch.tensor(v) for v in train(*args)]

    fails_with(check_train, detached, en=["are tensors"], ja=["テンソル"])


@pytest.mark.parametrize(
    ("fn", "n_got", "en_hint", "ja_hint"),
    [
        (make_loop("zfbsr", extra_epochs=-1), 3, None, None),
        (make_loop("zfbsr", extra_epochs=1), 5, None, None),
        (lambda *args: [train(*args)[-1]], 1, "outside the loop?", "ループの外にありませんか"),
        (lambda *args: [], 0, "inside the loop?", "ループの中にありますか"),
    ],
)
def test_train_wrong_number_of_losses(fn, n_got, en_hint, ja_hint):
    en = [f"n_epochs = 4 your function returned a list of length {n_got}", "4 in all"]
    ja = [f"関数は {n_got} 個の損失を返しました", "全部で 4 個"]
    if en_hint:
        en += ["Hint:", en_hint]
        ja += ["ヒント：", ja_hint]
    fails_with(check_train, fn, en=en, ja=ja)


def test_train_returning_none_or_other_types():
    fails_with(
        check_train,
        lambda *args: None,
        en=["returned None", "`return losses`"],
        ja=["None を返しました", "`return losses` を追加"],
    )
    fails_with(
        check_train,
        lambda *args: tuple(train(*args)),
        en=["(type tuple)", "should return a list"],
        ja=["（tuple）", "リストを返す必要があります"],
    )
    fails_with(
        check_train,
        lambda *args: np.array(train(*args)),
        en=["(type ndarray (float64))"],
        ja=["（ndarray (float64)）"],
    )
    fails_with(
        check_train,
        lambda *args: train(*args)[-1],
        en=["(type float)", "should return a list"],
        ja=["（float）"],
    )


def test_train_forgetting_the_return_is_diagnosed():
    def no_return(features, labels, model, loss_fn, optimizer, n_epochs):
        losses = []
        for _ in range(n_epochs):
            optimizer.zero_grad()
            loss = loss_fn(model(features), labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())

    fails_with(check_train, no_return, en=["returned None"], ja=["None を返しました"])


@pytest.mark.parametrize("bad", ["0.5", None, True, [0.5], 1 + 0j])
def test_train_elements_that_are_not_numbers(bad):
    fails_with(
        check_train,
        lambda *args: [0.5, bad, 0.5, 0.5],
        en=["element 1 of your list is", f"(type {type(bad).__name__})"],
        ja=["リストの要素 1 は", f"（{type(bad).__name__}）"],
    )


def test_train_nan_losses():
    fails_with(
        check_train,
        lambda *args: [0.5, 0.4, math.nan, 0.3],
        en=["NaN or infinite values: [0.5, 0.4, nan, 0.3]"],
        ja=["NaN または無限大が含まれています"],
    )


def test_train_with_global_variables_is_flagged():
    def uses_globals(features, labels, model, loss_fn, optimizer, n_epochs):
        from gdguide.training import make_training_setup

        other_model, other_loss, other_optimizer = make_training_setup(n_units=16, seed=1)
        return train(features, labels, other_model, other_loss, other_optimizer, n_epochs)

    fails_with(
        check_train,
        uses_globals,
        en=["was not changed", "global variables"],
        ja=["モデルが変化していません", "グローバル変数"],
    )


def test_train_errors_get_hints():
    def prediction_outside(features, labels, model, loss_fn, optimizer, n_epochs):
        prediction = model(features)
        losses = []
        for _ in range(n_epochs):
            optimizer.zero_grad()
            loss = loss_fn(prediction, labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses

    fails_with(
        check_train,
        prediction_outside,
        en=["calling your function with n_epochs = 4 raised RuntimeError", "inside the loop, anew"],
        ja=["RuntimeError", "エポックごとに計算し直して"],
    )
    fails_with(
        check_train,
        make_loop("fsbr"),  # step between forward and backward once gradients exist
        en=["RuntimeError", "call `step()` after `backward()`"],
        ja=["`step()` は `backward()` の後に呼んでください"],
    )


def test_train_numpy_on_the_predictions_gets_a_hint():
    def numpy_loss(features, labels, model, loss_fn, optimizer, n_epochs):
        losses = []
        for _ in range(n_epochs):
            optimizer.zero_grad()
            loss = np.mean((model(features).numpy() - labels.numpy()) ** 2)
            loss.backward()
            losses.append(loss)
        return losses

    fails_with(check_train, numpy_loss, en=["raised RuntimeError"], ja=["RuntimeError"])


def test_train_runs_on_a_fresh_problem_every_time():
    seen = []

    def spy(features, labels, model, loss_fn, optimizer, n_epochs):
        first = next(model.parameters()).detach().clone()
        seen.append(
            (tuple(features.shape), sum(p.numel() for p in model.parameters()), n_epochs, first)
        )
        return train(features, labels, model, loss_fn, optimizer, n_epochs)

    assert check_train(spy) and check_train(spy)
    assert [entry[:3] for entry in seen] == [((16, 1), 16 * 3 + 1, n) for n in (4, 1, 7)] * 2
    for entry in seen[1:]:
        assert torch.equal(entry[3], seen[0][3])  # the same initial weights every time


# =============================================================================================
# The docstrings' examples are the package's behaviour
# =============================================================================================


def test_module_docstring_lists_every_check():
    from gdguide import exercises

    for check in CHECKS:
        assert check.__name__ in exercises.__doc__
        assert check.__name__ in exercises.__all__
    numbers = re.findall(r"\* (\d\.\d) :func:", exercises.__doc__)
    assert numbers == ["1.1", "1.3", "1.3", "2.1", "2.1", "3.1"]
