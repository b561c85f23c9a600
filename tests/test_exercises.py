"""Tests of gdguide.exercises: every check passes the reference solution and names the typical
mistakes in both languages, without ever letting the learner's error escape as a traceback."""

from __future__ import annotations

import dataclasses
import math
import random
import string
import time

import numpy as np
import pytest
import torch

from gdguide import exercises
from gdguide.exercises import (
    MESSAGES,
    CheckResult,
    check_h_gradient,
    check_neuron_forward,
    check_squared_loss,
    check_train,
)
from gdguide.functions import h, h_gradient
from gdguide.neuron import squared_loss
from gdguide.training import train

CHECKS = [check_h_gradient, check_neuron_forward, check_squared_loss, check_train]
LANGS = ("en", "ja")
PREFIX_FAILED = {"en": "❌ Not yet: ", "ja": "❌ まだです："}
PREFIX_PASSED = {"en": "✅ Passed: ", "ja": "✅ 正解です："}


def _has_japanese(text: str) -> bool:
    return any("\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" for char in text)


def assert_verdict(result: CheckResult, passed: bool, lang: str, phrases=()) -> None:
    """Check the verdict's truth, language, prefix and key phrases."""
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


def fails_with(check, fn, en=(), ja=()):
    """Run *check* in both languages and assert a failing verdict with the phrases."""
    for lang, phrases in (("en", en), ("ja", ja)):
        assert_verdict(check(fn, lang=lang), False, lang, phrases)


def raising(error):
    def fn(*args):
        raise error

    return fn


def fmt(value) -> str:
    return f"{float(value):.4g}"


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


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_messages_have_the_same_keys_and_placeholders_in_both_languages():
    assert set(MESSAGES) == set(LANGS)
    assert set(MESSAGES["en"]) == set(MESSAGES["ja"])
    for key, english in MESSAGES["en"].items():
        japanese = MESSAGES["ja"][key]
        assert _placeholders(english) == _placeholders(japanese), key
        assert not _has_japanese(english), key
        if key not in {"passed", "failed"}:
            assert _has_japanese(japanese), key


def test_japanese_messages_use_polite_style():
    # Every full sentence of a Japanese verdict ends in です・ます調 (or is a polite question).
    polite = ("です", "ます", "ました", "ません", "ください", "か")
    for key, text in MESSAGES["ja"].items():
        for sentence in text.replace("？", "。").split("。")[:-1]:
            sentence = sentence.rstrip("）)")
            if "：" in sentence and not sentence.endswith(polite):
                continue  # a label followed by a formula, e.g. "…入ります：tanh(w·x + b)"
            assert sentence.endswith(polite), (key, sentence)


# =============================================================================================
# Arguments of the checks
# =============================================================================================


@pytest.mark.parametrize("check", CHECKS)
def test_fn_must_be_callable(check):
    with pytest.raises(TypeError, match="fn"):
        check(42)
    with pytest.raises(TypeError, match="fn"):
        check(None, lang="ja")


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize(
    ("lang", "error"), [("fr", ValueError), ("EN", ValueError), (1, TypeError)]
)
def test_lang_is_validated(check, lang, error):
    with pytest.raises(error, match="lang"):
        check(lambda *args: None, lang=lang)


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("lang", LANGS)
def test_starter_code_gets_a_friendly_verdict(check, lang):
    starter = raising(NotImplementedError("Student exercise: write the function"))
    result = check(starter, lang=lang)
    phrases = {
        "en": ["not implemented yet", "`raise NotImplementedError`"],
        "ja": ["まだ実装されていません", "`raise NotImplementedError`"],
    }[lang]
    assert_verdict(result, False, lang, phrases)


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("lang", LANGS)
def test_other_exceptions_are_named_with_their_message(check, lang):
    result = check(raising(ZeroDivisionError("my own mistake")), lang=lang)
    phrase = {"en": "raised ZeroDivisionError: my own mistake", "ja": "が発生しました"}[lang]
    assert_verdict(result, False, lang, ["ZeroDivisionError: my own mistake", phrase])


