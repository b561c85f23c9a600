"""Self-checks for the learners' coding exercises, with verdicts in English or Japanese.

The lessons have four coding exercises. Each has a check that runs the learner's function on
well-chosen inputs, compares the result with the library's own answer (with tolerances) and
returns a :class:`CheckResult` whose message says what is right or, when it is not, what the
function returned, what was expected and the most likely mistake:

* :func:`check_h_gradient` -- the gradient of ``h(x, y) = sin(x² + y²)`` (§1.1);
* :func:`check_neuron_forward` -- the forward pass ``tanh(w·x + b)`` of one neuron (§2.1);
* :func:`check_squared_loss` -- the element-wise squared loss (§2.1);
* :func:`check_train` -- the five-line training loop (§3.1).

A check never lets the learner's mistake end in a traceback: an exception raised by the learner's
function, a wrong type or shape, NaN or infinity all become a verdict. Only wrong arguments of the
check itself (``fn`` not callable, an unknown ``lang``) raise ``TypeError`` / ``ValueError``.
The checks leave the random state of Python, NumPy and PyTorch as they found it.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from gdguide._validate import _kind, check_callable, check_lang
from gdguide.functions import h, h_gradient
from gdguide.neuron import SimpleNeuron, squared_loss
from gdguide.reproducibility import SEED
from gdguide.training import make_sine_data, make_training_setup, train

__all__ = [
    "CheckResult",
    "check_h_gradient",
    "check_neuron_forward",
    "check_squared_loss",
    "check_train",
]

#: Relative tolerance of every comparison with the reference answer.
RTOL = 1e-5
#: Absolute tolerance for NumPy (float64) results of :func:`check_h_gradient`.
ATOL_FLOAT64 = 1e-8
#: Absolute tolerance for tensor (float32) results and for training losses.
ATOL_FLOAT32 = 1e-6

# Test points of check_h_gradient, one per quadrant. cos(x² + y²) is far from 0 at every point,
# x != ±y, and the typical wrong formulas give values at least 0.1 apart from each other and from
# the right answer (tests/test_exercises.py checks it).
_H_SCALAR_POINTS: tuple[tuple[float, float], ...] = (
    (0.5, -1.0),
    (1.6, 0.4),
    (-1.5, 1.2),
    (-0.4, -1.4),
)

# The small training problem of check_train: built twice from the same seed.
_TRAIN_SAMPLES = 16
_TRAIN_CELLS = 16
_TRAIN_EPOCHS = 5
_TRAIN_LR = 0.05
_TRAIN_MOMENTUM = 0.9

_MAX_TEXT = 160  # longest value or error text quoted in a message


# --------------------------------------------------------------------------------------------
# The verdict
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """The verdict of an exercise check.

    It is true when the exercise is solved, and it prints (and shows in a notebook) as its
    message.

    Parameters
    ----------
    passed : bool
        Whether the learner's function passed every test.
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


