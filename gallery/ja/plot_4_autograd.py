r"""
2 自動微分：勾配は PyTorch が計算してくれる
===========================================

これまでのレッスンでは、関数を小さな計算に分け、それぞれの局所微分を書き出し、
連鎖律に従って計算グラフに沿って掛け合わせることで、勾配を手で求めてきました。この方法は確実ですが、
パラメータが何千個もあるモデルでは手間がかかり、間違いも起きやすくなります。PyTorch・JAX・TensorFlow
などのディープラーニングフレームワークは、この計算を自動で行ってくれます。PyTorch
でその役目を担う仕組みが **autograd** （自動微分）です。

このレッスンでは、いちばん小さなモデルである「ニューロン 1 個」を作り、
自動微分がどのように働くのかを観察します。

**このレッスンで学ぶこと**

* ``requires_grad=True`` で、どのテンソルが学習するパラメータなのかを PyTorch に伝える方法
* **順伝播** の間に計算グラフが記録されること、そしてそれを ``grad_fn`` から読み取る方法
* ``.backward()`` が **逆伝播** を実行し、勾配を ``.grad`` に残すこと
* 自動微分の勾配が、手計算の勾配とも数値微分による近似とも一致すること
* ``.grad`` が *累積* される理由とそのリセット方法、そして ``.detach()`` の役割
* 浮動小数点数どうしを ``==`` ではなく許容誤差付きで比べるべき理由
"""

# %%
from gdguide.language import use_language

LANG = use_language("ja")

import math

import torch

# %%
# 自分の生い立ちを覚えているテンソル
# ----------------------------------
#
# ``requires_grad=True`` を付けて作ったテンソルは、学習するパラメータとして扱われます。PyTorch
# は後でこのテンソルについての損失の勾配を求める必要があるので、これ以降、
# このテンソルを使った演算をすべて記録します。そうした演算の結果には ``grad_fn`` が付きます。
# これは、そのテンソルを作った演算の逆伝播用の関数です。自分で直接作ったテンソルは計算グラフの
# **葉ノード** で、``grad_fn`` を持ちません。

a = torch.tensor([1.0], requires_grad=True)
b = torch.tensor([-1.0], requires_grad=True)
c = a + b

print(f"a: 葉ノード = {a.is_leaf}, grad_fn = {a.grad_fn}")
print(f"c: 葉ノード = {c.is_leaf}, requires_grad = {c.requires_grad}, grad_fn = {c.grad_fn.name()}")

# %%
# ``c`` は足し算で作られたので、``grad_fn`` は ``AddBackward0`` です。これは ``+`` の局所微分を
# 知っている小さなプログラムです。また、``requires_grad`` は *伝染* します。``a`` と ``b`` が勾配を
# 必要とするので ``c`` も勾配を必要とし、``c`` から計算されるものもすべて記録されていきます。
#
# .. note::
#
#    ``a + b`` を ``a * b`` や ``torch.sin(a)`` に書き換えて、もう一度セルを実行してみましょう。
#    演算に応じて ``grad_fn`` の名前が変わります（``MulBackward0``、``SinBackward0``）。
#
# ニューロン 1 個の順伝播
# ------------------------
#
# 今回のモデルは、重み :math:`w` とバイアス :math:`b` を持つニューロン 1 個です。入力 :math:`x`
# に対して予測 :math:`y_p` を出し、正解（目標値）:math:`y_t` との二乗誤差を損失とします。
# 損失は要素ごとに計算し、平均はとりません。
#
# .. math::
#
#    y_p = \tanh(w \cdot x + b), \qquad \mathrm{loss} = (y_t - y_p)^2
#
# 計算グラフとして書くと
# :math:`x \to (\times w) \to (+ b) \to \tanh \to (y_t - \cdot) \to (\cdot)^2 \to \mathrm{loss}`
# となります。ニューロンを学習させるために勾配降下法が必要とするのは
# :math:`\partial\,\mathrm{loss}/\partial w` と :math:`\partial\,\mathrm{loss}/\partial b`、
# つまりデータではなくパラメータについての勾配です。
#
# 演習：順伝播
# ------------
#
# ニューロンの予測を PyTorch の演算で書いてみましょう。``w`` と ``b`` は ``requires_grad=True``
# のテンソル、``x`` は入力のテンソルです。印の付いた行を書き換えてセルを実行すると、
# 下のチェックが正しくできているかどうかを教えてくれます。

