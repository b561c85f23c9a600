"""Every string gdguide shows a Japanese-speaking reader, by key.

The same keys with the same ``{placeholders}`` as :mod:`gdguide.catalogs.en`
(``tests/test_i18n.py`` checks it); :func:`gdguide.i18n.text` looks a key up and fills it in.
"""

from __future__ import annotations

CATALOG: dict[str, str] = {
    # ---- 図のラベル (gdguide.plots, gdguide.graph) ----
    "gradient_field_title": "勾配ベクトルは最も急な上り方向を指す",
    "x_axis": "x",
    "y_axis": "y",
    "h_colorbar": "z = h(x, y)",
    "descent_title": "等高線上の勾配降下法の軌跡",
    "w1_axis": "w₁",
    "w2_axis": "w₂",
    "lr_legend": "η = {lr}",
    "diverged_legend": "η = {lr}（ステップ{step}で発散）",
    "lr_verdict_title": "η = {lr}：{verdict}",
    "diverged_verdict_title": "η = {lr}：{verdict}（ステップ{step}で発散）",
    "verdict_too_small": "小さすぎる",
    "verdict_good": "ちょうどよい",
    "verdict_oscillating": "振動する",
    "verdict_diverging": "発散する",
    "path_legend": "道のり（1 ステップごとに点）",
    "start_point": "出発点",
    "minimum_point": "最小点",
    "node_value": "値",
    "node_grad": "勾配",
    "chain_rule_graph_title": "f(x, y, z) の計算グラフと各ノードの勾配 ∂f/∂ノード",
    "data_title": "学習データ",
    "inputs_axis": "x（入力）",
    "targets_axis": "y（目標値）",
    "targets_legend": "目標値",
    "prediction_legend": "モデルの予測",
    "fit_title": "学習後のモデルの当てはまり",
    "loss_title": "エポックごとの学習損失",
    "epoch_axis": "エポック",
    "mse_axis": "損失 (MSE)",
    "zoom_title": "最初の{n}エポック",
    "final_loss_legend": "最後のエポックの損失：{loss}",
    # ---- 演習のチェックの判定 (gdguide.exercises) ----
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
    # ---- 逆伝播の表 (gdguide.chain_rule.format_backward_table) ----
    "table_node": "ノード",
    "table_value": "値",
    "table_edge": "辺",
    "table_local_derivative": "局所微分",
    "table_upstream_gradient": "上流の勾配",
    "table_gradient": "勾配",
    # ---- 勾配の照合の要約 (gdguide.gradcheck.GradientComparison.summary) ----
    "method_hand": "手計算",
    "method_autograd": "自動微分",
    "method_numerical": "数値勾配",
    "gradcheck_title": "勾配の照合 (rtol = {rtol}, atol = {atol})",
    "gradcheck_pair": (
        "{left} と {right}: 最大絶対差 = {max_abs} ({name})、最大相対差 = {max_rel}  [{mark}]"
    ),
    "gradcheck_pair_ok": "一致",
    "gradcheck_pair_mismatch": "不一致",
    "gradcheck_passed": "合格: 3 つの勾配は許容誤差の範囲で一致しています。",
    "gradcheck_failed": "不合格: 許容誤差を超えて食い違う組があります。",
    # ---- 勾配降下法の結果 (gdguide.descent.Trajectory.message) ----
    "descent_diverged": (
        "発散しました: ステップ {step} で値が浮動小数点数の範囲を超えました"
        " (学習率 {lr} が大きすぎる可能性があります)。"
        "最後の有限な値は {n_steps} ステップ後の f = {value} です。"
    ),
    "descent_finished": (
        "学習率 {lr} で {n_steps} ステップ後: f = {value}、勾配のノルム = {norm}。"
    ),
    "descent_went_up": "値が下がらず上がりました。学習率が大きすぎる可能性があります。",
    # ---- explorer: learning_rate ----
    "lrx_slider": "学習率 η",
    "lrx_limit": (
        "目盛りの印が安定の限界 2/λₘₐₓ = {limit} です。これを超えると、w₂ 方向の一歩ごとの"
        "行き過ぎが前より大きくなっていきます。"
    ),
    "lrx_readout": (
        "η = {lr}：{verdict}。1 ステップごとに w₁ は {f1} 倍、w₂ は {f2} 倍になります。"
        "{n_steps} ステップ後の f は {value} です（出発点では {start}）。"
    ),
    "lrx_announce": "η = {lr}：{verdict}。{n_steps} ステップ後の f は {value} です。",
    "lrx_valuetext": "学習率 η = {lr}、{verdict}",
    "lrx_steps_axis": "ステップ",
    "lrx_value_axis": "各ステップの f(w)（対数目盛り）",
    "lrx_diverged": "経路はステップ {step} で図の外に出ます。",
    "lrx_map_label": "お椀の等高線の上を進む勾配降下法の経路",
    # ---- explorer: descent_basin ----
    "dbx_map": "h(x, y) = sin(x² + y²) の地図：出発点を選んでください",
    "dbx_help": (
        "地図をクリックすると、そこから出発します。キーボードでは地図を選び、矢印キーでカーソルを"
        "動かして（Shift を押すと 5 倍の幅）Enter キーを押してください。青い円は谷底（h = −1）、"
        "オレンジの破線の円は尾根（h = 1）です。"
    ),
    "dbx_readout": (
        "出発点 ({x0}, {y0}) から学習率 η = {lr} で {n_steps} ステップ：終点 ({x}, {y})、"
        "r = {r}、h = {h}。"
    ),
    "dbx_bowl": "原点のお椀（h = 0）にたどり着きました。",
    "dbx_trough": "r ≈ {radius} の谷底（h = −1）にたどり着きました。",
    "dbx_crest": (
        "r ≈ {radius} の尾根（h = 1）の上で止まりました。そこでは勾配が 0 になりますが、"
        "尾根は谷ではありません。"
    ),
    "dbx_moving": (
        "{n_steps} ステップたっても落ち着きません（勾配のノルム {norm}）。外側の谷底は断面が"
        "急に曲がっているので、η = {lr} では行き過ぎてしまい、経路は谷の壁から壁へと"
        "跳ね返り続けます。"
    ),
    "dbx_cursor": "カーソルは ({x}, {y}) にあります。Enter キーでそこから出発します。",
    # ---- explorer: training_replay ----
    "replay_slider": "エポック",
    "replay_readout": "エポック {epoch}、損失 {loss}",
    "replay_announce": "{total} エポック中 {epoch} エポック目: 損失は {loss} です。",
    "replay_note": (
        "スライダーは、学習中にモデルの曲線を記録した {count} 個のエポック（全 {total} "
        "エポック中）を順にたどります。はじめは毎エポック、後になるほど間隔を空けて記録しています。"
    ),
    "replay_fit_title": "データとそのエポックでのモデルの曲線",
    "replay_loss_title": "エポックごとの損失（両軸とも対数目盛り）",
    "replay_epoch_axis": "エポック（対数目盛り）",
    # ---- explorer: backward_pass ----
    "bp_title": "逆伝播を一歩ずつ",
    "bp_graph": "f(x, y, z) の計算グラフ（いまのステップのノードと辺を強調しています）",
    "bp_previous": "前へ",
    "bp_next": "次へ",
    "bp_step": "ステップ {k} / {n}",
    "bp_keys": "「次へ」「前へ」のボタンか矢印キーでステップを進めたり戻したりできます。",
    "bp_forward_input": "順伝播: 入力 {node} = {value} です。",
    "bp_forward_node": "順伝播: {label} = {value} です。",
    "bp_seed": "逆伝播: 出力の ∂f/∂f = {gradient} から始めます。",
    "bp_backward": (
        "逆伝播: 勾配 = 上流の勾配 × 局所微分、"
        "∂f/∂{node} = ∂f/∂{consumer} × {edge} = {upstream} × {local} = {gradient} です。"
    ),
    "bp_done": "三つの偏微分がそろいました: ∂f/∂x = {x}、∂f/∂y = {y}、∂f/∂z = {z} です。",
    "bp_announce": "ステップ {k} / {n}: {text}",
}