# --------------------------------------------------------------------------------------------
# Messages: both languages have the same keys and the same {placeholders}.
# --------------------------------------------------------------------------------------------

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # frame of every verdict
        "passed": "✅ Passed: {body}",
        "failed": "❌ Not yet: {body}",
        "likely": "Likely mistake: {why}",
        "hint": "Hint: {hint}",
        # calling the learner's function
        "not_implemented": (
            "your function is not implemented yet: replace the `raise NotImplementedError` "
            "line with your code, run the cell again and call the check once more."
        ),
        "raised": "calling your function with {inputs} raised {error}.",
        "hint_xor": ("in Python a power is written `x**2`; `^` is the bitwise XOR operator."),
        "hint_math_on_array": (
            "the functions of the `math` module accept single numbers only; use the NumPy "
            "versions (`np.sin`, `np.cos`), which also work element by element on arrays."
        ),
        "hint_torch_on_number": (
            "torch functions expect tensors, but here x and y are numbers and NumPy arrays; "
            "use `np.sin` and `np.cos`."
        ),
        "hint_numpy_on_tensor": (
            "NumPy and `math` functions cannot follow the autograd graph; on tensors use "
            "torch operations such as `torch.tanh`."
        ),
        "hint_inplace": (
            "`optimizer.step()` changed the parameters between the forward pass and "
            "`loss.backward()`; call `step()` after `backward()`."
        ),
        "hint_backward_twice": (
            "compute the prediction and the loss inside the loop, anew in every epoch: "
            "`backward()` frees the graph it has used."
        ),
        "nonfinite": "for {inputs} your function returned NaN or infinite values: {got}.",
        # check_h_gradient
        "h_pass": (
            "your gradient matches ∂z/∂x = cos(x² + y²)·2x and ∂z/∂y = cos(x² + y²)·2y at "
            "{n_points} points and on NumPy arrays, broadcasting included."
        ),
        "h_not_pair": (
            "for {inputs} your function returned {got}, but it should return the pair of "
            "partial derivatives, as in `return dz_dx, dz_dy`."
        ),
        "h_returned_h": (
            "for {inputs} your function returned {got}, which is h(x, y) = sin(x² + y²) "
            "itself, not its gradient. Return the pair (∂z/∂x, ∂z/∂y) that the chain rule "
            "gives."
        ),
        "h_not_numbers": (
            "for {inputs} your function returned {got}; both components must be numbers or "
            "NumPy arrays of numbers."
        ),
        "h_shape": (
            "for {inputs} the two components of your result have the shapes {got_shapes}, but "
            "both should have the shape {expected_shape} of x and y broadcast together."
        ),
        "h_mismatch": ("for {inputs} your function returned {got} but the gradient is {expected}."),
        "h_mismatch_array": (
            "for {inputs} your result is wrong at index {index} (x = {x}, y = {y}): you "
            "returned {got} but the gradient there is {expected}."
        ),
        "h_why_factor2": "the factor 2 from d(x²)/dx = 2x is missing.",
        "h_why_sin": ("the derivative of sin is cos, but your formula still uses sin(x² + y²)."),
        "h_why_inner": (
            "the inner derivative is missing: cos(x² + y²) must be multiplied by "
            "∂(x² + y²)/∂x = 2x (and by 2y for ∂z/∂y)."
        ),
        "h_why_swapped": (
            "the two components are swapped: return (∂z/∂x, ∂z/∂y) in this order; ∂z/∂x is "
            "the one with the factor 2x."
        ),
        "h_why_sign": (
            "the sign is wrong: the derivative of sin u is +cos u (it is cos u whose "
            "derivative is −sin u)."
        ),
        "h_why_h": (
            "you returned h(x, y) = sin(x² + y²) itself instead of its partial derivatives."
        ),
        "h_why_dy_wrong": "∂z/∂x is right, but ∂z/∂y is not; it is cos(x² + y²)·2y.",
        "h_why_dx_wrong": "∂z/∂y is right, but ∂z/∂x is not; it is cos(x² + y²)·2x.",
        "h_why_other": (
            "apply the chain rule with u = x² + y²: ∂z/∂x = (d sin u / du)·(∂u/∂x), and "
            "likewise for y."
        ),
        # check_neuron_forward and check_squared_loss
        "not_tensor": (
            "for {inputs} your function returned {got} (type {got_type}), but it should "
            "return a torch.Tensor, so that autograd can compute gradients from it."
        ),
        "why_converted": (
            "`.item()`, `float()`, `.numpy()` or a `math`/NumPy function turned the tensor "
            "into something else; use torch operations and return the tensor itself."
        ),
        "backward_failed": (
            "for {inputs} the values are right, but the backward pass through your result "
            "failed with {error}."
        ),
        "neuron_pass": (
            "your forward pass computes tanh(w·x + b) for {n_cases} inputs, keeps the shape of "
            "x and stays connected to w and b in the autograd graph."
        ),
        "neuron_shape": (
            "for {inputs} your result has the shape {got_shape}, but it should have the shape "
            "{expected_shape}, one prediction for every element of x."
        ),
        "neuron_mismatch": (
            "for {inputs} your function returned {got} but tanh(w·x + b) is {expected}."
        ),
        "neuron_why_no_tanh": ("the activation is missing: apply `torch.tanh` to w·x + b."),
        "neuron_why_sigmoid": (
            "you used the sigmoid function; this neuron uses tanh (`torch.tanh`)."
        ),
        "neuron_why_no_bias": "the bias b is missing: compute tanh(w·x + b).",
        "neuron_why_bias_outside": ("b is added after tanh, but it belongs inside: tanh(w·x + b)."),
        "neuron_why_other": (
            "the prediction is tanh(w·x + b): multiply w by x, add b, then apply `torch.tanh`."
        ),
        "neuron_detached": (
            "for {inputs} the values are right, but your result has no grad_fn: it was cut "
            "off from the autograd graph (by `.detach()`, `.item()`, `.numpy()`, "
            "`torch.tensor(...)` or `torch.no_grad()`), so the next step, `loss.backward()`, "
            "would fail. Compute the prediction from w, b and x with torch operations only."
        ),
        "neuron_disconnected": (
            "for {inputs} the values are right, but no gradient reaches {names}: use the "
            "tensor itself in the computation, not `.item()`, `.data` or `.detach()` of it."
        ),
        "loss_pass": (
            "your loss computes (y_true − y_prediction)² element by element for {n_cases} "
            "inputs, keeps their shape and stays in the autograd graph."
        ),
        "loss_shape": (
            "for {inputs} your result has the shape {got_shape}, but it should have the shape "
            "{expected_shape} of the inputs: one loss for every element."
        ),
        "loss_mismatch": (
            "for {inputs} your function returned {got} but (y_true − y_prediction)² is {expected}."
        ),
        "loss_why_no_square": (
            "the square is missing: raise the difference to the power 2, "
            "`(y_true - y_prediction)**2`."
        ),
        "loss_why_abs": (
            "you took the absolute value of the difference; the squared loss squares it: `**2`."
        ),
        "loss_why_times2": (
            "you multiplied the difference by 2; square it instead: `**2`, not `*2`."
        ),
        "loss_why_mean": (
            "you averaged the losses; this exercise asks for the loss of every element, "
            "without a mean: remove `.mean()`."
        ),
        "loss_why_sum": (
            "you added the losses up; this exercise asks for the loss of every element, "
            "without a sum: remove `.sum()`."
        ),
        "loss_why_single": (
            "you returned a single number; compute the loss element by element, so that it "
            "has the shape of the inputs."
        ),
        "loss_why_other": (
            "the loss of each element is the square of the difference: "
            "`(y_true - y_prediction)**2`."
        ),
        "loss_detached": (
            "for {inputs} the values are right, but your result has no grad_fn although "
            "y_prediction requires gradients: it was cut off from the autograd graph, so "
            "`loss.backward()` would fail. Use torch operations only."
        ),
        # check_train
        "train_inputs": (
            "the check's small problem ({n_samples} samples, WideNet(n_cells={n_cells}), "
            "MSELoss, SGD with momentum, n_epochs = {n_epochs})"
        ),
        "train_pass": (
            "your training loop (zero_grad, forward pass, loss, backward pass, step) gives "
            "the reference losses in all {n_epochs} epochs and records them as numbers."
        ),
        "train_none": (
            "your function returned None: add `return losses` at its end, after the loop."
        ),
        "train_not_list": (
            "your function returned {got} (type {got_type}); it should return a list with "
            "the loss (a float) of every epoch."
        ),
        "train_length": (
            "with n_epochs = {n_epochs} your function returned a list of length {n_got}; it "
            "should record exactly one loss per epoch, {n_epochs} in all."
        ),
        "train_length_zero": "is `losses.append(...)` inside the loop?",
        "train_length_one": (
            "is `losses.append(...)` outside the loop? It belongs inside, once per epoch."
        ),
        "train_tensors": (
            "the losses you recorded are tensors ({got}), not numbers: record `loss.item()`. "
            "A loss tensor also keeps its whole autograd graph alive in memory."
        ),
        "train_not_numbers": (
            "every loss must be a float, but element {index} of your list is {got} (type "
            "{got_type})."
        ),
        "train_nonfinite": "your losses contain NaN or infinite values: {got}.",
        "train_mismatch": ("your losses are {got} but the reference loop gives {expected}."),
        "train_why_no_zero_grad": (
            "`optimizer.zero_grad()` is missing: `backward()` adds to `.grad`, so the "
            "gradients of all epochs pile up. Your losses are exactly those of a loop "
            "without zero_grad."
        ),
        "train_why_no_step": (
            "the loss never changes, so the parameters are never updated: "
            "`optimizer.step()` is missing, or it runs before `loss.backward()` (then there "
            "are no gradients yet for it to apply)."
        ),
        "train_why_after_step": (
            "each of your losses is the one of the next epoch: you recorded a loss computed "
            "after `optimizer.step()`. Record `loss.item()` of the loss you called "
            "`backward()` on."
        ),
        "train_why_globals": (
            "the model passed to your function was not changed: does the function use global "
            "variables (model, optimizer, features, ...) instead of its arguments?"
        ),
        "train_why_other": (
            "the losses first differ in epoch {epoch} (counting from 1). Compare your loop "
            "with the five steps: `optimizer.zero_grad()`, `prediction = model(features)`, "
            "`loss = loss_fn(prediction, labels)`, `loss.backward()`, `optimizer.step()`."
        ),
    },
    "ja": {
        "passed": "✅ 正解です：{body}",
        "failed": "❌ まだです：{body}",
        "likely": "考えられる原因：{why}",
        "hint": "ヒント：{hint}",
        "not_implemented": (
            "関数はまだ実装されていません。`raise NotImplementedError` の行をあなたのコードに"
            "置き換え、セルを実行してから、もう一度チェックを呼び出してください。"
        ),
        "raised": "{inputs} で関数を呼び出すと {error} が発生しました。",
        "hint_xor": (
            "Python では、べき乗は `x**2` と書きます。`^` はビットごとの排他的論理和（XOR）の"
            "演算子です。"
        ),
        "hint_math_on_array": (
            "`math` モジュールの関数は 1 つの数しか受け付けません。配列にも要素ごとに使える "
            "NumPy の関数（`np.sin`、`np.cos`）を使ってください。"
        ),
        "hint_torch_on_number": (
            "torch の関数はテンソルを受け取りますが、ここでの x と y は数と NumPy 配列です。"
            "`np.sin` と `np.cos` を使ってください。"
        ),
        "hint_numpy_on_tensor": (
            "NumPy や `math` の関数は自動微分のグラフをたどれません。テンソルには "
            "`torch.tanh` のような torch の演算を使ってください。"
        ),
        "hint_inplace": (
            "順伝播と `loss.backward()` の間に `optimizer.step()` がパラメータを書き換えて"
            "います。`step()` は `backward()` の後に呼んでください。"
        ),
        "hint_backward_twice": (
            "予測と損失はループの中で、エポックごとに計算し直してください。`backward()` は"
            "使い終わったグラフを解放します。"
        ),
        "nonfinite": "{inputs} のとき、関数は NaN または無限大を返しました：{got}。",
        "h_pass": (
            "あなたの勾配は {n_points} 個の点と NumPy 配列（ブロードキャストを含む）で "
            "∂z/∂x = cos(x² + y²)·2x、∂z/∂y = cos(x² + y²)·2y と一致しました。"
        ),
        "h_not_pair": (
            "{inputs} のとき、関数は {got} を返しましたが、`return dz_dx, dz_dy` のように"
            "偏導関数の組を返す必要があります。"
        ),
        "h_returned_h": (
            "{inputs} のとき、関数は {got} を返しました。これは勾配ではなく、"
            "h(x, y) = sin(x² + y²) そのものの値です。連鎖律で求めた組 (∂z/∂x, ∂z/∂y) を"
            "返してください。"
        ),
        "h_not_numbers": (
            "{inputs} のとき、関数は {got} を返しました。2 つの成分はどちらも数、または数の "
            "NumPy 配列である必要があります。"
        ),
        "h_shape": (
            "{inputs} のとき、結果の 2 つの成分の形状は {got_shapes} でしたが、どちらも x と "
            "y をブロードキャストした形状 {expected_shape} になるはずです。"
        ),
        "h_mismatch": (
            "{inputs} のとき、関数は {got} を返しましたが、正しい勾配は {expected} です。"
        ),
        "h_mismatch_array": (
            "{inputs} のとき、インデックス {index}（x = {x}, y = {y}）で結果が違います。"
            "返した値は {got} ですが、そこでの勾配は {expected} です。"
        ),
        "h_why_factor2": "d(x²)/dx = 2x の係数 2 が抜けています。",
        "h_why_sin": "sin の導関数は cos ですが、式に sin(x² + y²) が残っています。",
        "h_why_inner": (
            "内側の関数の微分が抜けています。cos(x² + y²) に ∂(x² + y²)/∂x = 2x"
            "（∂z/∂y では 2y）を掛ける必要があります。"
        ),
        "h_why_swapped": (
            "2 つの成分が入れ替わっています。(∂z/∂x, ∂z/∂y) の順に返してください。"
            "係数 2x を含むのは ∂z/∂x です。"
        ),
        "h_why_sign": (
            "符号が逆です。sin u の導関数は +cos u です（導関数が −sin u になるのは cos u "
            "のほうです）。"
        ),
        "h_why_h": "偏導関数ではなく、h(x, y) = sin(x² + y²) そのものを返しています。",
        "h_why_dy_wrong": (
            "∂z/∂x は正しいのですが、∂z/∂y が違います。∂z/∂y = cos(x² + y²)·2y です。"
        ),
        "h_why_dx_wrong": (
            "∂z/∂y は正しいのですが、∂z/∂x が違います。∂z/∂x = cos(x² + y²)·2x です。"
        ),
        "h_why_other": (
            "u = x² + y² として連鎖律を使いましょう：∂z/∂x = (d sin u / du)·(∂u/∂x)。"
            "y についても同じです。"
        ),
        "not_tensor": (
            "{inputs} のとき、関数は {got}（{got_type}）を返しましたが、自動微分で勾配を"
            "計算できるように torch.Tensor を返す必要があります。"
        ),
        "why_converted": (
            "`.item()`、`float()`、`.numpy()`、または `math` や NumPy の関数がテンソルを別の"
            "ものに変えています。torch の演算を使い、テンソルをそのまま返してください。"
        ),
        "backward_failed": (
            "{inputs} のとき、値は正しいのですが、結果からの逆伝播が {error} で失敗しました。"
        ),
        "neuron_pass": (
            "あなたの順伝播は {n_cases} 通りの入力で tanh(w·x + b) を計算し、x の形状を保ち、"
            "自動微分のグラフで w と b につながっています。"
        ),
        "neuron_shape": (
            "{inputs} のとき、結果の形状は {got_shape} でしたが、x の要素ごとに 1 つの予測、"
            "つまり形状 {expected_shape} になるはずです。"
        ),
        "neuron_mismatch": (
            "{inputs} のとき、関数は {got} を返しましたが、tanh(w·x + b) は {expected} です。"
        ),
        "neuron_why_no_tanh": (
            "活性化関数が抜けています。w·x + b に `torch.tanh` を適用してください。"
        ),
        "neuron_why_sigmoid": (
            "シグモイド関数を使っています。このニューロンが使うのは tanh（`torch.tanh`）です。"
        ),
        "neuron_why_no_bias": "バイアス b が抜けています。tanh(w·x + b) を計算してください。",
        "neuron_why_bias_outside": (
            "b が tanh の後で足されています。b は tanh の内側に入ります：tanh(w·x + b)。"
        ),
        "neuron_why_other": (
            "予測は tanh(w·x + b) です。w と x を掛け、b を足してから `torch.tanh` を適用して"
            "ください。"
        ),
        "neuron_detached": (
            "{inputs} のとき、値は正しいのですが、結果に grad_fn がありません。`.detach()`、"
            "`.item()`、`.numpy()`、`torch.tensor(...)`、`torch.no_grad()` などで自動微分の"
            "グラフから切り離されているため、次の手順の `loss.backward()` が失敗します。"
            "w、b、x から torch の演算だけで予測を計算してください。"
        ),
        "neuron_disconnected": (
            "{inputs} のとき、値は正しいのですが、{names} に勾配が届きません。計算には"
            "テンソルそのものを使い、その `.item()`、`.data`、`.detach()` は使わないで"
            "ください。"
        ),
        "loss_pass": (
            "あなたの損失関数は {n_cases} 通りの入力で (y_true − y_prediction)² を要素ごとに"
            "計算し、入力の形状を保ち、自動微分のグラフにつながっています。"
        ),
        "loss_shape": (
            "{inputs} のとき、結果の形状は {got_shape} でしたが、要素ごとに 1 つの損失、"
            "つまり入力と同じ形状 {expected_shape} になるはずです。"
        ),
        "loss_mismatch": (
            "{inputs} のとき、関数は {got} を返しましたが、(y_true − y_prediction)² は "
            "{expected} です。"
        ),
        "loss_why_no_square": (
            "2 乗が抜けています。差を 2 乗してください：`(y_true - y_prediction)**2`。"
        ),
        "loss_why_abs": "差の絶対値を取っています。二乗損失では差を 2 乗します：`**2`。",
        "loss_why_times2": ("差に 2 を掛けています。`*2` ではなく `**2` で 2 乗してください。"),
        "loss_why_mean": (
            "損失の平均を取っています。この演習では平均を取らず、要素ごとの損失を求めます。"
            "`.mean()` を外してください。"
        ),
        "loss_why_sum": (
            "損失を合計しています。この演習では合計せず、要素ごとの損失を求めます。"
            "`.sum()` を外してください。"
        ),
        "loss_why_single": (
            "1 つの数を返しています。損失は要素ごとに計算し、入力と同じ形状にしてください。"
        ),
        "loss_why_other": ("各要素の損失は差の 2 乗です：`(y_true - y_prediction)**2`。"),
        "loss_detached": (
            "{inputs} のとき、値は正しいのですが、y_prediction が勾配を必要としているのに"
            "結果に grad_fn がありません。自動微分のグラフから切り離されているため、"
            "`loss.backward()` が失敗します。torch の演算だけを使ってください。"
        ),
        "train_inputs": (
            "チェック用の小さな問題（サンプル {n_samples} 個、WideNet(n_cells={n_cells})、"
            "MSELoss、モーメンタム付き SGD、n_epochs = {n_epochs}）"
        ),
        "train_pass": (
            "あなたの学習ループ（zero_grad、順伝播、損失、逆伝播、step）は {n_epochs} エポック"
            "すべてで参照ループと同じ損失を出し、損失を数値として記録しています。"
        ),
        "train_none": (
            "関数が None を返しました。関数の最後、ループの後に `return losses` を追加して"
            "ください。"
        ),
        "train_not_list": (
            "関数は {got}（{got_type}）を返しましたが、各エポックの損失（float）を並べた"
            "リストを返す必要があります。"
        ),
        "train_length": (
            "n_epochs = {n_epochs} のとき、関数は {n_got} 個の損失を返しました。損失は"
            "エポックごとに 1 つ、全部で {n_epochs} 個記録してください。"
        ),
        "train_length_zero": "`losses.append(...)` はループの中にありますか？",
        "train_length_one": (
            "`losses.append(...)` がループの外にありませんか？ エポックごとに 1 回、"
            "ループの中で呼んでください。"
        ),
        "train_tensors": (
            "記録した損失がテンソル（{got}）になっていて、数値ではありません。"
            "`loss.item()` を記録してください。テンソルのままだと、自動微分のグラフ全体が"
            "メモリに残ってしまいます。"
        ),
        "train_not_numbers": (
            "損失はすべて float である必要がありますが、リストの要素 {index} は {got}"
            "（{got_type}）です。"
        ),
        "train_nonfinite": "損失に NaN または無限大が含まれています：{got}。",
        "train_mismatch": "あなたの損失は {got} ですが、参照ループでは {expected} です。",
        "train_why_no_zero_grad": (
            "`optimizer.zero_grad()` が抜けています。`backward()` は `.grad` に足し込むので、"
            "すべてのエポックの勾配がたまっていきます。あなたの損失は、zero_grad のない"
            "ループの損失とぴったり一致します。"
        ),
        "train_why_no_step": (
            "損失がまったく変わらないので、パラメータが一度も更新されていません。"
            "`optimizer.step()` が抜けているか、`loss.backward()` より前に呼ばれています"
            "（その時点では適用する勾配がまだありません）。"
        ),
        "train_why_after_step": (
            "どの損失も次のエポックの値になっています。`optimizer.step()` の後に計算した損失を"
            "記録しています。`backward()` を呼んだ損失の `loss.item()` を記録してください。"
        ),
        "train_why_globals": (
            "関数に渡したモデルが変化していません。引数ではなくグローバル変数（model、"
            "optimizer、features など）を使っていませんか？"
        ),
        "train_why_other": (
            "損失はエポック {epoch}（1 から数えて）で初めて食い違います。ループを 5 つの手順"
            "と見比べてください：`optimizer.zero_grad()`、`prediction = model(features)`、"
            "`loss = loss_fn(prediction, labels)`、`loss.backward()`、`optimizer.step()`。"
        ),
    },
}


