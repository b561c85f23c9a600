r"""
2 自動微分：勾配は PyTorch が計算してくれる
===========================================

これまでのレッスンでは、関数を小さな計算に分け、それぞれの局所微分を書き出し、
連鎖律に従って計算グラフに沿って掛け合わせることで、勾配を手で求めてきました。この方法は確実ですが、
パラメータが何千個もあるモデルでは手間がかかり、間違いも起きやすくなります。PyTorch・JAX・TensorFlow
などの深層学習フレームワークは、この計算を自動で行ってくれます。PyTorch
でその役目を担う仕組みが**自動微分**（autograd）です。

このレッスンでは、いちばん小さなモデルである「ニューロン 1 個」を自分で作り、
自動微分がどのように働くのかを観察します。

**このレッスンで学ぶこと**

* ``requires_grad=True`` で、どのテンソルが学習するパラメータなのかを PyTorch に伝える方法
* **順伝播**の間に計算グラフが記録されること、それを ``grad_fn`` から読み取る方法、
  そしてコードを実行するたびにグラフが変わりうる理由
* ``.backward()`` が**逆伝播**を実行して勾配を ``.grad`` に残すこと、
  出力が 1 つの数でないときに必要なもの
* 自動微分の勾配が手計算の勾配と一致すること
* ``.grad`` が*累積*される理由とそのリセット方法、グラフを 1 度しかさかのぼれない理由
* ``.detach()`` と ``torch.no_grad()`` の役割
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
# これは、そのテンソルを作った演算の逆伝播用の関数です。
# 自分で直接作ったテンソルは計算グラフの**葉ノード**で、``grad_fn`` を持ちません。

a = torch.tensor([1.0], requires_grad=True)
b = torch.tensor([-1.0], requires_grad=True)
c = a + b

print(f"a: 葉ノード = {a.is_leaf}, grad_fn = {a.grad_fn}")
print(f"c: 葉ノード = {c.is_leaf}, requires_grad = {c.requires_grad}, grad_fn = {c.grad_fn.name()}")

# %%
# ``c`` は足し算で作られたので、``grad_fn`` は ``AddBackward0`` です。これは ``+`` の局所微分を
# 知っている小さなプログラムです。また、``requires_grad`` は*伝染*します。``a`` と ``b``
# が勾配を必要とするので ``c`` も勾配を必要とし、``c``
# から計算されるものもすべて記録されていきます。
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
# に対して予測 :math:`y_p` を出し、目標値 :math:`y_t` との二乗誤差を損失とします。
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
# 演習 2.1：ニューロンをクラスとして書く
# --------------------------------------
#
# PyTorch のモデルは、ふつう小さなクラスとして書きます。``__init__`` がパラメータを作り、
# ``forward`` が入力から予測を計算します。下のクラスでは ``__init__`` はもう書いてあります。
# 初期値 ``w`` と ``b`` を ``requires_grad=True`` 付きの要素 1 個のテンソルにしているので、
# そこから計算されるものはすべて PyTorch が記録します。あなたが書くのは ``forward`` です。
# 入力のテンソル ``x`` に対する予測 :math:`\tanh(w \cdot x + b)` を、PyTorch
# の演算で計算して返してください。印の付いた行を書き換えてセルを実行すると、
# 下のチェックがクラスが合っているかどうかを教えてくれます。

from gdguide.exercises import check_neuron, check_squared_loss


class SimpleNeuron:
    """重み w とバイアス b を持つニューロン 1 個：予測 = tanh(w·x + b)。"""

    def __init__(self, w, b):
        # 学習する 2 つのパラメータ：自分に対する演算を記録する、要素 1 個のテンソル
        self.w = torch.tensor([w], requires_grad=True)
        self.b = torch.tensor([b], requires_grad=True)

    def forward(self, x):
        """入力のテンソル x に対する予測 tanh(w·x + b) を返す。"""
        # ---- ここにコードを書く：次の行を置き換えてください ----
        raise NotImplementedError("予測 tanh(w·x + b) を計算してください")


print(check_neuron(SimpleNeuron, lang=LANG))

# %%
# .. dropdown:: 解答
#
#    .. code-block:: python
#
#       class SimpleNeuron:
#           """重み w とバイアス b を持つニューロン 1 個：予測 = tanh(w·x + b)。"""
#
#           def __init__(self, w, b):
#               # 学習する 2 つのパラメータ：自分に対する演算を記録する、要素 1 個のテンソル
#               self.w = torch.tensor([w], requires_grad=True)
#               self.b = torch.tensor([b], requires_grad=True)
#
#           def forward(self, x):
#               """入力のテンソル x に対する予測 tanh(w·x + b) を返す。"""
#               return torch.tanh(self.w * x + self.b)
#
#    PyTorch の演算（``*``、``+``、``torch.tanh``）だけを使っているので、自動微分はすべての段階を
#    記録できます。``math.tanh`` はテンソルを受け付けないので、ここでは使えません。
#
# 演習 2.1（続き）：二乗誤差
# --------------------------
#
# 次は損失です。目標値と予測の差の二乗を、要素ごとに計算してください（和も平均もとりません）。


def squared_loss_mine(y_true, y_prediction):
    """要素ごとの二乗誤差 (y_true - y_prediction)**2 を返す。"""
    # ---- ここにコードを書く：次の行を置き換えてください ----
    raise NotImplementedError("二乗誤差を計算してください")


print(check_squared_loss(squared_loss_mine, lang=LANG))

# %%
# .. dropdown:: 解答
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
# ニューロンの初期値は :math:`w = -0.5`、:math:`b = 0.5` とし、入力 :math:`x = 1`、目標値
# :math:`y_t = 7` の例を 1 つ与えます。ここから先は、順伝播と損失を
# ``torch.tanh(neuron.w * feature + neuron.b)`` と ``(target - prediction) ** 2``
# のように省略せずに書きます。あなたの解答と同じ式なので、演習がまだ途中でも、
# この先のセルはすべて動きます。演習が合格したら、``neuron.forward(feature)`` と
# ``squared_loss_mine(target, prediction)`` もまったく同じテンソルを返します。

neuron = SimpleNeuron(-0.5, 0.5)
feature = torch.tensor([1.0])
target = torch.tensor([7.0])

prediction = torch.tanh(neuron.w * feature + neuron.b)
loss = (target - prediction) ** 2

print(f"w = {neuron.w.item()}, b = {neuron.b.item()}")
print(f"x = {feature.item()}, y_t = {target.item()}")
print(f"予測 = {prediction.item():.1f}, 損失 = {loss.item():.1f}")

# %%
# :math:`w \cdot x + b = -0.5 + 0.5 = 0` なので、予測は :math:`\tanh 0 = 0`、損失は
# :math:`(7 - 0)^2 = 49` です。
#
# ここで、目標値の 7 が :math:`\tanh` の値域の外にあることに注意してください。:math:`\tanh`
# がとる値は :math:`-1` と :math:`1` の間だけです。:math:`w` と :math:`b`
# をどう選んでも、このニューロンが 7 を予測することはないので、損失が 0 になることもありません。
# 損失はいつも :math:`(7 - 1)^2 = 36` より大きいままです。それでも学習は
# :math:`w \cdot x + b` を :math:`+\infty` に向かって押し上げ、:math:`\tanh` を少しずつ 1
# に近づけることで損失を下げていきます。ところが先へ進むほど :math:`\tanh` は平らになり
# （*飽和*し）、その傾き :math:`1 - y_p^2` は 0 に近づきます。それにつれて勾配も小さくなり、
# 学習はほとんど進まなくなります。これはこの例の性質で、自動微分のせいではありません。
# 実際のモデルでは、目標値の尺度をそろえたり、値域に上限のない出力を使ったりします。
#
# 記録されたグラフを読む
# ----------------------
#
# ``grad_fn`` に表示されるのは、テンソルを作った*最後の*演算だけです。

print(f"c = a + b  -> {c.grad_fn.name()}")
print(f"予測       -> {prediction.grad_fn.name()}")
print(f"損失       -> {loss.grad_fn.name()}")

# %%
# 予測は最後に ``tanh`` を通るので ``TanhBackward0``、損失は最後に二乗するので ``PowBackward0``
# （べき乗 ``** 2`` の演算）になっています。それでも PyTorch は ``grad_fn``
# を通じて計算の履歴全体を保っています。逆伝播用の関数はそれぞれ、入力側の逆伝播用の関数を
# ``next_functions`` に ``(関数, 番号)`` の組として持っていて、勾配の要らない入力は ``None``
# になっています。下の小さな関数は、勾配が必要な最初の入力をたどりながら、
# テンソルから葉ノードまでこの鎖をさかのぼり、名前を集めます。


def grad_fn_chain(tensor):
    """テンソルから葉ノードまでの逆伝播用の関数の名前（毎回、勾配が必要な最初の入力をたどる）。"""
    names = []
    node = tensor.grad_fn
    while node is not None:
        names.append(node.name())
        inputs = [function for function, _ in node.next_functions if function is not None]
        node = inputs[0] if inputs else None
    return names


print(" <- ".join(grad_fn_chain(loss)))

# %%
# 損失から逆向きに読みます。二乗（``PowBackward0``）、差 :math:`y_t - y_p`（``SubBackward0``）、
# ``tanh``、:math:`b` の足し算、:math:`w` の掛け算と続き、最後は ``AccumulateGrad``
# です。これは、葉ノード ``w`` の ``.grad`` に勾配を足し込む段階です。入力 :math:`x` と目標値
# :math:`y_t` はどこにも現れません。どちらも ``requires_grad`` なしで作ったので、PyTorch
# はそれらの勾配を必要としないのです。
#
# 実行のたびに新しいグラフ
# ------------------------
#
# PyTorch は、Python のコードが実行されている*最中に*、演算を 1 つずつ記録してグラフを作ります。
# つまりグラフは**動的**です。そのため順伝播の中にふつうの ``if`` 文やループを書くことができ、
# 記録されるのは実際にコードが通った道筋です。下の関数では、入力によって、ニューロンが ``tanh``
# を使うか :math:`w \cdot x + b` を二乗するかが決まります。


def forward_with_a_branch(x):
    """正の入力には tanh(w·x + b)、それ以外には (w·x + b)**2 を返す。"""
    z = neuron.w * x + neuron.b
    if x.item() > 0:
        return torch.tanh(z)
    return z**2


for x_value in (1.0, -1.0):
    output = forward_with_a_branch(torch.tensor([x_value]))
    print(f"x = {x_value:4}: " + " <- ".join(grad_fn_chain(output)))

# %%
# 入力が違えばグラフも違います。逆伝播はいつも実際に実行された演算をたどるので、
# 分岐やループがあっても特別な配慮は要りません。
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
# 損失について自動微分が記録したグラフを、:func:`gdguide.graph.autograd_graph` と
# :func:`gdguide.graph.draw_graph` で図にしてみましょう。``backward()`` を実行した後なので、
# 葉ノードの ``w`` と ``b`` には勾配も表示されます。

from gdguide.graph import autograd_graph, draw_graph

graph = autograd_graph(loss, names={"w": neuron.w, "b": neuron.b, "loss": loss})
fig = draw_graph(graph, lang=LANG, title="ニューロンの損失について自動微分が記録したグラフ")

# %%
# 左から右に読めば順伝播、右から左に読めば逆伝播です。``MulBackward0`` は :math:`w \cdot x`、
# ``AddBackward0`` は :math:`b` の足し算、``SubBackward0`` は :math:`y_t - y_p`
# にあたります。上でたどった鎖と同じ名前です。
#
# 自動微分の勾配を手計算と照らし合わせる
# --------------------------------------
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
# この式をコードで計算してみましょう。予測はグラフの一部なので、そこから計算したものも、
# まるでモデルの一部であるかのように記録されてしまいます。``.detach()`` は同じ数値を持つ、
# グラフの*外*のテンソルを返すので、手計算の勾配はただの数値になります。そのうえで、
# 自動微分の勾配と許容誤差付きで比べます。浮動小数点数はいつもこうして比べるものです
# （理由はこのレッスンの最後で説明します）。

y_p = prediction.detach()
dloss_dw_hand = -2 * feature * (target - y_p) * (1 - y_p**2)
dloss_db_hand = -2 * (target - y_p) * (1 - y_p**2)

print(f"手計算:   dloss/dw = {dloss_dw_hand.item():.6f}, dloss/db = {dloss_db_hand.item():.6f}")
print(f"自動微分: dloss/dw = {neuron.w.grad.item():.6f}, dloss/db = {neuron.b.grad.item():.6f}")
print(f"グラフに記録されたか: {dloss_dw_hand.requires_grad}")
print(f"torch.allclose: {torch.allclose(dloss_dw_hand, neuron.w.grad)}, "
      f"{torch.allclose(dloss_db_hand, neuron.b.grad)}")

torch.testing.assert_close(dloss_dw_hand, neuron.w.grad)
torch.testing.assert_close(dloss_db_hand, neuron.b.grad)

# %%
# ``torch.allclose(a, b)`` は :math:`|a - b| \le \mathrm{atol} + \mathrm{rtol} \cdot |b|`
# を満たせば一致とみなし（既定値は :math:`\mathrm{rtol} = 10^{-5}`、
# :math:`\mathrm{atol} = 10^{-8}`）、``True`` か ``False`` を返します。
# ``torch.testing.assert_close`` はデータ型に合った許容誤差を選び、2 つのテンソルが
# 近く*ない*ときには、どこがどれだけ違うのかを報告するエラーを出します。
# 何も起きなければ一致しているということなので、テストにはこちらが向いています。
#
# 3 つ目の意見は、微分の公式をまったく使わずに得られます。
# :func:`gdguide.gradcheck.numerical_gradient` は各パラメータをほんの少しだけ増やしたり
# 減らしたりして、損失の変化を測ります（中心差分による数値勾配）。わずかなずれが丸め誤差に
# 埋もれないよう、パラメータは倍精度（``.double()``、float64）にして渡します。

from gdguide.gradcheck import numerical_gradient


def loss_at(w, b):
    """パラメータの関数として見た、この例の損失。"""
    return (target - torch.tanh(w * feature + b)) ** 2


numerical_w, numerical_b = numerical_gradient(
    loss_at, neuron.w.detach().double(), neuron.b.detach().double()
)
print(f"数値勾配: dloss/dw = {numerical_w.item():.6f}, dloss/db = {numerical_b.item():.6f}")
print(f"自動微分に近いか: {torch.allclose(numerical_w.float(), neuron.w.grad, atol=1e-4)}, "
      f"{torch.allclose(numerical_b.float(), neuron.b.grad, atol=1e-4)}")

# %%
# 数値勾配はあくまで近似で、結果はずらす幅によって少し変わります。そのため、
# こちらにはゆるめの許容誤差 ``atol=1e-4`` を使いました。
#
# 勾配は累積される
# ----------------
#
# ``.backward()`` は ``.grad`` を*上書き*せず、**足し込み**ます。これは意図された仕様で、
# 複数の損失やミニバッチの勾配を合計するのに役立ちますが、誰もが一度は驚かされます。
# 何もリセットせずに、順伝播と逆伝播をもう一度実行してみましょう。

prediction = torch.tanh(neuron.w * feature + neuron.b)
loss = (target - prediction) ** 2
loss.backward()
print(f"2 回目の backward の後: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# パラメータは変わっていないのに、勾配は :math:`-14` から :math:`-28` へと 2 倍になりました。
# 新しい勾配が古い勾配に足されたからです。そのため、学習の各ステップは勾配のリセットから始める必要が
# あります。方法は 2 つあります。``w.grad.zero_()`` は勾配をその場でゼロで埋め（PyTorch
# では末尾の ``_`` がインプレース演算の印です）、``b.grad = None`` は勾配そのものを取り除くので、
# 次の ``backward()`` は最初からやり直しになります。

neuron.w.grad.zero_()
neuron.b.grad = None
print(f"w.grad.zero_() と b.grad = None の後: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad}")

prediction = torch.tanh(neuron.w * feature + neuron.b)
loss = (target - prediction) ** 2
loss.backward()
print(f"次の backward の後: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# どちらの方法でも、勾配は 1 回分に戻りました。PyTorch のモジュールやオプティマイザには、
# すべてのパラメータをまとめてリセットする ``.zero_grad()`` メソッドがあります（既定では
# ``None`` に戻し、メモリを節約します）。次のレッスンでは、学習の各ステップの最初にこれを呼びます。
#
# ``backward`` の後、グラフは解放される
# -------------------------------------
#
# 局所微分を計算するために、グラフは順伝播の値をいくつか保存しています（ここでは ``tanh``
# の傾きのための予測）。``backward()`` はそれらを使い終わるとすぐに解放するので、
# 同じグラフをもう一度さかのぼろうとすると失敗します。

try:
    loss.backward()
except RuntimeError as error:
    print(f"RuntimeError: {str(error).split('.')[0]}.")

# %%
# ふつうはこれで困りません。学習の各ステップでは順伝播を新しく実行し、
# 新しいグラフが記録されるからです。
# どうしても 1 つのグラフを 2 回さかのぼりたいときは、``retain_graph=True`` を付けて
# ``backward`` にグラフを残してもらいます（2 回分の勾配は、いつもどおり足し合わされます）。

neuron.w.grad = None
neuron.b.grad = None
prediction = torch.tanh(neuron.w * feature + neuron.b)
loss = (target - prediction) ** 2
loss.backward(retain_graph=True)
loss.backward()
print(f"1 つのグラフで逆伝播を 2 回: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# ``.backward()`` には 1 つの数が必要
# -----------------------------------
#
# この損失は要素ごとに計算するので、複数の例を一度に与えると、
# 例ごとの損失を並べた*ベクトル*になります。これに ``.backward()`` を呼んでみましょう。

neuron.w.grad = None
neuron.b.grad = None
features = torch.tensor([1.0, 2.0, 3.0])
targets = torch.tensor([7.0, 7.0, 7.0])
losses = (targets - torch.tanh(neuron.w * features + neuron.b)) ** 2
print(f"losses = {losses.detach()}")

try:
    losses.backward()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# %%
# 勾配は、小さくしたい 1 つの数に対して求めるものです。ベクトルの要素をどうまとめるかを PyTorch
# は推測しないので、自分で指定します。よく使う方法は、先にベクトルを 1 つの数にまとめることです。
# ``.mean()``（平均二乗誤差）か ``.sum()`` を使います。もう 1 つの方法は、出発点となる勾配を自分で
# 渡すことです。``gradient=torch.ones_like(losses)`` はすべての要素に重み 1 を与えるので、
# ``.sum()`` の勾配とちょうど同じになります。

losses.mean().backward()
grad_w_mean = neuron.w.grad.clone()
print(f"losses.mean().backward():                w.grad = {neuron.w.grad.item():.4f}, "
      f"b.grad = {neuron.b.grad.item():.4f}")

neuron.w.grad = None
neuron.b.grad = None
losses = (targets - torch.tanh(neuron.w * features + neuron.b)) ** 2
losses.backward(gradient=torch.ones_like(losses))
print(f"losses.backward(gradient=ones_like(...)): w.grad = {neuron.w.grad.item():.4f}, "
      f"b.grad = {neuron.b.grad.item():.4f}")
print(f"和は平均の {len(losses)} 倍: "
      f"{torch.allclose(neuron.w.grad, len(losses) * grad_w_mean)}")

# %%
# ``.detach()`` と ``torch.no_grad()``
# ------------------------------------
#
# どちらも計算をグラフの外に置くためのものですが、やり方が違います。
#
# ``.detach()`` は**1 つのテンソル**に対して働き、同じ数値を持つ、グラフから切り離された
# テンソルを返します。テンソルを PyTorch の記録の外へ出すとき、たとえば図に描いたり
# 保存したりするために NumPy 配列にするときや、上の手計算の勾配のように値を式に使うときに必要です。
# グラフにつながったままのテンソルは受け付けてもらえません。

try:
    prediction.numpy()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

print(f"prediction.detach().numpy() = {prediction.detach().numpy()}")

# %%
# ``with torch.no_grad():`` は**コードのまとまり**に対して働き、その中で計算したものは、
# パラメータから計算したものでも一切記録されません。結果は欲しいが勾配は要らないとき、
# たとえば学習済みのモデルを評価するとき（速く、グラフのためのメモリも使いません）に使います。
# パラメータそのものを書き換えるときにも使います。勾配降下法の更新 ``w -= learning_rate * w.grad``
# が次のグラフの一部になってはいけないので、オプティマイザはこの更新を ``torch.no_grad()``
# の中で行います。

with torch.no_grad():
    evaluated = torch.tanh(neuron.w * feature + neuron.b)
print(f"torch.no_grad() の中: requires_grad = {evaluated.requires_grad}, "
      f"grad_fn = {evaluated.grad_fn}")

# %%
# 浮動小数点数の ``==`` が危うい理由
# ----------------------------------
#
# 上では勾配を ``==`` ではなく ``torch.allclose`` で比べました。コンピュータは浮動小数点数を
# 決まった桁数の 2 進数で保存し、演算のたびに丸めます。そのため、どちらも正しい 2
# つの計算が、最後の桁だけ食い違うことがあります。

print(f"0.1 + 0.2 = {0.1 + 0.2:.17g}")
print(f"0.1 + 0.2 == 0.3: {0.1 + 0.2 == 0.3}")
print(f"math.isclose(0.1 + 0.2, 0.3): {math.isclose(0.1 + 0.2, 0.3)}")

# %%
# この例では、``==`` でもたまたまうまくいきます。:math:`w \cdot x + b = 0` なので途中の値が
# すべて正確に表せるからです（:math:`y_p = 0`、:math:`1 - y_p^2 = 1`）。ほかの値では運次第です。
#
# .. dropdown:: もう一歩：手計算と自動微分の勾配の最後の 1 ビット
#
#    バイアスの符号を変えて :math:`b = -0.5` にしてみます。すると :math:`y_p = \tanh(-1)`
#    となり、この値は float32 では正確に表せないので、どちらの計算も途中で丸められます。
#    手計算の式は :math:`y_p^2` を丸め、次に :math:`1 - y_p^2` を丸めて、そのつど float32
#    にします。PyTorch の ``tanh`` の逆伝播関数は :math:`1 - y_p^2`
#    をひとまとまりの演算として計算し、丸めを 1 回で済ませることがあります。そうなるかどうかは、
#    PyTorch のビルドのされ方と、実行するプロセッサによって決まります。そうなる環境では 2
#    つの勾配が最後の 1 ビットだけ食い違い、どちらも本当の勾配を少し違う道筋で丸めたものなのに、
#    ``==`` は ``False`` を返します。別の環境では、同じコードが ``True``
#    を表示します。次のセルで試してみましょう。何が表示されても、``torch.allclose`` と
#    ``torch.testing.assert_close`` の判定は一致します。比較を最後の 1
#    ビットに頼ってはいけないのはそのためです。

probe = SimpleNeuron(-0.5, -0.5)
probe_prediction = torch.tanh(probe.w * feature + probe.b)
((target - probe_prediction) ** 2).backward()
probe_y_p = probe_prediction.detach()
probe_hand_w = -2 * feature * (target - probe_y_p) * (1 - probe_y_p**2)

print(f"b = -0.5: 手計算 = {probe_hand_w.item():.9f}, 自動微分 = {probe.w.grad.item():.9f}")
print(f"    手計算 == 自動微分: {bool(probe_hand_w == probe.w.grad)}, "
      f"torch.allclose: {torch.allclose(probe_hand_w, probe.w.grad)}")
torch.testing.assert_close(probe_hand_w, probe.w.grad)

# %%
# まとめ
# ------
#
# * ``requires_grad=True`` を付けたテンソルは学習するパラメータになり、それを使った演算はすべて記録
#   されます。結果には ``grad_fn``（``AddBackward0``、``TanhBackward0``、``PowBackward0``
#   など）が付き、その ``next_functions`` から計算全体をさかのぼれます。
# * グラフはコードの実行中に記録されるので、``if`` 文やループがグラフの形を決めます。
# * ``loss.backward()`` は逆伝播を実行し、
#   :math:`\partial\,\mathrm{loss}/\partial\,\mathrm{parameter}` を各葉ノードの ``.grad``
#   に格納します。:math:`w = -0.5`、:math:`b = 0.5` のニューロンではどちらの勾配も
#   :math:`-14` で、連鎖律の手計算と一致しました。出力がベクトルなら、先に ``.mean()`` か
#   ``.sum()`` でまとめるか、``gradient=`` を渡します。
# * ``.grad`` は累積されます。新しい逆伝播の前には ``.grad.zero_()`` か ``.grad = None``
#   （モジュールやオプティマイザでは ``.zero_grad()``）でリセットしましょう。1
#   つのグラフをさかのぼれるのは、``retain_graph=True`` を付けない限り 1 回だけです。
# * ``.detach()`` は 1 つのテンソルをグラフから切り離し、``torch.no_grad()``
#   はまとまり全体で記録を止めます。
# * 浮動小数点数は ``math.isclose``、``torch.allclose``、``torch.testing.assert_close`` で比べ、
#   ``==`` は使わないようにしましょう。
#
# 次のレッスンでは、PyTorch の ``nn.Module`` とオプティマイザがパラメータを管理し、順伝播・
# ``backward()``・パラメータの更新が学習ループにまとまります。