@pytest.mark.parametrize("check", CHECKS)
def test_exception_without_message_is_named(check):
    assert_verdict(check(raising(KeyError())), False, "en", ["raised KeyError."])


@pytest.mark.parametrize("check", CHECKS)
def test_checks_leave_random_states_and_grad_mode_alone(check):
    random.seed(7)
    np.random.seed(7)
    torch.manual_seed(7)
    expected = (random.random(), np.random.rand(), torch.rand(1).item())
    random.seed(7)
    np.random.seed(7)
    torch.manual_seed(7)
    flags = (torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
    with torch.no_grad():  # a learner may call the check inside no_grad: it still works
        check(raising(NotImplementedError()))
        if check is check_train:
            assert check(train)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == expected
    assert (torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark) == flags
    assert torch.is_grad_enabled()


REFERENCE_SOLUTIONS = {
    check_h_gradient: h_gradient,
    check_neuron_forward: lambda w, b, x: torch.tanh(w * x + b),
    check_squared_loss: squared_loss,
    check_train: train,
}


@pytest.mark.parametrize("check", CHECKS)
def test_checks_are_fast(check):
    solution = REFERENCE_SOLUTIONS[check]
    check(solution)  # the first call may pay one-off imports (torch.optim loads torch._dynamo)
    durations = []
    for _ in range(3):  # the best of three, so that a busy machine does not fail the test
        start = time.perf_counter()
        assert check(solution)
        durations.append(time.perf_counter() - start)
    assert min(durations) < 1.0


# =============================================================================================
# §1.1 check_h_gradient
# =============================================================================================


def _cos(x, y):
    return np.cos(x**2 + y**2)


def _learner_gradient(x, y):
    dz_dx = np.cos(x**2 + y**2) * 2 * x
    dz_dy = np.cos(x**2 + y**2) * 2 * y
    return dz_dx, dz_dy


@pytest.mark.parametrize(
    "fn",
    [
        h_gradient,
        _learner_gradient,
        lambda x, y: [2 * x * _cos(x, y), 2 * y * _cos(x, y)],  # a list is a pair too
        lambda x, y: np.array([2 * x * _cos(x, y), 2 * y * _cos(x, y)]),
        lambda x, y: (  # float32 tensors: within the tolerance
            torch.as_tensor(2 * x * _cos(x, y), dtype=torch.float64),
            torch.as_tensor(2 * y * _cos(x, y), dtype=torch.float64),
        ),
        lambda x, y: (
            (np.atleast_1d(2 * x * _cos(x, y)), 2 * y * _cos(x, y))
            if np.ndim(x) == 0
            else (2 * x * _cos(x, y), 2 * y * _cos(x, y))
        ),  # shape (1,) for scalars is tolerated
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_h_reference_solutions_pass(fn, lang):
    result = check_h_gradient(fn, lang=lang)
    phrases = {
        "en": ["cos(x² + y²)·2x", "broadcasting"],
        "ja": ["一致しました", "ブロードキャスト"],
    }
    assert_verdict(result, True, lang, phrases[lang])


def test_h_test_points_separate_the_typical_mistakes():
    for x, y in exercises._H_SCALAR_POINTS:
        assert abs(math.cos(x**2 + y**2)) > 0.3  # far from the flat rings of h
        assert abs(abs(x) - abs(y)) > 0.3  # swapping the components shows
        xs, ys = np.float64(x), np.float64(y)
        answers = dict(exercises._h_wrong_answers(xs, ys))
        answers["right"] = tuple(np.asarray(g) for g in h_gradient(xs, ys))
        keys = list(answers)
        for i, first in enumerate(keys):
            for second in keys[i + 1 :]:
                (a_x, a_y), (b_x, b_y) = answers[first], answers[second]
                distance = max(abs(a_x - b_x), abs(a_y - b_y))
                assert distance > 0.1, (x, y, first, second)


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
    "other": (
        lambda x, y: (np.tan(x), np.tan(y)),
        ["apply the chain rule with u = x² + y²"],
        ["連鎖律を使いましょう"],
    ),
}


@pytest.mark.parametrize("name", list(WRONG_GRADIENTS))
def test_h_typical_mistakes_are_diagnosed(name):
    fn, en, ja = WRONG_GRADIENTS[name]
    fails_with(
        check_h_gradient,
        fn,
        en=["for x = 0.5, y = -1.0", "Likely mistake:", *en],
        ja=["x = 0.5, y = -1.0 のとき", "考えられる原因：", *ja],
    )


def test_h_message_quotes_returned_and_expected_values():
    x, y = exercises._H_SCALAR_POINTS[0]
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
    ],
)
def test_h_not_a_pair(fn):
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
    n_points = len(exercises._H_SCALAR_POINTS)
    assert len(calls) == n_points + 2
    assert all(np.ndim(x) == 0 and np.ndim(y) == 0 for x, y in calls[:n_points])
    assert [np.shape(x) for x, _ in calls[n_points:]] == [(5,), (3, 1)]