def _text(lang: str, key: str, **values: Any) -> str:
    """Return the message *key* in *lang* with its placeholders filled in."""
    return MESSAGES[lang][key].format(**values)


def _join(lang: str, *sentences: str) -> str:
    """Join sentences: with spaces in English, directly in Japanese."""
    separator = "" if lang == "ja" else " "
    return separator.join(sentence for sentence in sentences if sentence)


def _passed(lang: str, body: str) -> CheckResult:
    return CheckResult(passed=True, message=_text(lang, "passed", body=body), lang=lang)


def _failed(
    lang: str, body: str, *, why: str | None = None, hint: str | None = None, **values: Any
) -> CheckResult:
    """Return a failing verdict; *why* and *hint* are message keys added after *body*.

    *values* fill the placeholders of the *why* message.
    """
    parts = [body]
    if why is not None:
        parts.append(_text(lang, "likely", why=_text(lang, why, **values)))
    if hint is not None:
        parts.append(_text(lang, "hint", hint=MESSAGES[lang][hint]))
    message = _text(lang, "failed", body=_join(lang, *parts))
    return CheckResult(passed=False, message=message, lang=lang)


# --------------------------------------------------------------------------------------------
# Formatting values for messages
# --------------------------------------------------------------------------------------------


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."


def _number(value: Any) -> str:
    """Format a number with 4 significant digits (``nan`` and ``inf`` as such)."""
    value = float(value)
    if not math.isfinite(value):
        return repr(value)
    return f"{value:.4g}"