from gdguide.exercises import check_neuron_forward, check_squared_loss


def neuron_forward_mine(w, b, x):
    """ニューロン 1 個の予測 tanh(w·x + b) を返す。"""
    # ---- ここにコードを書く：次の行を置き換えてください ----
    raise NotImplementedError("予測 tanh(w·x + b) を計算してください")


print(check_neuron_forward(neuron_forward_mine, lang=LANG))

# %%
# .. dropdown:: 解答例
#
#    .. code-block:: python
#
#       def neuron_forward_mine(w, b, x):
#           """ニューロン 1 個の予測 tanh(w·x + b) を返す。"""
#           return torch.tanh(w * x + b)
#
#    PyTorch の演算（``*``、``+``、``torch.tanh``）だけを使っているので、自動微分はすべての段階を
#    記録できます。``math.tanh`` はテンソルを受け付けないので、ここでは使えません。
#
# 演習：二乗誤差
# --------------
#
# 次は損失です。正解と予測の差の二乗を、要素ごとに計算してください（和も平均もとりません）。


def squared_loss_mine(y_true, y_prediction):
    """要素ごとの二乗誤差 (y_true - y_prediction)**2 を返す。"""
    # ---- ここにコードを書く：次の行を置き換えてください ----
    raise NotImplementedError("二乗誤差を計算してください")


print(check_squared_loss(squared_loss_mine, lang=LANG))

# %%
# .. dropdown:: 解答例
#
#    .. code-block:: python
#
#       def squared_loss_mine(y_true, y_prediction):
#           """要素ごとの二乗誤差 (y_true - y_prediction)**2 を返す。"""
#           return (y_true - y_prediction) ** 2
#
# このレッスンのニューロン
# ------------------------
#
# :class:`gdguide.neuron.SimpleNeuron` は ``w`` と ``b`` を ``requires_grad=True`` のテンソルとして
# 持ち、:func:`gdguide.neuron.squared_loss` は先ほど書いた損失と同じものです。初期値は
# :math:`w = -0.5`、:math:`b = 0.5` とし、入力 :math:`x = 1`、正解 :math:`y_t = 7` のデータを 1 つ
# 与えます。

from gdguide.neuron import SimpleNeuron, neuron_gradients, squared_loss

neuron = SimpleNeuron(-0.5, 0.5)
feature = torch.tensor([1])
target = torch.tensor([7])

prediction = neuron(feature)
loss = squared_loss(target, prediction)

print(f"w = {neuron.w.item()}, b = {neuron.b.item()}")
print(f"x = {feature.item()}, y_t = {target.item()}")
print(f"予測 = {prediction.item():.1f}, 損失 = {loss.item():.1f}")

# %%
# :math:`w \cdot x + b = -0.5 + 0.5 = 0` なので、予測は :math:`\tanh 0 = 0`、損失は
# :math:`(7 - 0)^2 = 49` です。予測は正解から大きく外れているので、学習の余地は十分にあります。
#
# 記録されたグラフを読む
# ----------------------
#
# ``grad_fn`` に表示されるのはテンソルを作った *最後の* 演算だけですが、PyTorch はそこから計算の履歴
# 全体をたどれるようにしています。逆伝播用の関数は、それぞれ一つ前の関数につながっているのです。

print(f"c = a + b  -> {c.grad_fn.name()}")
print(f"予測       -> {prediction.grad_fn.name()}")
print(f"損失       -> {loss.grad_fn.name()}")

# %%
# 予測は最後に ``tanh`` を通るので ``TanhBackward0``、損失は最後に二乗するので ``PowBackward0``
# （べき乗 ``** 2`` の演算）になっています。
#
# 逆伝播：``.backward()`` と ``.grad``
# ------------------------------------
#
# 損失に対して ``.backward()`` を呼ぶと、PyTorch
# は記録したグラフを損失から葉ノードへと逆向きにたどり、連鎖律のとおりに局所微分を掛け合わせます。
# そして :math:`\partial\,\mathrm{loss}/\partial w` を ``w.grad`` に、
# :math:`\partial\,\mathrm{loss}/\partial b` を ``b.grad`` に格納します。呼ぶ前の ``.grad`` は
# ``None`` です。