# =============================================================================================
# §2.1 check_neuron_forward
# =============================================================================================


@pytest.mark.parametrize(
    "fn",
    [
        lambda w, b, x: torch.tanh(w * x + b),
        lambda w, b, x: torch.tanh(x * w + b),  # w and x swapped: the same thing
        lambda w, b, x: (w * x + b).tanh(),
        lambda w, b, x: torch.nn.functional.tanh(torch.add(torch.mul(w, x), b)),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_neuron_reference_solutions_pass(fn, lang):
    phrases = {
        "en": ["tanh(w·x + b)", "autograd graph"],
        "ja": ["tanh(w·x + b)", "自動微分のグラフ"],
    }
    assert_verdict(check_neuron_forward(fn, lang=lang), True, lang, phrases[lang])


WRONG_FORWARDS = {
    "no_tanh": (lambda w, b, x: w * x + b, ["activation is missing"], ["活性化関数が抜けています"]),
    "sigmoid": (
        lambda w, b, x: torch.sigmoid(w * x + b),
        ["used the sigmoid"],
        ["シグモイド関数を使っています"],
    ),
    "no_bias": (
        lambda w, b, x: torch.tanh(w * x),
        ["bias b is missing"],
        ["バイアス b が抜けています"],
    ),
    "bias_outside": (
        lambda w, b, x: torch.tanh(w * x) + b,
        ["b is added after tanh"],
        ["b が tanh の後で足されています"],
    ),
    "other": (
        lambda w, b, x: torch.tanh(w * x - b),
        ["multiply w by x, add b"],
        ["w と x を掛け、b を足して"],
    ),
}


@pytest.mark.parametrize("name", list(WRONG_FORWARDS))
def test_neuron_typical_mistakes_are_diagnosed(name):
    fn, en, ja = WRONG_FORWARDS[name]
    inputs = "w = tensor([0.8]), b = tensor([-0.3]), x = tensor([-1.5, 0, 0.5, 2])"
    fails_with(
        check_neuron_forward,
        fn,
        en=[f"for {inputs} your function returned", "but tanh(w·x + b) is", *en],
        ja=[f"{inputs} のとき", "考えられる原因：", *ja],
    )


def test_neuron_message_quotes_the_expected_prediction():
    result = check_neuron_forward(lambda w, b, x: w * x + b)
    expected = torch.tanh(0.8 * torch.tensor([-1.5, 0.0, 0.5, 2.0]) - 0.3)
    assert ", ".join(fmt(v) for v in expected) in result.message


def test_neuron_detached_result_is_flagged():
    for fn in (
        lambda w, b, x: torch.tanh(w * x + b).detach(),
        lambda w, b, x: torch.tensor(torch.tanh(w * x + b).tolist()),
        lambda w, b, x: torch.tanh(w.data * x + b.data),
    ):
        fails_with(
            check_neuron_forward,
            fn,
            en=["the values are right", "no grad_fn", "`loss.backward()`, would fail"],
            ja=["値は正しいのですが", "grad_fn がありません", "失敗します"],
        )


def test_neuron_partly_detached_result_is_flagged():
    fails_with(
        check_neuron_forward,
        lambda w, b, x: torch.tanh(w * x + b.item()),
        en=["no gradient reaches b"],
        ja=["b に勾配が届きません"],
    )
    fails_with(
        check_neuron_forward,
        lambda w, b, x: torch.tanh(w.detach() * x + b),
        en=["no gradient reaches w"],
        ja=["w に勾配が届きません"],
    )


def test_neuron_graph_already_used():
    def backward_inside(w, b, x):
        prediction = torch.tanh(w * x + b)
        prediction.sum().backward()
        return prediction

    fails_with(
        check_neuron_forward,
        backward_inside,
        en=["backward pass through your result failed with RuntimeError"],
        ja=["逆伝播が RuntimeError"],
    )


@pytest.mark.filterwarnings("ignore:Converting a tensor with requires_grad=True:UserWarning")
@pytest.mark.parametrize(
    ("fn", "got_type", "converted"),
    [
        (lambda w, b, x: torch.tanh(w * x + b).tolist(), "list", False),
        (lambda w, b, x: float(torch.tanh(w * x + b).sum()), "float", True),
        (lambda w, b, x: torch.tanh(w * x + b).detach().numpy(), "ndarray", True),
        (lambda w, b, x: None, "NoneType", False),
    ],
)
def test_neuron_result_not_a_tensor(fn, got_type, converted):
    en = [f"(type {got_type})", "should return a torch.Tensor"]
    ja = [f"（{got_type}）", "torch.Tensor を返す必要があります"]
    if converted:
        en.append("`.item()`, `float()`, `.numpy()`")
        ja.append("テンソルを別のものに変えています")
    fails_with(check_neuron_forward, fn, en=en, ja=ja)
    if not converted:
        assert "Likely mistake" not in check_neuron_forward(fn).message


def test_neuron_bool_or_complex_tensor_is_refused():
    fails_with(
        check_neuron_forward,
        lambda w, b, x: torch.tanh(w * x + b) > 0,
        en=["torch.bool", "should return a torch.Tensor"],
        ja=["torch.bool"],
    )
    fails_with(
        check_neuron_forward,
        lambda w, b, x: torch.tanh(w * x + b).to(torch.complex64),
        en=["torch.complex64"],
    )


def test_neuron_wrong_shape():
    fails_with(
        check_neuron_forward,
        lambda w, b, x: torch.tanh(w * x + b).sum(),
        en=["has the shape ()", "the shape (4,), one prediction for every element of x"],
        ja=["結果の形状は ()", "形状 (4,)"],
    )
    fails_with(
        check_neuron_forward,
        lambda w, b, x: torch.tanh(w * x.flatten() + b),  # loses the column shape
        en=["has the shape (3,)", "the shape (3, 1)"],
        ja=["形状 (3, 1)"],
    )


def test_neuron_nan():
    fails_with(
        check_neuron_forward,
        lambda w, b, x: torch.tanh(w * x + b) / (x * 0),
        en=["NaN or infinite", "tensor([inf, -inf, inf, inf])"],
        ja=["NaN または無限大"],
    )


@pytest.mark.parametrize(
    ("fn", "en", "ja"),
    [
        (lambda w, b, x: np.tanh(w * x + b), ["RuntimeError", "`torch.tanh`"], ["torch の演算"]),
        (lambda w, b, x: math.tanh(w * x + b), ["ValueError", "`torch.tanh`"], ["torch の演算"]),
        (lambda w, b, x: torch.tanh(w * x + b) ^ 2, ["NotImplementedError", "`x**2`"], ["べき乗"]),
    ],
)
def test_neuron_errors_get_hints(fn, en, ja):
    inputs = "w = tensor([0.8]), b = tensor([-0.3]), x = tensor([-1.5, 0, 0.5, 2])"
    fails_with(
        check_neuron_forward, fn, en=[f"calling your function with {inputs} raised", *en], ja=ja
    )
    assert "not implemented yet" not in check_neuron_forward(fn).message


def test_neuron_in_place_change_of_a_leaf_is_a_verdict():
    def in_place(w, b, x):
        w += 1
        return torch.tanh(w * x + b)

    fails_with(check_neuron_forward, in_place, en=["raised RuntimeError"], ja=["RuntimeError"])


# =============================================================================================
# §2.1 check_squared_loss
# =============================================================================================


@pytest.mark.parametrize(
    "fn",
    [
        squared_loss,
        lambda y_true, y_prediction: (y_true - y_prediction) ** 2,
        lambda y_true, y_prediction: (y_prediction - y_true) ** 2,
        lambda y_true, y_prediction: torch.pow(y_true - y_prediction, 2),
        lambda y_true, y_prediction: torch.nn.functional.mse_loss(
            y_prediction, y_true, reduction="none"
        ),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_loss_reference_solutions_pass(fn, lang):
    phrases = {"en": ["element by element"], "ja": ["要素ごとに"]}
    assert_verdict(check_squared_loss(fn, lang=lang), True, lang, phrases[lang])


LOSS_INPUTS = "y_true = tensor([1, -0.5, 2, 0]), y_prediction = tensor([0.2, 0.8, 2.5, -1.5])"

WRONG_LOSSES = {
    "mean": (
        lambda t, p: ((t - p) ** 2).mean(),
        ["has the shape ()", "remove `.mean()`"],
        ["形状は ()", "平均を取っています", "`.mean()` を外して"],
    ),
    "mse_loss": (
        lambda t, p: torch.nn.functional.mse_loss(p, t),
        ["you averaged the losses"],
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
}


@pytest.mark.parametrize("name", list(WRONG_LOSSES))
def test_loss_typical_mistakes_are_diagnosed(name):
    fn, en, ja = WRONG_LOSSES[name]
    fails_with(
        check_squared_loss,
        fn,
        en=[f"for {LOSS_INPUTS}", "Likely mistake:", *en],
        ja=[f"{LOSS_INPUTS} のとき", "考えられる原因：", *ja],
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
        en=["(type ndarray)"],
        ja=["（ndarray）"],
    )


def test_loss_detached():
    for fn in (
        lambda t, p: ((t - p) ** 2).detach(),
        lambda t, p: (t - p.detach()) ** 2,
    ):
        fails_with(
            check_squared_loss,
            fn,
            en=["the values are right", "no grad_fn", "`loss.backward()` would fail"],
            ja=["値は正しいのですが", "grad_fn がありません"],
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
        en=["NotImplementedError", "`x**2`"],
        ja=["べき乗は `x**2`"],
    )


def test_loss_inputs_are_copies_and_prediction_requires_grad():
    seen = []

    def spy(y_true, y_prediction):
        seen.append(y_prediction.requires_grad)
        loss = (y_true - y_prediction) ** 2
        y_true.add_(100.0)  # spoils the learner's copy only
        return loss

    assert check_squared_loss(spy)
    assert seen == [True, True, True]


# =============================================================================================
# §3.1 check_train
# =============================================================================================


def make_loop(steps, *, item=True, extra_epochs=0):
    """Build a training loop from letters: z zero_grad, f forward+loss, b backward, s step,
    r record loss, R record a fresh loss computed after the step."""

    def fn(features, labels, model, loss_fn, optimizer, n_epochs):
        losses = []
        loss = None
        for _ in range(n_epochs + extra_epochs):
            for step in steps:
                if step == "z":
                    optimizer.zero_grad()
                elif step == "f":
                    loss = loss_fn(model(features), labels)
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


@pytest.mark.parametrize("fn", [train, make_loop("zfbsr"), make_loop("zfbrs"), make_loop("fzbsr")])
@pytest.mark.parametrize("lang", LANGS)
def test_train_reference_solutions_pass(fn, lang):
    phrases = {"en": ["5 epochs"], "ja": ["5 エポック"]}
    assert_verdict(check_train(fn, lang=lang), True, lang, phrases[lang])


def test_train_wrong_loops_give_distinct_losses():
    reference = exercises._reference_losses(5)
    variants = {
        kind: exercises._wrong_loop_losses(kind, 5)
        for kind in ("no_zero_grad", "no_step", "after_step")
    }
    variants["reference"] = reference
    keys = list(variants)
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            assert not np.allclose(variants[first], variants[second], rtol=1e-3), (first, second)


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
    reference = exercises._reference_losses(5)
    fails_with(
        check_train,
        fn,
        en=["but the reference loop gives [" + ", ".join(fmt(v) for v in reference), *en],
        ja=["参照ループでは [", "考えられる原因：", *ja],
    )


def test_train_losses_recorded_as_tensors():
    fails_with(
        check_train,
        make_loop("zfbsr", item=False),
        en=["are tensors (tensor(", "record `loss.item()`"],
        ja=["テンソル（tensor(", "`loss.item()` を記録してください"],
    )


@pytest.mark.parametrize(
    ("fn", "n_got", "en_hint", "ja_hint"),
    [
        (make_loop("zfbsr", extra_epochs=-1), 4, None, None),
        (make_loop("zfbsr", extra_epochs=1), 6, None, None),
        (lambda *args: [train(*args)[-1]], 1, "outside the loop?", "ループの外にありませんか"),
        (lambda *args: [], 0, "inside the loop?", "ループの中にありますか"),
    ],
)
def test_train_wrong_number_of_losses(fn, n_got, en_hint, ja_hint):
    en = [f"n_epochs = 5 your function returned a list of length {n_got}", "5 in all"]
    ja = [f"関数は {n_got} 個の損失を返しました", "全部で 5 個"]
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
        en=["(type ndarray)"],
        ja=["（ndarray）"],
    )


@pytest.mark.parametrize("bad", ["0.5", None, True, [0.5]])
def test_train_elements_that_are_not_numbers(bad):
    fails_with(
        check_train,
        lambda *args: [0.5, bad, 0.5, 0.5, 0.5],
        en=["element 1 of your list is", f"(type {type(bad).__name__})"],
        ja=["リストの要素 1 は", f"（{type(bad).__name__}）"],
    )


def test_train_numpy_numbers_are_accepted():
    assert check_train(lambda *args: [np.float32(v) for v in train(*args)])


def test_train_nan_losses():
    fails_with(
        check_train,
        lambda *args: [0.5, 0.4, math.nan, 0.3, 0.2],
        en=["NaN or infinite values: [0.5, 0.4, nan, 0.3, 0.2]"],
        ja=["NaN または無限大が含まれています"],
    )


def test_train_with_global_variables_is_flagged():
    def uses_globals(features, labels, model, loss_fn, optimizer, n_epochs):
        from gdguide.training import make_training_setup

        other_model, other_loss, other_optimizer = make_training_setup(n_cells=16, seed=1)
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
        en=["the check's small problem", "raised RuntimeError", "inside the loop, anew"],
        ja=["チェック用の小さな問題", "RuntimeError", "エポックごとに計算し直して"],
    )
    fails_with(
        check_train,
        make_loop("fsbr"),  # step between forward and backward once gradients exist
        en=["RuntimeError", "call `step()` after `backward()`"],
        ja=["`step()` は `backward()` の後に呼んでください"],
    )


def test_train_long_error_messages_are_shortened():
    result = check_train(raising(RuntimeError("x" * 50 + ". " + "y" * 300)))
    assert "x" * 50 in result.message and "y" * 10 not in result.message


def test_train_runs_on_a_fresh_problem_every_time():
    seen = []

    def spy(features, labels, model, loss_fn, optimizer, n_epochs):
        seen.append((features.shape, sum(p.numel() for p in model.parameters()), n_epochs))
        return train(features, labels, model, loss_fn, optimizer, n_epochs)

    assert check_train(spy) and check_train(spy)
    assert seen == [((16, 1), 16 * 3 + 1, 5)] * 2