def _nested(values: Any) -> str:
    """Format a (nested) list of numbers as ``[a, b, ...]``."""
    if isinstance(values, list):
        return "[" + ", ".join(_nested(value) for value in values) + "]"
    return _number(values)


def _pair(a: Any, b: Any) -> str:
    return f"({_number(a)}, {_number(b)})"


def _tensor_text(tensor: torch.Tensor) -> str:
    """Format a tensor's values as ``tensor([...])``, without grad_fn or dtype noise."""
    values = tensor.detach().cpu().double().tolist()
    return _clip(f"tensor({_nested(values)})")


def _value_text(value: Any) -> str:
    """Format any value the learner returned, briefly."""
    if isinstance(value, torch.Tensor):
        return _tensor_text(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return _clip(_nested(value.astype(np.float64).tolist()))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _number(value)
    if isinstance(value, (tuple, list)) and len(value) <= 8:
        open_, close = ("(", ")") if isinstance(value, tuple) else ("[", "]")
        return _clip(open_ + ", ".join(_value_text(item) for item in value) + close)
    return _clip(repr(value))


def _array_input(name: str, array: np.ndarray) -> str:
    return f"{name} = np.array({array.tolist()})"


def _shape_text(shape: Sequence[int]) -> str:
    return str(tuple(int(n) for n in shape))


# --------------------------------------------------------------------------------------------
# Calling the learner's function
# --------------------------------------------------------------------------------------------

# (substring of the error message, hint key) pairs, per kind of exercise.
_NUMPY_HINTS: tuple[tuple[str, str], ...] = (
    ("for ^:", "hint_xor"),
    ("bitwise_xor", "hint_xor"),
    ("converted to Python scalars", "hint_math_on_array"),
    ("must be Tensor", "hint_torch_on_number"),
)
_TENSOR_HINTS: tuple[tuple[str, str], ...] = (
    ("bitwise_xor", "hint_xor"),
    ("for ^:", "hint_xor"),
    ("converted to Python scalars", "hint_numpy_on_tensor"),
    ("numpy() on Tensor", "hint_numpy_on_tensor"),
    ("modified by an inplace operation", "hint_inplace"),
    ("backward through the graph a second time", "hint_backward_twice"),
)


def _error_text(error: BaseException) -> str:
    message = str(error).strip().splitlines()
    first = message[0] if message else ""
    name = type(error).__name__
    if len(first) > _MAX_TEXT:  # keep the first sentence of a long explanation
        first = first.split(". ")[0]
    first = first.rstrip(".")
    return _clip(f"{name}: {first}" if first else name)


def _is_starter_code(error: BaseException) -> bool:
    """Tell the starter code's ``raise NotImplementedError`` from one raised by a library.

    PyTorch raises ``NotImplementedError`` for an operation a dtype lacks, for example
    ``"bitwise_xor_cpu" not implemented for 'Float'`` when ``^`` is used as a power.
    """
    return isinstance(error, NotImplementedError) and "not implemented for" not in str(error)


def _call(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    lang: str,
    inputs: str,
    hints: tuple[tuple[str, str], ...],
) -> tuple[Any, CheckResult | None]:
    """Call ``fn(*args)``; return ``(result, None)`` or ``(None, failing verdict)``."""
    try:
        return fn(*args), None
    except Exception as error:  # noqa: BLE001 - every mistake must become a verdict
        if _is_starter_code(error):
            return None, _failed(lang, _text(lang, "not_implemented"))
        text = str(error)
        hint = next((key for pattern, key in hints if pattern in text), None)
        body = _text(lang, "raised", inputs=inputs, error=_error_text(error))
        return None, _failed(lang, body, hint=hint)


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


# --------------------------------------------------------------------------------------------
# Exercise §1.1: the gradient of h(x, y) = sin(x² + y²)
# --------------------------------------------------------------------------------------------


def _as_real_array(value: Any) -> np.ndarray | None:
    """Return *value* as a float64 array, or ``None`` if it is not made of real numbers."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
        if value.is_complex() or value.dtype == torch.bool:
            return None
        return value.double().numpy()
    if isinstance(value, (str, bytes, bool)) or value is None:
        return None
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - ragged or exotic objects are simply "not numbers"
        return None
    if array.dtype.kind not in "iuf":
        return None
    return array.astype(np.float64)


def _as_pair(value: Any) -> tuple[Any, Any] | None:
    """Return the two items of *value* if it is a sequence or array of length 2."""
    if isinstance(value, (str, bytes, dict)) or value is None:
        return None
    try:
        if len(value) != 2:
            return None
        first, second = value
    except Exception:  # noqa: BLE001 - no len(), or not iterable
        return None
    return first, second


def _h_wrong_answers(x: np.ndarray, y: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return what the typical wrong formulas give for ∇h, keyed by their ``h_why_*`` message."""
    u = x**2 + y**2
    right_x, right_y = (np.asarray(g) for g in h_gradient(x, y))
    wrong_x_factor = np.cos(u) * x
    wrong_y_factor = np.cos(u) * y
    shape = u.shape
    return {
        "h_why_factor2": (wrong_x_factor, wrong_y_factor),
        "h_why_sin": (np.sin(u) * 2 * x, np.sin(u) * 2 * y),
        "h_why_inner": (np.cos(u), np.cos(u)),
        "h_why_swapped": (right_y, right_x),
        "h_why_sign": (-right_x, -right_y),
        "h_why_h": (np.broadcast_to(h(x, y), shape), np.broadcast_to(h(x, y), shape)),
    }


def _h_close(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL_FLOAT64))