print(f"backward の前: w.grad = {neuron.w.grad}")
loss.backward()
print(f"backward の後: w.grad = {neuron.w.grad.item():.1f}, b.grad = {neuron.b.grad.item():.1f}")

# %%
# 勾配はどちらも負です。つまり :math:`w` や :math:`b` を大きくすると損失が下がるので、勾配降下法の
# 1 ステップはこれらを大きくする方向に動かします。
#
# 自動微分が記録したグラフ
# ------------------------
#
# :func:`gdguide.graph.autograd_graph` は ``loss.grad_fn`` とその先につながるものをすべてたどり、
# :func:`gdguide.graph.draw_graph` が見つけたものを図にします。``backward()`` を実行した後なので、
# 葉ノードの ``w`` と ``b`` には勾配も表示されます。

from gdguide.graph import autograd_graph, draw_graph

graph = autograd_graph(loss, names={"w": neuron.w, "b": neuron.b, "loss": loss})
fig = draw_graph(graph, lang=LANG, title="ニューロンの損失について自動微分が記録したグラフ")

# %%
# 左から右に読めば順伝播、右から左に読めば逆伝播です。``MulBackward0`` は :math:`w \cdot x`、
# ``AddBackward0`` は :math:`b` の足し算、``SubBackward0`` は :math:`y_t - y_p` にあたります。
# 入力 :math:`x` と正解 :math:`y_t` はグラフに *現れません*。どちらも ``requires_grad`` なしで
# 作ったので勾配が不要であり、PyTorch は何も記録しないのです。この図は実際に記録されたグラフから
# 描いているので、コードと食い違うことはありません。
#
# 同じ勾配を 3 通りで求める
# --------------------------
#
# 連鎖律を使うと、損失の勾配は次のようになります。
#
# .. math::
#
#    \frac{\partial\,\mathrm{loss}}{\partial w} = -2\,x\,(y_t - y_p)\,(1 - y_p^2), \qquad
#    \frac{\partial\,\mathrm{loss}}{\partial b} = -2\,(y_t - y_p)\,(1 - y_p^2)
#
# ここでは :math:`\frac{d}{dz}\tanh z = 1 - \tanh^2 z` を使いました。:math:`x = 1`、
# :math:`y_t = 7`、:math:`y_p = 0` を代入すると、どちらも :math:`-2 \cdot 7 \cdot 1 = -14` です。
#
# この式を計算するのが :func:`gdguide.neuron.neuron_gradients` です。さらに、独立した 3 つ目の
# 求め方として :func:`gdguide.gradcheck.numerical_gradient` を使います。これは各パラメータを
# ほんの少しだけ増やしたり減らしたりして、損失の変化を測る方法（中心差分）です。:math:`10^{-6}`
# というわずかなずれが丸め誤差に埋もれないよう、パラメータは倍精度（``.double()``、float64）にして
# 渡します。最後に :func:`gdguide.gradcheck.compare_gradients` で 3 つを 2 つずつ
# **許容誤差付きで** 比べます。

from gdguide.gradcheck import compare_gradients, numerical_gradient


def loss_at(w, b):
    """パラメータの関数として見た、この例の損失。"""
    return squared_loss(target, torch.tanh(w * feature + b))


hand = neuron_gradients(feature, target, prediction)
autograd = (neuron.w.grad, neuron.b.grad)
numerical = numerical_gradient(loss_at, neuron.w.detach().double(), neuron.b.detach().double())

print(f"手計算:   dloss/dw = {hand[0].item():.6f}, dloss/db = {hand[1].item():.6f}")
print(f"自動微分: dloss/dw = {autograd[0].item():.6f}, dloss/db = {autograd[1].item():.6f}")
print(f"数値微分: dloss/dw = {numerical[0].item():.6f}, dloss/db = {numerical[1].item():.6f}")
comparison = compare_gradients(hand, autograd, numerical, names=["w", "b"])
print(comparison.summary(LANG))

