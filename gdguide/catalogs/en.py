"""Every string gdguide shows an English-speaking reader, by key.

:mod:`gdguide.catalogs.ja` has the same keys with the same ``{placeholders}``
(``tests/test_i18n.py`` checks it); :func:`gdguide.i18n.text` looks a key up and fills it in.
Library code names keys only, so no language appears in it.
"""

from __future__ import annotations

CATALOG: dict[str, str] = {
    # ---- figure labels (gdguide.plots, gdguide.graph) ----
    # §1.1 gradient field
    "gradient_field_title": "gradient vectors point towards steepest ascent",
    "x_axis": "x",
    "y_axis": "y",
    "h_colorbar": "z = h(x, y)",
    # §1.2 gradient descent
    "descent_title": "gradient-descent paths on the contours",
    "w1_axis": "w₁",
    "w2_axis": "w₂",
    "lr_legend": "η = {lr}",
    "diverged_legend": "η = {lr} (diverged at step {step})",
    "lr_verdict_title": "η = {lr}: {verdict}",
    "diverged_verdict_title": "η = {lr}: {verdict} (diverged at step {step})",
    "verdict_too_small": "too small",
    "verdict_good": "good",
    "verdict_oscillating": "oscillating",
    "verdict_diverging": "diverging",
    "path_legend": "path (one dot per step)",
    "start_point": "start",
    "minimum_point": "minimum",
    # §1.3 / §2 computational graphs
    "node_value": "value",
    "node_grad": "grad",
    "chain_rule_graph_title": "computational graph of f(x, y, z) with gradients ∂f/∂node",
    # §3 data and training
    "data_title": "training data",
    "inputs_axis": "x (inputs)",
    "targets_axis": "y (targets)",
    "targets_legend": "targets",
    "prediction_legend": "model prediction",
    "fit_title": "model fit after training",
    "loss_title": "training loss per epoch",
    "epoch_axis": "epoch",
    "mse_axis": "loss (MSE)",
    "zoom_title": "the first {n} epochs",
    "final_loss_legend": "loss of the last epoch: {loss}",
    # ---- exercise verdicts (gdguide.exercises) ----
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
    # ---- the backward-pass table (gdguide.chain_rule.format_backward_table) ----
    "table_node": "node",
    "table_value": "value",
    "table_edge": "edge",
    "table_local_derivative": "local derivative",
    "table_upstream_gradient": "upstream gradient",
    "table_gradient": "gradient",
    # ---- the gradient-check summary (gdguide.gradcheck.GradientComparison.summary) ----
    "method_hand": "hand",
    "method_autograd": "autograd",
    "method_numerical": "numerical",
    "gradcheck_title": "Gradient check (rtol = {rtol}, atol = {atol})",
    "gradcheck_pair": (
        "{left} vs {right}: max |diff| = {max_abs} (in {name}), max rel. diff = {max_rel}  [{mark}]"
    ),
    "gradcheck_pair_ok": "ok",
    "gradcheck_pair_mismatch": "MISMATCH",
    "gradcheck_passed": "PASSED: all three gradients agree within the tolerances.",
    "gradcheck_failed": "FAILED: at least one pair differs by more than the tolerances.",
    # ---- the outcome of a gradient-descent run (gdguide.descent.Trajectory.message) ----
    "descent_diverged": (
        "Diverged: step {step} left the floating-point range (lr = {lr} is probably too "
        "large). The last finite value was f = {value} after {n_steps} step(s)."
    ),
    "descent_finished": (
        "After {n_steps} step(s) with lr = {lr}: f = {value}, gradient norm = {norm}."
    ),
    "descent_went_up": "The value went up, not down: lr is probably too large.",
    # ---- explorer: learning_rate ----
    "lrx_slider": "Learning rate η",
    "lrx_limit": (
        "The mark on the scale is the stable limit 2/λₘₐₓ = {limit}: above it, every step "
        "along w₂ overshoots further than the last."
    ),
    "lrx_readout": (
        "η = {lr}: {verdict}. Each step multiplies w₁ by {f1} and w₂ by {f2}. After {n_steps} "
        "steps f = {value} (at the start {start})."
    ),
    "lrx_announce": "η = {lr}: {verdict}; after {n_steps} steps f = {value}.",
    "lrx_valuetext": "learning rate η = {lr}, {verdict}",
    "lrx_steps_axis": "step",
    "lrx_value_axis": "f(w) per step (log scale)",
    "lrx_diverged": "The path leaves the panel at step {step}.",
    "lrx_map_label": "the gradient-descent path on the contours of the bowl",
    # ---- explorer: descent_basin ----
    "dbx_map": "map of h(x, y) = sin(x² + y²): choose a start point",
    "dbx_help": (
        "Click the map to start there, or focus the map, move the cursor with the arrow keys "
        "(with Shift, five times as far) and press Enter. Blue rings: troughs (h = −1); dashed "
        "orange rings: crests (h = 1)."
    ),
    "dbx_readout": (
        "From ({x0}, {y0}), {n_steps} steps with η = {lr}: end ({x}, {y}), r = {r}, h = {h}."
    ),
    "dbx_bowl": "It reached the bowl at the origin (h = 0).",
    "dbx_trough": "It reached the trough at r ≈ {radius} (h = −1).",
    "dbx_crest": (
        "It stopped on the crest at r ≈ {radius} (h = 1): the gradient vanishes there, but a "
        "crest is a ridge, not a valley."
    ),
    "dbx_moving": (
        "It has not settled after {n_steps} steps (gradient norm {norm}): the outer troughs "
        "curve so sharply that η = {lr} overshoots, and the path keeps bouncing from wall to wall."
    ),
    "dbx_cursor": "Cursor at ({x}, {y}); press Enter to start there.",
    # ---- explorer: training_replay ----
    "replay_slider": "Epoch",
    "replay_readout": "epoch {epoch}, loss {loss}",
    "replay_announce": "Epoch {epoch} of {total}: the loss is {loss}.",
    "replay_note": (
        "The slider steps through the {count} epochs (of {total}) at which the training run "
        "recorded the model's curve: every epoch at first, then more and more sparsely."
    ),
    "replay_fit_title": "Data and the model's curve at that epoch",
    "replay_loss_title": "Loss per epoch (both axes logarithmic)",
    "replay_epoch_axis": "epoch (log scale)",
    # ---- explorer: backward_pass ----
    "bp_title": "The backward pass, step by step",
    "bp_graph": (
        "Computational graph of f(x, y, z): the node and edge of the current step are highlighted"
    ),
    "bp_previous": "Previous",
    "bp_next": "Next",
    "bp_step": "Step {k} of {n}",
    "bp_keys": "Next and Previous, or the arrow keys, move through the steps.",
    "bp_forward_input": "Forward pass: the input {node} = {value}.",
    "bp_forward_node": "Forward pass: {label} = {value}.",
    "bp_seed": "Backward pass: it starts at the output with ∂f/∂f = {gradient}.",
    "bp_backward": (
        "Backward pass: gradient = upstream gradient × local derivative, "
        "∂f/∂{node} = ∂f/∂{consumer} × {edge} = {upstream} × {local} = {gradient}."
    ),
    "bp_done": "The three partial derivatives: ∂f/∂x = {x}, ∂f/∂y = {y}, ∂f/∂z = {z}.",
    "bp_announce": "Step {k} of {n}: {text}",
}