def _h_diagnosis(x: np.ndarray, y: np.ndarray, got: tuple[np.ndarray, np.ndarray]) -> str:
    """Return the ``h_why_*`` key that explains the wrong gradient *got*."""
    for key, (wrong_x, wrong_y) in _h_wrong_answers(x, y).items():
        if _h_close(got[0], wrong_x) and _h_close(got[1], wrong_y):
            return key
    right_x, right_y = h_gradient(x, y)
    if _h_close(got[0], right_x):
        return "h_why_dy_wrong"
    if _h_close(got[1], right_y):
        return "h_why_dx_wrong"
    return "h_why_other"


def _h_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """Return the inputs of :func:`check_h_gradient`: scalars first, then arrays."""
    cases = [(np.float64(x), np.float64(y)) for x, y in _H_SCALAR_POINTS]
    cases.append((np.array([-1.2, -0.4, 0.7, 1.3, 2.0]), np.array([0.5, -1.1, 0.2, 0.9, -0.3])))
    cases.append((np.array([[-1.6], [0.1], [1.4]]), np.array([-1.3, -0.2, 0.6, 1.7])))
    return cases


def check_h_gradient(fn: Callable[[Any, Any], Any], *, lang: str = "en") -> CheckResult:
    """Check a learner's gradient of ``h(x, y) = sin(x² + y²)`` (exercise of §1.1).

    The function is called with four pairs of Python floats, chosen where the typical mistakes
    give clearly different numbers, then with two pairs of NumPy arrays (same shape, and shapes
    that broadcast). Each result must be a pair ``(dz_dx, dz_dy)`` of numbers or arrays of the
    broadcast shape, equal to :func:`gdguide.functions.h_gradient` within ``rtol = 1e-5`` and
    ``atol = 1e-8``. A wrong answer is compared with the known wrong formulas (factor 2
    missing, sin instead of cos, inner derivative missing, components swapped, sign error,
    ``h`` itself) to name the likely mistake.

    Parameters
    ----------
    fn : callable
        The learner's function ``fn(x, y) -> (dz_dx, dz_dy)``.
    lang : {"en", "ja"}, default "en"
        The language of the verdict.

    Returns
    -------
    CheckResult
        True when every test passes; its message explains the verdict.

    Raises
    ------
    TypeError
        If *fn* is not callable or *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language.

    Examples
    --------
    >>> import numpy as np
    >>> def my_gradient(x, y):
    ...     return np.cos(x**2 + y**2) * 2 * x, np.cos(x**2 + y**2) * 2 * y
    >>> bool(check_h_gradient(my_gradient))
    True
    >>> print(check_h_gradient(lambda x, y: (np.cos(x**2 + y**2) * x, np.cos(x**2 + y**2) * y)))
    ❌ Not yet: for x = 0.5, y = -1.0 your function returned (0.1577, -0.3153) but the gradient is (0.3153, -0.6306). Likely mistake: the factor 2 from d(x²)/dx = 2x is missing.
    """  # noqa: E501
    check_callable("fn", fn)
    lang = check_lang(lang)
    with _isolated():
        for x, y in _h_cases():
            verdict = _h_check_case(fn, x, y, lang)
            if verdict is not None:
                return verdict
    return _passed(lang, _text(lang, "h_pass", n_points=len(_H_SCALAR_POINTS)))