# %%
# 3 つとも一致しました。数値微分はあくまで近似で、結果はずらす幅によって少し変わります。比較に小さな
# 許容誤差を認めているのはそのためです。
#
# 勾配は累積される
# ----------------
#
# ``.backward()`` は ``.grad`` を *上書き* せず、**足し込み** ます。これは意図された仕様で、複数の
# 損失やミニバッチの勾配を合計するのに役立ちますが、誰もが一度は驚かされます。何もリセットせずに、
# 順伝播と逆伝播をもう一度実行してみましょう。

prediction = neuron(feature)
loss = squared_loss(target, prediction)
loss.backward()
print(f"2 回目の backward の後: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# パラメータは変わっていないのに、勾配は :math:`-14` から :math:`-28` へと 2 倍になりました。
# 新しい勾配が古い勾配に足されたからです。そのため、
# 学習の各ステップは勾配のリセットから始める必要があります。テンソル 1 つなら ``w.grad.zero_()``
# でその勾配をその場でゼロにできます（PyTorch では末尾の ``_`` がインプレース演算の印です）。
# ``neuron.zero_grad()`` はニューロンのすべてのパラメータについて同じことを行います。

neuron.w.grad.zero_()
print(f"w.grad.zero_() の後:     w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")
neuron.zero_grad()
print(f"neuron.zero_grad() の後: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# PyTorch のモジュールやオプティマイザにも同じ ``.zero_grad()`` メソッドがあり、
# 次のレッスンでは学習の各ステップの最初にこれを呼びます。（ただし既定ではゼロを書き込むのではなく
# ``.grad`` を ``None`` に戻し、メモリを節約します。次の ``backward()`` から見た効果は同じです。）
#
# ``.detach()``：グラフから切り離す
# ----------------------------------
#
# ``requires_grad`` は伝染するので、予測はまだグラフの一部です。図に描く（プロットする）ために NumPy
# 配列に変換する、ファイルに保存するなど、PyTorch の外へデータを渡す関数は、
# こうしたテンソルを受け付けません。``.detach()`` は、
# 同じ数値を持ちながらグラフから切り離されたテンソルを返します。

try:
    prediction.numpy()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

values = prediction.detach()
print(f"切り離した後: requires_grad = {values.requires_grad}, NumPy では {values.numpy()}")

# %%
# 上の手計算の勾配も同じやり方で求めています。``neuron_gradients``
# は入力を切り離してから計算するので、式を評価してもグラフには何も付け加わりません。
#
# 浮動小数点数の ``==`` が危うい理由
# ----------------------------------
#
# このレッスンの元になった教材では、``手計算 == 自動微分`` で勾配を照合していました。
# しかしコンピュータは浮動小数点数を決まった桁数の 2 進数で保存し、演算のたびに丸めます。そのため、
# どちらも正しい 2 つの計算が、最後の桁だけ食い違うことがあります。よく知られた例がこれです。

print(f"0.1 + 0.2 = {0.1 + 0.2:.17g}")
print(f"0.1 + 0.2 == 0.3: {0.1 + 0.2 == 0.3}")
print(f"math.isclose(0.1 + 0.2, 0.3): {math.isclose(0.1 + 0.2, 0.3)}")

# %%
# 勾配でも同じことが起こります。下の補助関数は新しいニューロンを作り、
# 自動微分と手計算の式の両方で勾配を求めます。レッスンの例と、
# バイアスの符号だけを変えた例（:math:`b = -0.5`）で試してみましょう。後者の入力は、
# 数百通りの値を試して、このページをビルドしたコンピュータで
# 2 つの結果が食い違ったものを選びました。


def hand_and_autograd(w, b):
    """新しいニューロンについて、手計算の式と自動微分による dloss/dw を返す。"""
    probe = SimpleNeuron(w, b)
    probe_prediction = probe(feature)
    squared_loss(target, probe_prediction).backward()
    hand_w, _ = neuron_gradients(feature, target, probe_prediction)
    return hand_w, probe.w.grad


for w_value, b_value in [(-0.5, 0.5), (-0.5, -0.5)]:
    hand_w, autograd_w = hand_and_autograd(w_value, b_value)
    print(f"w = {w_value}, b = {b_value}: "
          f"手計算 = {hand_w.item():.9f}, 自動微分 = {autograd_w.item():.9f}")
    print(f"    手計算 == 自動微分: {bool(hand_w == autograd_w)}, "
          f"torch.allclose: {torch.allclose(hand_w, autograd_w)}")

# %%
# :math:`b = 0.5` のときは途中の値がすべて正確に表せます（:math:`w \cdot x + b = 0` なので
# :math:`y_p = 0`、:math:`1 - y_p^2 = 1`）。``==`` がたまたま成り立つのはそのためで、
# 元の教材の照合が ``True`` を表示したのもこれが唯一の理由です。:math:`b = -0.5` では予測が
# :math:`\tanh(-1)` になり、この値は float32 では正確に表せません。しかも
# 2 つの計算は丸めるタイミングが違います。PyTorch の ``tanh`` の逆伝播関数は :math:`1 - y_p^2`
# をひとまとまりの演算として計算して丸めを 1 回で済ませますが、手計算の式はまず :math:`y_p^2`
# を丸めます。どのくらい離れているのか見てみましょう。

difference = (hand_w - autograd_w).abs().item()
float32_step = (torch.nextafter(autograd_w, torch.zeros(1)) - autograd_w).abs().item()
print(f"差 = {difference:.3g}")
print(f"この付近で隣り合う float32 の数の間隔 = {float32_step:.3g}")
print(f"つまり 2 つの値は float32 の目盛りで {difference / float32_step:.0f} つ分ずれています")

# %%
# どちらの結果も間違いではありません。どちらも本当の勾配を、少しだけ違う道筋で
# float32 に丸めたものです。別のコンピュータで実行して ``True`` が 2 回表示されたなら、
# そのプロセッサがたまたま同じように丸めただけです。だからこそ、
# テストがそうした偶然に頼ってはいけないのです。
#
# 浮動小数点数は許容誤差を付けて比べましょう。``torch.allclose(a, b)`` は
# :math:`|a - b| \le \mathrm{atol} + \mathrm{rtol} \cdot |b|` を満たせば一致とみなします（既定値は
# :math:`\mathrm{rtol} = 10^{-5}`、:math:`\mathrm{atol} = 10^{-8}`）。``torch.testing.assert_close``
# はデータ型に合った許容誤差を選び、2 つのテンソルが近く *ない* ときには、どこがどれだけ違うのかを
# 報告するエラーを出します。テストにはこちらが向いています。

torch.testing.assert_close(hand_w, autograd_w)
print("torch.testing.assert_close: 手計算の勾配と自動微分の勾配は一致しています")

# %%
# まとめ
# ------
#
# * ``requires_grad=True`` を付けたテンソルは学習するパラメータになり、それを使った演算はすべて記録
#   されます。結果には ``grad_fn``（``AddBackward0``、``TanhBackward0``、``PowBackward0`` など）が
#   付き、計算全体をさかのぼってたどれます。
# * ``loss.backward()`` はそのグラフで逆伝播を実行し、
#   :math:`\partial\,\mathrm{loss}/\partial\,\mathrm{parameter}` を各葉ノードの ``.grad``
#   に格納します。:math:`w = -0.5`、:math:`b = 0.5` のニューロンではどちらの勾配も :math:`-14` で、
#   連鎖律の手計算とも数値微分とも一致しました。
# * ``.grad`` は累積されます。新しい逆伝播の前には ``.grad.zero_()`` や ``.zero_grad()`` でリセット
#   しましょう。
# * ``.detach()`` を使うと、グラフから切り離した数値だけを取り出せます。図に描くときや保存する
#   ときに使います。
# * 浮動小数点数は ``math.isclose``、``torch.allclose``、``torch.testing.assert_close`` で比べ、
#   ``==`` は使わないようにしましょう。
#
# 次のレッスンでは、PyTorch の ``nn.Module`` とオプティマイザがパラメータを管理し、順伝播・
# ``backward()``・パラメータの更新が学習ループにまとまります。
