"""What the exercise checks say, in English and Japanese.

Both languages have the same keys and the same ``{placeholders}``; ``tests/test_exercises.py``
checks it. The checks themselves only name keys and fill in values, so no language appears in
their code.
"""

from __future__ import annotations

#: How the sentences of one verdict are joined: Japanese needs no space after "。".
SENTENCE_JOINER: dict[str, str] = {"en": " ", "ja": ""}

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
        # check_neuron and check_squared_loss
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
            "your SimpleNeuron stores w and b as tensors that require gradients, and its "
            "forward pass computes tanh(w·x + b) for {n_cases} inputs, keeps the shape of x and "
            "passes the right gradients back to w and b."
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
            "inputs, keeps their shape and passes the right gradient back to y_prediction."
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
        "train_pass": (
            "your training loop (zero_grad, forward pass, loss, backward pass, step) gives "
            "the reference losses for n_epochs = {epoch_counts} and records them as numbers."
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
        # every check
        "timeout": (
            "for {inputs} your code was still running after {seconds} seconds, so the check "
            "stopped it. Is there a loop that never ends, such as a `while` whose condition "
            "stays true?"
        ),
        "h_why_dy_copied": (
            "∂z/∂y is a copy of ∂z/∂x: for y the inner derivative is ∂(x² + y²)/∂y = 2y, "
            "not 2x."
        ),
        "h_why_dx_copied": (
            "∂z/∂x is a copy of ∂z/∂y: for x the inner derivative is ∂(x² + y²)/∂x = 2x, "
            "not 2y."
        ),
        # check_df_dy and check_backward_pass (§1.3)
        "bp_not_number": (
            "for {inputs} your function returned {got} (type {got_type}), but ∂f/∂y is one "
            "number: return a float."
        ),
        "bp_not_triple": (
            "for {inputs} your function returned {got} (type {got_type}), but it should "
            "return the three numbers (df_dx, df_dy, df_dz), as in `return df_dx, df_dy, df_dz`."
        ),
        "bp_nonfinite": "for {inputs} your function returned NaN or infinity: {got}.",
        "dfdy_mismatch": (
            "for {inputs} your function returned {got}, but ∂f/∂y there is {expected}."
        ),
        "backward_mismatch": (
            "for {inputs} your function returned {got}, but (∂f/∂x, ∂f/∂y, ∂f/∂z) there is "
            "{expected}: {partial} is wrong."
        ),
        "bp_why_missing": (
            "{partial} is missing the factor {factor}: multiply every local derivative on the "
            "path from f back to the input."
        ),
        "bp_why_tanh": (
            "the derivative of tanh is 1 − tanh², so ∂f/∂e = 1 − tanh(e)², not 1 − tanh(e)."
        ),
        "bp_why_sign": "the minus sign of ∂c/∂b = −a/b² is missing.",
        "bp_why_dc_db": (
            "∂c/∂b is wrong: c = a/b = a·b⁻¹, so ∂c/∂b = −a/b² (the a stays, and b is squared)."
        ),
        "bp_why_sin": "∂b/∂y is the derivative of sin y, which is cos y, not sin y.",
        "bp_why_returned_dx": "you returned ∂f/∂x; the path to y goes through b = sin y.",
        "bp_why_returned_f": "you returned the value of f itself, not a derivative.",
        "bp_why_order": (
            "the three numbers are right but in the wrong order: return (df_dx, df_dy, df_dz)."
        ),
        "bp_why_other": (
            "write {partial} as the product of the local derivatives along the path from f "
            "back to the input, each evaluated from the stored values in v."
        ),
        "dfdy_pass": (
            "your ∂f/∂y matches autograd at {n_cases} points of the domain: "
            "(1 − tanh²e)·1/(d + 1)·z·(−a/b²)·cos y."
        ),
        "backward_pass": (
            "your backward pass gives ∂f/∂x, ∂f/∂y and ∂f/∂z equal to autograd's at {n_cases} "
            "points of the domain."
        ),
        # check_neuron (§2.1)
        "neuron_attribute": (
            "for {inputs} the neuron has no tensor attribute `{name}` (found {got}): "
            "`__init__` must keep `self.{name} = torch.tensor([{name}], requires_grad=True)`."
        ),
        "neuron_requires_grad": (
            "for {inputs} `self.{name}` does not require gradients, so autograd would compute "
            "nothing for it: create it with `requires_grad=True`."
        ),
        "neuron_init_value": (
            "for {inputs} `self.{name}` holds {got}, but the neuron should store the value "
            "given to `__init__`, {expected}."
        ),
        "neuron_wrong_gradient": (
            "for {inputs} the values are right, but the gradient of the predictions with "
            "respect to {name} is {got} instead of {expected}."
        ),
        "neuron_why_relu": "you used ReLU; this neuron uses tanh (`torch.tanh`).",
        "loss_why_reshaped": (
            "the values are right but the shape changed: keep the shape of the inputs (no "
            "`.squeeze()`, `.flatten()`, `.view(...)` or `.item()`)."
        ),
        "loss_wrong_gradient": (
            "for {inputs} the values are right, but the gradient with respect to y_prediction "
            "is {got} instead of {expected}."
        ),
    },
    "ja": {
        "passed": "✅ できました：{body}",
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
            "あなたの SimpleNeuron は w と b を勾配が必要なテンソルとして持ち、その順伝播は "
            "{n_cases} 通りの入力で tanh(w·x + b) を計算し、x の形状を保ち、w と b に正しい"
            "勾配を返しています。"
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
            "計算し、入力の形状を保ち、y_prediction に正しい勾配を返しています。"
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
        "loss_why_abs": "差の絶対値を取っています。二乗誤差では差を 2 乗します：`**2`。",
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
        "train_pass": (
            "あなたの学習ループ（zero_grad、順伝播、損失、逆伝播、step）は n_epochs = "
            "{epoch_counts} のどれでも参照ループと同じ損失を出し、損失を数値として記録しています。"
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
        "timeout": (
            "{inputs} のとき、コードが {seconds} 秒たっても終わらなかったので、チェックが止め"
            "ました。条件がずっと真のままの `while` のように、終わらないループはありませんか？"
        ),
        "h_why_dy_copied": (
            "∂z/∂y が ∂z/∂x の写しになっています。y についての内側の微分は "
            "∂(x² + y²)/∂y = 2y で、2x ではありません。"
        ),
        "h_why_dx_copied": (
            "∂z/∂x が ∂z/∂y の写しになっています。x についての内側の微分は "
            "∂(x² + y²)/∂x = 2x で、2y ではありません。"
        ),
        "bp_not_number": (
            "{inputs} のとき、関数は {got}（{got_type}）を返しましたが、∂f/∂y は 1 つの数です。"
            "float を返してください。"
        ),
        "bp_not_triple": (
            "{inputs} のとき、関数は {got}（{got_type}）を返しましたが、"
            "`return df_dx, df_dy, df_dz` のように 3 つの数を返す必要があります。"
        ),
        "bp_nonfinite": "{inputs} のとき、関数は NaN または無限大を返しました：{got}。",
        "dfdy_mismatch": (
            "{inputs} のとき、関数は {got} を返しましたが、そこでの ∂f/∂y は {expected} です。"
        ),
        "backward_mismatch": (
            "{inputs} のとき、関数は {got} を返しましたが、そこでの (∂f/∂x, ∂f/∂y, ∂f/∂z) は "
            "{expected} です。{partial} が違います。"
        ),
        "bp_why_missing": (
            "{partial} に因子 {factor} が抜けています。f から入力までの経路上にある局所微分を"
            "すべて掛けてください。"
        ),
        "bp_why_tanh": (
            "tanh の導関数は 1 − tanh² なので、∂f/∂e = 1 − tanh(e)² です。1 − tanh(e) では"
            "ありません。"
        ),
        "bp_why_sign": "∂c/∂b = −a/b² のマイナス符号が抜けています。",
        "bp_why_dc_db": (
            "∂c/∂b が違います。c = a/b = a·b⁻¹ なので ∂c/∂b = −a/b² です（a は残り、b は 2 乗"
            "になります）。"
        ),
        "bp_why_sin": "∂b/∂y は sin y の導関数なので cos y です。sin y ではありません。",
        "bp_why_returned_dx": "∂f/∂x を返しています。y への経路は b = sin y を通ります。",
        "bp_why_returned_f": "導関数ではなく、f の値そのものを返しています。",
        "bp_why_order": (
            "3 つの数は合っていますが、順番が違います。(df_dx, df_dy, df_dz) の順に返して"
            "ください。"
        ),
        "bp_why_other": (
            "{partial} を、f から入力までの経路上の局所微分の積として書き、それぞれを v に"
            "保存された値から計算してください。"
        ),
        "dfdy_pass": (
            "あなたの ∂f/∂y は定義域の {n_cases} 個の点で自動微分と一致しました："
            "(1 − tanh²e)·1/(d + 1)·z·(−a/b²)·cos y。"
        ),
        "backward_pass": (
            "あなたの逆伝播は定義域の {n_cases} 個の点で、∂f/∂x、∂f/∂y、∂f/∂z のすべてが"
            "自動微分と一致しました。"
        ),
        "neuron_attribute": (
            "{inputs} のとき、ニューロンにテンソルの属性 `{name}` がありません（{got}）。"
            "`__init__` の `self.{name} = torch.tensor([{name}], requires_grad=True)` を"
            "残してください。"
        ),
        "neuron_requires_grad": (
            "{inputs} のとき、`self.{name}` が勾配を必要としないため、自動微分はこれについて何も"
            "計算しません。`requires_grad=True` を付けて作ってください。"
        ),
        "neuron_init_value": (
            "{inputs} のとき、`self.{name}` には {got} が入っていますが、`__init__` に渡した値 "
            "{expected} を保存する必要があります。"
        ),
        "neuron_wrong_gradient": (
            "{inputs} のとき、値は合っていますが、予測の {name} についての勾配が {expected} "
            "ではなく {got} になっています。"
        ),
        "neuron_why_relu": (
            "ReLU を使っています。このニューロンが使うのは tanh（`torch.tanh`）です。"
        ),
        "loss_why_reshaped": (
            "値は合っていますが、形状が変わっています。入力の形状を保ってください"
            "（`.squeeze()`、`.flatten()`、`.view(...)`、`.item()` は使いません）。"
        ),
        "loss_wrong_gradient": (
            "{inputs} のとき、値は合っていますが、y_prediction についての勾配が {expected} "
            "ではなく {got} になっています。"
        ),
    },
}