def _h_check_case(
    fn: Callable[[Any, Any], Any], x: np.ndarray, y: np.ndarray, lang: str
) -> CheckResult | None:
    """Run one case of :func:`check_h_gradient`; return a failing verdict or ``None``."""
    scalar = x.ndim == 0 and y.ndim == 0
    if scalar:
        inputs = f"x = {float(x)!r}, y = {float(y)!r}"
        args: tuple[Any, Any] = (float(x), float(y))
    else:
        inputs = f"{_array_input('x', x)}, {_array_input('y', y)}"
        args = (x.copy(), y.copy())
    result, failure = _call(fn, args, lang=lang, inputs=inputs, hints=_NUMPY_HINTS)
    if failure is not None:
        return failure
    expected_shape = np.broadcast_shapes(x.shape, y.shape)
    got_text = _value_text(result)

    pair = _as_pair(result)
    if pair is None:
        single = _as_real_array(result)
        if (
            single is not None
            and single.size == math.prod(expected_shape)
            and _h_close(single.reshape(expected_shape), h(x, y))
        ):
            return _failed(lang, _text(lang, "h_returned_h", inputs=inputs, got=got_text))
        return _failed(lang, _text(lang, "h_not_pair", inputs=inputs, got=got_text))

    parts = [_as_real_array(item) for item in pair]
    if parts[0] is None or parts[1] is None:
        return _failed(lang, _text(lang, "h_not_numbers", inputs=inputs, got=got_text))
    got = [part.reshape(()) if scalar and part.size == 1 else part for part in parts]
    if any(part.shape != expected_shape for part in got):
        shapes = ", ".join(_shape_text(part.shape) for part in got)
        return _failed(
            lang,
            _text(
                lang,
                "h_shape",
                inputs=inputs,
                got_shapes=shapes,
                expected_shape=_shape_text(expected_shape),
            ),
        )
    if not all(np.all(np.isfinite(part)) for part in got):
        return _failed(lang, _text(lang, "nonfinite", inputs=inputs, got=got_text))

    expected = [np.asarray(part) for part in h_gradient(x, y)]
    if _h_close(got[0], expected[0]) and _h_close(got[1], expected[1]):
        return None
    why = _h_diagnosis(x, y, (got[0], got[1]))
    if scalar:
        body = _text(
            lang,
            "h_mismatch",
            inputs=inputs,
            got=_pair(got[0], got[1]),
            expected=_pair(expected[0], expected[1]),
        )
        return _failed(lang, body, why=why)
    wrong = ~(
        np.isclose(got[0], expected[0], rtol=RTOL, atol=ATOL_FLOAT64)
        & np.isclose(got[1], expected[1], rtol=RTOL, atol=ATOL_FLOAT64)
    )
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    xs, ys = np.broadcast_arrays(x, y)
    body = _text(
        lang,
        "h_mismatch_array",
        inputs=inputs,
        index=_shape_text(index),
        x=_number(xs[index]),
        y=_number(ys[index]),
        got=_pair(got[0][index], got[1][index]),
        expected=_pair(expected[0][index], expected[1][index]),
    )
    return _failed(lang, body, why=why)


# --------------------------------------------------------------------------------------------
# Shared steps of the two tensor exercises (§2.1)
# --------------------------------------------------------------------------------------------


def _tensors_close(got: torch.Tensor, expected: torch.Tensor) -> bool:
    return bool(
        torch.allclose(
            got.detach().cpu().double(),
            expected.detach().cpu().double(),
            rtol=RTOL,
            atol=ATOL_FLOAT32,
        )
    )


Candidates = list[tuple[str, torch.Tensor]]


def _tensor_result_problem(
    result: Any,
    expected: torch.Tensor,
    *,
    lang: str,
    inputs: str,
    shape_key: str,
    shape_candidates: Candidates | None = None,
    single_key: str | None = None,
) -> CheckResult | None:
    """Check that *result* is a finite real tensor of the expected shape.

    Returns a failing verdict, or ``None`` when the result may be compared with *expected*.
    A result of the wrong shape is compared with *shape_candidates* (a mean, a sum, ...) to
    name the mistake; *single_key* names it when the result is some other single number.
    """
    if not isinstance(result, torch.Tensor):
        converted = isinstance(result, (numbers.Real, np.ndarray)) and not isinstance(result, bool)
        body = _text(
            lang, "not_tensor", inputs=inputs, got=_value_text(result), got_type=_kind(result)
        )
        return _failed(lang, body, why="why_converted" if converted else None)
    if result.is_complex() or result.dtype == torch.bool:
        got_type = f"{_kind(result)} ({result.dtype})"
        body = _text(lang, "not_tensor", inputs=inputs, got=_clip(repr(result)), got_type=got_type)
        return _failed(lang, body)
    if result.shape != expected.shape:
        body = _text(
            lang,
            shape_key,
            inputs=inputs,
            got_shape=_shape_text(result.shape),
            expected_shape=_shape_text(expected.shape),
        )
        why = _first_match(result, shape_candidates or [])
        if why is None and result.numel() == 1:
            why = single_key
        return _failed(lang, body, why=why)
    if not bool(torch.isfinite(result.detach()).all()):
        return _failed(lang, _text(lang, "nonfinite", inputs=inputs, got=_tensor_text(result)))
    return None


def _first_match(got: torch.Tensor, candidates: Candidates) -> str | None:
    """Return the key of the first candidate that *got* equals (shape and values)."""
    for key, candidate in candidates:
        if candidate.shape == got.shape and _tensors_close(got, candidate):
            return key
    return None


# --------------------------------------------------------------------------------------------
# Exercise §2.1 (a): the forward pass of one neuron
# --------------------------------------------------------------------------------------------


def _neuron_cases() -> list[tuple[float, float, torch.Tensor]]:
    """Return ``(w, b, x)`` cases: a diagnostic vector, the lesson's example, a column."""
    return [
        (0.8, -0.3, torch.tensor([-1.5, 0.0, 0.5, 2.0])),
        (-0.5, 0.5, torch.tensor([1.0])),
        (1.3, 0.4, torch.tensor([[-0.7], [0.2], [1.1]])),
    ]


def check_neuron_forward(
    fn: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], Any], *, lang: str = "en"
) -> CheckResult:
    """Check a learner's forward pass ``prediction = tanh(w·x + b)`` (exercise of §2.1).

    The function is called three times with fresh parameters ``w`` and ``b`` (float32 tensors
    of shape ``(1,)`` with ``requires_grad=True``) and an input tensor ``x`` (a vector, the
    lesson's single feature, a column). The result must be a tensor of the shape of ``x``,
    equal to :class:`gdguide.neuron.SimpleNeuron`'s prediction within ``rtol = 1e-5`` and
    ``atol = 1e-6``, with a ``grad_fn`` and with gradients reaching both ``w`` and ``b``.
    Wrong values are compared with ``w·x + b`` (tanh forgotten), the sigmoid, ``tanh(w·x)``
    (bias forgotten) and ``tanh(w·x) + b`` to name the likely mistake.

    Parameters
    ----------
    fn : callable
        The learner's function ``fn(w, b, x) -> prediction``.
    lang : {"en", "ja"}, default "en"
        The language of the verdict.

    Returns
    -------
    CheckResult
        True when every test passes; its message explains the verdict.

    Raises
    ------
    TypeError
        If *fn* is not callable or *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language.

    Examples
    --------
    >>> import torch
    >>> bool(check_neuron_forward(lambda w, b, x: torch.tanh(w * x + b)))
    True
    """
    check_callable("fn", fn)
    lang = check_lang(lang)
    with _isolated():
        for w_value, b_value, x in _neuron_cases():
            verdict = _neuron_check_case(fn, w_value, b_value, x, lang)
            if verdict is not None:
                return verdict
    return _passed(lang, _text(lang, "neuron_pass", n_cases=len(_neuron_cases())))


def _neuron_check_case(
    fn: Callable[..., Any], w_value: float, b_value: float, x: torch.Tensor, lang: str
) -> CheckResult | None:
    """Run one case of :func:`check_neuron_forward`; return a failing verdict or ``None``."""
    reference = SimpleNeuron(w=w_value, b=b_value)
    expected = reference(x).detach()
    w = torch.tensor([w_value], requires_grad=True)
    b = torch.tensor([b_value], requires_grad=True)
    inputs = f"w = {_tensor_text(w)}, b = {_tensor_text(b)}, x = {_tensor_text(x)}"
    result, failure = _call(fn, (w, b, x.clone()), lang=lang, inputs=inputs, hints=_TENSOR_HINTS)
    if failure is not None:
        return failure
    problem = _tensor_result_problem(
        result, expected, lang=lang, inputs=inputs, shape_key="neuron_shape"
    )
    if problem is not None:
        return problem
    if not _tensors_close(result, expected):
        with torch.no_grad():
            linear = w * x + b
            candidates = [
                ("neuron_why_no_tanh", linear),
                ("neuron_why_sigmoid", torch.sigmoid(linear)),
                ("neuron_why_no_bias", torch.tanh(w * x)),
                ("neuron_why_bias_outside", torch.tanh(w * x) + b),
            ]
        why = _first_match(result, candidates) or "neuron_why_other"
        body = _text(
            lang,
            "neuron_mismatch",
            inputs=inputs,
            got=_tensor_text(result),
            expected=_tensor_text(expected),
        )
        return _failed(lang, body, why=why)
    if result.grad_fn is None:
        return _failed(lang, _text(lang, "neuron_detached", inputs=inputs))
    try:
        grads = torch.autograd.grad(result.sum(), [w, b], allow_unused=True)
    except Exception as error:  # noqa: BLE001 - a broken graph is the learner's mistake
        return _failed(
            lang, _text(lang, "backward_failed", inputs=inputs, error=_error_text(error))
        )
    missing = [name for name, grad in zip(("w", "b"), grads, strict=True) if grad is None]
    if missing:
        names = " / ".join(missing)
        return _failed(lang, _text(lang, "neuron_disconnected", inputs=inputs, names=names))
    return None


# --------------------------------------------------------------------------------------------
# Exercise §2.1 (b): the element-wise squared loss
# --------------------------------------------------------------------------------------------


def _loss_cases() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Return ``(y_true, y_prediction)`` cases: a diagnostic vector, the lesson's, a column."""
    return [
        (torch.tensor([1.0, -0.5, 2.0, 0.0]), torch.tensor([0.2, 0.8, 2.5, -1.5])),
        (torch.tensor([7.0]), torch.tensor([0.0])),
        (torch.tensor([[0.3], [-1.2], [0.9]]), torch.tensor([[0.1], [0.4], [-0.6]])),
    ]


def check_squared_loss(
    fn: Callable[[torch.Tensor, torch.Tensor], Any], *, lang: str = "en"
) -> CheckResult:
    """Check a learner's element-wise squared loss ``(y_true − y_prediction)²`` (§2.1).

    The function is called three times with a target tensor and a prediction tensor that
    requires gradients (a vector, the lesson's ``7`` and ``0``, a column). The result must be a
    tensor of the inputs' shape, equal to :func:`gdguide.neuron.squared_loss` within
    ``rtol = 1e-5`` and ``atol = 1e-6``, and part of the autograd graph. Wrong answers are
    compared with the mean, the sum, the plain difference (either sign), the absolute value
    and twice the difference to name the likely mistake.

    Parameters
    ----------
    fn : callable
        The learner's function ``fn(y_true, y_prediction) -> loss``.
    lang : {"en", "ja"}, default "en"
        The language of the verdict.

    Returns
    -------
    CheckResult
        True when every test passes; its message explains the verdict.

    Raises
    ------
    TypeError
        If *fn* is not callable or *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language.

    Examples
    --------
    >>> print(check_squared_loss(lambda y_true, y_prediction: (y_true - y_prediction) ** 2, lang="ja"))
    ✅ 正解です：あなたの損失関数は 3 通りの入力で (y_true − y_prediction)² を要素ごとに計算し、入力の形状を保ち、自動微分のグラフにつながっています。
    """  # noqa: E501
    check_callable("fn", fn)
    lang = check_lang(lang)
    with _isolated():
        for y_true, y_prediction in _loss_cases():
            verdict = _loss_check_case(fn, y_true, y_prediction, lang)
            if verdict is not None:
                return verdict
    return _passed(lang, _text(lang, "loss_pass", n_cases=len(_loss_cases())))


def _loss_check_case(
    fn: Callable[..., Any], y_true: torch.Tensor, y_prediction: torch.Tensor, lang: str
) -> CheckResult | None:
    """Run one case of :func:`check_squared_loss`; return a failing verdict or ``None``."""
    expected = squared_loss(y_true, y_prediction)
    inputs = f"y_true = {_tensor_text(y_true)}, y_prediction = {_tensor_text(y_prediction)}"
    prediction = y_prediction.clone().requires_grad_(True)
    result, failure = _call(
        fn, (y_true.clone(), prediction), lang=lang, inputs=inputs, hints=_TENSOR_HINTS
    )
    if failure is not None:
        return failure
    problem = _tensor_result_problem(
        result,
        expected,
        lang=lang,
        inputs=inputs,
        shape_key="loss_shape",
        shape_candidates=[
            ("loss_why_mean", expected.mean()),
            ("loss_why_sum", expected.sum()),
        ],
        single_key="loss_why_single",
    )
    if problem is not None:
        return problem
    if not _tensors_close(result, expected):
        difference = y_true - y_prediction
        candidates = [
            ("loss_why_no_square", difference),
            ("loss_why_no_square", -difference),
            ("loss_why_abs", difference.abs()),
            ("loss_why_times2", 2 * difference),
        ]
        body = _text(
            lang,
            "loss_mismatch",
            inputs=inputs,
            got=_tensor_text(result),
            expected=_tensor_text(expected),
        )
        return _failed(lang, body, why=_first_match(result, candidates) or "loss_why_other")
    if result.grad_fn is None:
        return _failed(lang, _text(lang, "loss_detached", inputs=inputs))
    return None


# --------------------------------------------------------------------------------------------
# Exercise §3.1: the training loop
# --------------------------------------------------------------------------------------------


def _train_problem() -> tuple[torch.Tensor, torch.Tensor, Any, Any, torch.optim.Optimizer]:
    """Build the check's small problem from the lesson's seed (the same every call)."""
    features, labels = make_sine_data(_TRAIN_SAMPLES, seed=SEED)
    model, loss_fn, optimizer = make_training_setup(
        n_cells=_TRAIN_CELLS, seed=SEED, lr=_TRAIN_LR, momentum=_TRAIN_MOMENTUM
    )
    return features, labels, model, loss_fn, optimizer


def _reference_losses(n_epochs: int) -> list[float]:
    """Return the losses of the library's :func:`~gdguide.training.train` on the problem."""
    return train(*_train_problem(), n_epochs)


def _wrong_loop_losses(kind: str, n_epochs: int) -> list[float]:
    """Return the losses of a training loop with the mistake *kind* built in.

    ``"no_zero_grad"`` never zeroes the gradients; ``"no_step"`` never updates the parameters
    (what a loop that calls ``step()`` before ``backward()``, right after ``zero_grad()``, does
    too); ``"after_step"`` records the loss of the parameters after each step.
    """
    if kind == "after_step":
        return _reference_losses(n_epochs + 1)[1:]
    features, labels, model, loss_fn, optimizer = _train_problem()
    losses = []
    for _ in range(n_epochs):
        if kind == "no_step":
            optimizer.zero_grad()
        loss = loss_fn(model(features), labels)
        loss.backward()
        if kind == "no_zero_grad":
            optimizer.step()
        losses.append(loss.item())
    return losses


def _losses_close(got: Sequence[float], expected: Sequence[float]) -> bool:
    return bool(np.allclose(got, expected, rtol=RTOL, atol=ATOL_FLOAT32))


def _losses_text(losses: Sequence[Any]) -> str:
    return _clip("[" + ", ".join(_number(value) for value in losses) + "]")


def check_train(fn: Callable[..., Any], *, lang: str = "en") -> CheckResult:
    """Check a learner's full-batch training loop (exercise of §3.1).

    The check builds a small problem twice from the lesson's seed: 16 samples of
    :func:`~gdguide.training.make_sine_data`, a ``WideNet(n_cells=16)``, ``MSELoss`` and SGD
    with momentum (:func:`~gdguide.training.make_training_setup`). It calls
    ``fn(features, labels, model, loss_fn, optimizer, n_epochs=5)`` on one copy and the
    library's :func:`~gdguide.training.train` on the other, and compares the two lists of
    losses within ``rtol = 1e-5`` and ``atol = 1e-6``. A wrong list is compared with loops that
    forget ``zero_grad``, never step (or step before ``backward``) and record the loss after
    the step, to name the likely mistake. The random states of Python, NumPy and PyTorch are
    restored afterwards.

    Parameters
    ----------
    fn : callable
        The learner's function ``fn(features, labels, model, loss_fn, optimizer, n_epochs)``
        returning the list of per-epoch losses (floats).
    lang : {"en", "ja"}, default "en"
        The language of the verdict.

    Returns
    -------
    CheckResult
        True when the losses match; its message explains the verdict.

    Raises
    ------
    TypeError
        If *fn* is not callable or *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language.

    Examples
    --------
    >>> from gdguide.training import train
    >>> bool(check_train(train))
    True
    """
    check_callable("fn", fn)
    lang = check_lang(lang)
    with _isolated():
        return _train_verdict(fn, lang)


def _train_verdict(fn: Callable[..., Any], lang: str) -> CheckResult:
    """Run :func:`check_train`'s comparison (random states already isolated)."""
    n_epochs = _TRAIN_EPOCHS
    inputs = _text(
        lang,
        "train_inputs",
        n_samples=_TRAIN_SAMPLES,
        n_cells=_TRAIN_CELLS,
        n_epochs=n_epochs,
    )
    features, labels, model, loss_fn, optimizer = _train_problem()
    before = [parameter.detach().clone() for parameter in model.parameters()]
    result, failure = _call(
        fn,
        (features, labels, model, loss_fn, optimizer, n_epochs),
        lang=lang,
        inputs=inputs,
        hints=_TENSOR_HINTS,
    )
    if failure is not None:
        return failure
    if result is None:
        return _failed(lang, _text(lang, "train_none"))
    if not isinstance(result, list):
        body = _text(lang, "train_not_list", got=_value_text(result), got_type=_kind(result))
        return _failed(lang, body)
    if len(result) != n_epochs:
        hint = {0: "train_length_zero", 1: "train_length_one"}.get(len(result))
        body = _text(lang, "train_length", n_epochs=n_epochs, n_got=len(result))
        return _failed(lang, body, hint=hint)
    if any(isinstance(value, torch.Tensor) for value in result):
        return _failed(lang, _text(lang, "train_tensors", got=_value_text(result[0])))
    for index, value in enumerate(result):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            body = _text(
                lang,
                "train_not_numbers",
                index=index,
                got=_value_text(value),
                got_type=_kind(value),
            )
            return _failed(lang, body)
    got = [float(value) for value in result]
    if not all(math.isfinite(value) for value in got):
        return _failed(lang, _text(lang, "train_nonfinite", got=_losses_text(got)))

    expected = _reference_losses(n_epochs)
    if _losses_close(got, expected):
        return _passed(lang, _text(lang, "train_pass", n_epochs=n_epochs))

    body = _text(lang, "train_mismatch", got=_losses_text(got), expected=_losses_text(expected))
    for kind in ("no_zero_grad", "no_step", "after_step"):
        if _losses_close(got, _wrong_loop_losses(kind, n_epochs)):
            return _failed(lang, body, why=f"train_why_{kind}")
    unchanged = all(
        torch.equal(old, new.detach()) for old, new in zip(before, model.parameters(), strict=True)
    )
    if unchanged:
        return _failed(lang, body, why="train_why_globals")
    epoch = next(
        index + 1
        for index, (a, b) in enumerate(zip(got, expected, strict=True))
        if not math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL_FLOAT32)
    )
    return _failed(lang, body, why="train_why_other", epoch=epoch)
