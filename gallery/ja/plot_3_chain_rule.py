r"""
1.3 計算グラフと逆伝播
======================

前のレッスンの演習は、一度に微分するのが厄介な次の関数で終わりました。

.. math::

   f(x, y, z) = \tanh\left( \ln\left[ 1 + z \, \frac{2x}{\sin(y)} \right] \right)

このレッスンでは、この関数を分解します。
小さな段階に切り分けると、:math:`f` は**計算グラフ**になります。
グラフを前向きにたどれば :math:`f` の値が求まり、連鎖律を使って後ろ向きにたどれば、
3 つの偏微分が一度にすべて求まります。これが**逆伝播**（誤差逆伝播法）で、
あらゆる深層学習フレームワークの中心にあるアルゴリズムです。
このレッスンでは、それを自分の手で書きます。

**このページで学ぶこと**

* 式を中間変数に分け、それをグラフとして描く方法
* 順伝播：中間の値をすべて計算して保存すること
* グラフの各辺の局所微分と、それが簡単に求まる理由
* 逆伝播：出力から入力へ向かって局所微分を掛け合わせていくこと
* 逆伝播の結果を、自動微分や有限差分と照合する方法
* 2 つの道が合流するところで勾配が足し合わされる理由と、PyTorch の ``.grad`` が加算されていく理由
* :math:`f` が定義されていない点で何が起こるか
"""

import math

from gdguide.language import use_language

LANG = use_language("ja")

# %%
# 中間変数
# --------
#
# :math:`f` を内側から順に読み、各段階に名前を付けます。
#
# .. math::
#
#    \begin{aligned}
#    a &= 2x, & b &= \sin(y), & c &= \frac{a}{b}, \\
#    d &= c \, z, & e &= \ln(d + 1), & f &= \tanh(e).
#    \end{aligned}
#
# どの行も、入力が 1 つか 2 つの簡単な演算です。グラフとして描くと、入力 :math:`x, y, z`
# が左に並び、矢印が中間のノードを通って :math:`f` へ向かいます。
# 矢印は :math:`x \to a`、:math:`y \to b`、:math:`a, b \to c`、:math:`c, z \to d`、そして
# :math:`d \to e \to f` です。
#
# 順伝播
# ------
#
# 入力から矢印に沿って進むと、すでに分かっている値だけを使って、ノードを順番に計算できます。
# これが**順伝播**です。コードにすると、1 ノードにつき 1 行です。
# 下の関数は、すべての値を辞書にして返します。逆伝播でそのすべてが必要になるからです。


def forward(x, y, z):
    """f の順伝播を実行し、すべてのノードの値を返します。"""
    a = 2 * x
    b = math.sin(y)
    c = a / b
    d = c * z
    e = math.log(d + 1)
    f = math.tanh(e)
    return {"x": x, "y": y, "z": z, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


# %%
# ここでは点 :math:`x = 1`、:math:`y = 0.5`、:math:`z = 0.5` を選びます
# （:math:`\sin y \neq 0` かつ :math:`1 + d > 0` を満たす点なら、どこでも構いません）。
# 順伝播を実行し、最後のノードを、式をそのまま計算する :func:`gdguide.functions.f` の値と比べます。

from gdguide.functions import f

x, y, z = 1.0, 0.5, 0.5
v = forward(x, y, z)
for name, value in v.items():
    print(f"{name} = {value:.6f}")
print(f"式から直接計算した f(x, y, z): {f(x, y, z):.6f}")
print(f"同じ値か（相対許容誤差 1e-12）: {math.isclose(v['f'], f(x, y, z), rel_tol=1e-12)}")

# %%
# 最後のノードは :math:`f` そのものです。辞書 ``v`` には中間の値がすべて入っています。
# ここから先の計算は、すべてこの辞書から行います。
#
# 局所微分
# --------
#
# グラフの矢印はどれも、小さな演算の入力とその出力を結んでいます。その入力についての出力の微分を、
# その辺の**局所微分**と呼びます。どれも高校の微分で 1 行で書けます。
#
# .. math::
#
#    \begin{aligned}
#    \frac{\partial f}{\partial e} &= 1 - \tanh^2(e), &
#    \frac{\partial e}{\partial d} &= \frac{1}{d + 1}, &
#    \frac{\partial d}{\partial c} &= z, &
#    \frac{\partial d}{\partial z} &= c, \\
#    \frac{\partial c}{\partial a} &= \frac{1}{b}, &
#    \frac{\partial c}{\partial b} &= -\frac{a}{b^2}, &
#    \frac{\partial a}{\partial x} &= 2, &
#    \frac{\partial b}{\partial y} &= \cos(y).
#    \end{aligned}
#
# どの局所微分も、ノードの値 :math:`a, \dots, e` と入力だけで書けていることに注目してください。
# つまり、順伝播ですでに保存した数値だけで計算できます。大きな式に展開し直す必要はありません。
# 選んだ点での値を、``v`` から計算してみます。

local = {
    "∂f/∂e": 1 - math.tanh(v["e"]) ** 2,
    "∂e/∂d": 1 / (v["d"] + 1),
    "∂d/∂c": v["z"],
    "∂d/∂z": v["c"],
    "∂c/∂a": 1 / v["b"],
    "∂c/∂b": -v["a"] / v["b"] ** 2,
    "∂a/∂x": 2.0,
    "∂b/∂y": math.cos(v["y"]),
}
for edge, derivative in local.items():
    print(f"{edge} = {derivative:+.6f}")

# %%
# 逆伝播
# ------
#
# 今度は矢印と逆向きにグラフをたどります。出力の :math:`\partial f/\partial f = 1` から出発します。
# 各ノードの勾配 :math:`\partial f / \partial \text{node}` は、そのノードが値を渡す先のノードから
# 届く勾配（**上流の勾配**）に、その間の辺の局所微分を掛けたものです。
# このグラフでは、:math:`f` 以外のどのノードも、値を渡す先の演算がちょうど 1 つです
# （たとえば :math:`d` が値を渡すのは :math:`e` だけです）。
# そのため、各ノードの勾配は掛け算 1 回で求まります。
# 逆向きに見ると、グラフは枝分かれしています。:math:`d` には :math:`c` と :math:`z` の
# 2 つの入力があるので、:math:`\partial f/\partial d` は両方に渡されます。同じように :math:`c` は
# :math:`\partial f/\partial c` を :math:`a` と :math:`b` に渡します。
# :math:`f` から :math:`x` まで、そして :math:`z` までの道に沿って掛け合わせると、
# 次のようになります。
#
# .. math::
#
#    \frac{\partial f}{\partial x}
#    = \frac{\partial f}{\partial e} \frac{\partial e}{\partial d} \frac{\partial d}{\partial c}
#    \frac{\partial c}{\partial a} \frac{\partial a}{\partial x}
#    = \left(1 - \tanh^2 e\right) \cdot \frac{1}{d + 1} \cdot z \cdot \frac{1}{b} \cdot 2
#
# .. math::
#
#    \frac{\partial f}{\partial z}
#    = \frac{\partial f}{\partial e} \frac{\partial e}{\partial d} \frac{\partial d}{\partial z}
#    = \left(1 - \tanh^2 e\right) \cdot \frac{1}{d + 1} \cdot c
#
# 演習 1.3：連鎖律で ∂f/∂y を求める
# ----------------------------------
#
# :math:`f` から :math:`y` まで矢印を逆にたどり、:math:`\partial f/\partial y` を
# 局所微分の積として書き、さらに中間変数で表してください。それができたらコードにします。
# ``df_dy_mine(v)`` は ``forward`` が返す保存済みの値の辞書を受け取り、
# :math:`\partial f/\partial y` を数として返す関数です。
# 順伝播をやり直す必要はなく、``v`` と ``math`` モジュールだけで書けます。
# :func:`gdguide.exercises.check_df_dy` は、いくつかの点であなたの関数を PyTorch の自動微分と比べ、
# 結果を表示します。
# 今はまだ関数の中身が書かれていないので、チェックはそのことを知らせます。

from gdguide.exercises import check_df_dy


def df_dy_mine(v):
    """保存した順伝播の値 v（キーは "x", "y", "z", "a", ..., "f"）から df/dy を返します。"""
    # ---- ここにコードを書きます：次の行を置き換えてください ----
    raise NotImplementedError("f から y へさかのぼる道の局所微分を掛け合わせてください")


print(check_df_dy(df_dy_mine, lang=LANG))

# %%
# .. dropdown:: 解答
#
#    :math:`f` から :math:`y` へさかのぼる道は :math:`e`、:math:`d`、:math:`c`、:math:`b`
#    を通るので、連鎖律では 5 つの局所微分を掛け合わせます。
#
#    .. math::
#
#       \frac{\partial f}{\partial y}
#       = \frac{\partial f}{\partial e} \frac{\partial e}{\partial d}
#       \frac{\partial d}{\partial c} \frac{\partial c}{\partial b} \frac{\partial b}{\partial y}
#       = \left(1 - \tanh^2 e\right) \cdot \frac{1}{d + 1} \cdot z \cdot
#       \left(-\frac{a}{b^2}\right) \cdot \cos(y)
#
#    :math:`\partial f/\partial x` と比べると、最初の 3 つの因子が共通です。
#    この 3 つの積が上流の勾配 :math:`\partial f/\partial c` で、
#    逆伝播ではこれを一度だけ計算して、両方に使います。
#
#    .. code-block:: python
#
#       import math
#
#
#       def df_dy_mine(v):
#           """保存した順伝播の値 v（キーは "x", "y", "z", "a", ..., "f"）から df/dy を返します。"""
#           df_dc = (1 - math.tanh(v["e"]) ** 2) * (1 / (v["d"] + 1)) * v["z"]  # df/dx と共通
#           return df_dc * (-v["a"] / v["b"] ** 2) * math.cos(v["y"])
#
#    上のセルに貼り付けてもう一度チェックを実行すると、合格します。
#
# 演習 1.3（続き）：逆伝播を書く
# ------------------------------
#
# 今度は、深層学習フレームワークと同じやり方で 3 つの偏微分をすべて求めます。
# 出力から入力へ向かって 1 ノードにつき 1 つずつ勾配を計算し、そのどれもが、
# すでに求めた上流の勾配に、上の一覧の局所微分を 1 つ掛けたものです。
# :math:`\partial f/\partial f = 1` から出発し、次の順に進みます。
#
# 1. :math:`\partial f/\partial e`、次に :math:`\partial f/\partial d`
# 2. :math:`d` から分かれる 2 本の枝：:math:`\partial f/\partial c` と
#    :math:`\partial f/\partial z`
# 3. :math:`c` から分かれる 2 本の枝：:math:`\partial f/\partial a` と
#    :math:`\partial f/\partial b`
# 4. 入力：:math:`\partial f/\partial x` と :math:`\partial f/\partial y`
#
# ``backward_mine(v)`` は保存した値を受け取り、タプル ``(df_dx, df_dy, df_dz)`` を返します。
# 1 ノード 1 行で、10 行ほどです。:func:`gdguide.exercises.check_backward_pass` が
# いくつかの点であなたの関数を実行し、3 つの数を PyTorch の自動微分と比べます。

from gdguide.exercises import check_backward_pass


def backward_mine(v):
    """保存した順伝播の値 v から (df/dx, df/dy, df/dz) を返します。"""
    # ---- ここにコードを書きます：df_df = 1.0 から始め、1 ノード 1 行で書いて返します ----
    raise NotImplementedError("df/df = 1 から始めて、グラフを逆向きにたどってください")


print(check_backward_pass(backward_mine, lang=LANG))

# %%
# .. dropdown:: 解答
#
#    どの行も、上にあるノードの勾配に、1 本の辺の局所微分を掛けています。
#    :math:`\partial f/\partial d` と :math:`\partial f/\partial c` は、それぞれ一度だけ計算して
#    2 回使います。
#
#    .. code-block:: python
#
#       import math
#
#
#       def backward_mine(v):
#           """保存した順伝播の値 v から (df/dx, df/dy, df/dz) を返します。"""
#           df_df = 1.0
#           df_de = df_df * (1 - math.tanh(v["e"]) ** 2)  # f = tanh(e)
#           df_dd = df_de * (1 / (v["d"] + 1))  # e = ln(d + 1)
#           df_dc = df_dd * v["z"]  # d = c * z の c への枝
#           df_dz = df_dd * v["c"]  # d = c * z の z への枝
#           df_da = df_dc * (1 / v["b"])  # c = a / b の a への枝
#           df_db = df_dc * (-v["a"] / v["b"] ** 2)  # c = a / b の b への枝
#           df_dx = df_da * 2  # a = 2x
#           df_dy = df_db * math.cos(v["y"])  # b = sin(y)
#           return df_dx, df_dy, df_dz
#
#    :math:`f = \tanh e` も保存されているので、最初の因子は ``1 - v["f"] ** 2``
#    と書くこともできます。
#
# いま計算したものを表で見る
# --------------------------
#
# :func:`gdguide.chain_rule.backward_table` は同じグラフを 1 ノードずつ逆向きにたどり、
# :class:`gdguide.chain_rule.BackwardTable` がその道のりを表にします。各行には、ノード、
# 順伝播で求めたその値、値を渡す先のノードへの辺、その辺の局所微分、上流の勾配、そしてそれらの積
# （勾配）が並びます。``backward_mine`` の 1 行が、表の 1 行にあたります。

from gdguide.chain_rule import BackwardTable, backward_table

rows = backward_table(x, y, z)
BackwardTable(rows, lang=LANG)

# %%
# 表は上から下へ読みます。どの行の「上流の勾配」も、それより上の行の「勾配」なので、
# 各行で必要なのは掛け算 1 回だけです。行の順番は演習で示した順と少し違いますが、
# 各ノードが、値を渡す先のノードより後に来てさえいれば、どの順でも構いません。
# 勾配 :math:`\partial f/\partial d` は一度だけ計算され、:math:`c` への枝（さらに :math:`a, b, x, y`
# へ続きます）と :math:`z` への枝の 2 か所で使われます。この共有こそが、逆伝播が安上がりな理由です。
# 一般に、入力がいくつあっても、逆伝播の手間は順伝播 1 回分の数倍程度で済みます。
# 求めたかった 3 つの数 :math:`\partial f/\partial z`、:math:`\partial f/\partial y`、
# :math:`\partial f/\partial x` は、表の最後の 3 行にあります。
#
# 一歩ずつたどる
# --------------
#
# 下のインタラクティブ図では、順伝播と、上の表の逆伝播を、グラフの上で 1 ステップずつ再生できます。
# **次へ**（または右矢印キー）で進み、**前へ**（または左矢印キー）で戻ります。逆伝播のステップでは、
# その行の辺が強調され、上流の勾配と局所微分の掛け算が表と同じ数値で書き出されます。最後のステップで
# 3 つの偏微分がそろいます。

from gdguide.explorers import BackwardPassExplorer

BackwardPassExplorer(x, y, z, lang=LANG)

# %%
# グラフを描く
# ------------
#
# :func:`gdguide.graph.chain_rule_graph` は同じグラフをデータとして組み立て、
# :func:`gdguide.graph.draw_graph` がそれを描きます。各ノードには順伝播で求めた値と、逆伝播で求めた
# 勾配 :math:`\partial f/\partial \text{node}` が、各辺には局所微分が書かれています。

from gdguide.graph import chain_rule_graph, draw_graph

graph = chain_rule_graph(x, y, z, lang=LANG)
fig = draw_graph(graph, lang=LANG)

# %%
# どの矢印でもよいので逆向きにたどり、図の数値で規則を確かめてみてください。
# 矢印の根元のノードの勾配は、矢印の先のノードの勾配に、
# 矢印に書かれた局所微分を掛けたものになっています。
# 出力の勾配は 1 で、入力 :math:`x, y, z` の勾配が :math:`f` の偏微分です。
#
# 逆伝播を確かめる
# ----------------
#
# 手計算で導いた勾配は、確かめてはじめて信用できます。下のセルでは、表の最後の 3 行から
# 勾配を取り出し、PyTorch の自動微分（:func:`gdguide.gradcheck.autograd_gradient`）と
# 中心差分（:func:`gdguide.gradcheck.numerical_gradient`）の結果と比べます。一致するかどうかは
# :func:`gdguide.gradcheck.compare_gradients` が許容誤差を設けて判定します。
# 自分の関数を同じように確かめるには、``hand = list(backward_mine(v))`` としてください。

from gdguide.gradcheck import autograd_gradient, compare_gradients, numerical_gradient

gradient = {row.node: row.gradient for row in rows}
hand = [gradient["x"], gradient["y"], gradient["z"]]
autograd = autograd_gradient(f, x, y, z)
numerical = numerical_gradient(f, x, y, z)
for name, by_hand, by_autograd, by_difference in zip("xyz", hand, autograd, numerical, strict=True):
    print(
        f"∂f/∂{name}：逆伝播 {by_hand:+.12f}、自動微分 {float(by_autograd):+.12f}、"
        f"中心差分 {by_difference:+.12f}"
    )
comparison = compare_gradients(hand, autograd, numerical, names=["x", "y", "z"])
print(
    f"逆伝播・自動微分・中心差分が一致するか"
    f"（rtol = {comparison.rtol:g}、atol = {comparison.atol:g}）: {comparison.passed}"
)

# %%
# 自動微分は、逆伝播の結果と浮動小数点数の最後の桁のあたりまで一致します。
# 近似である中心差分のほうは、およそ 10 桁一致します。どちらも許容誤差の範囲に十分収まっています。
#
# 定義域の外では
# --------------
#
# :math:`f` はどこででも定義されているわけではありません。:math:`c = a/b` には
# :math:`\sin y \neq 0` が必要で、対数には :math:`1 + d > 0` が必要です。不注意な実装はこれに
# 気づきません。浮動小数点数では :math:`\sin(\pi)` はちょうど 0 ではなく :math:`10^{-16}` 程度
# なので、式はそれで黙って割り算をし、何の意味もない数を返してしまいます。

naive = math.tanh(math.log(1 + z * 2 * x / math.sin(math.pi)))
print(f"sin(pi) = {math.sin(math.pi):.3g}、素朴に計算した f(1, pi, 0.5) = {naive}")

# %%
# :func:`gdguide.functions.f`（と :mod:`gdguide.chain_rule` のすべての関数）は、先に定義域を確かめ、
# 代わりに分かりやすい :class:`ValueError` を送出します。メッセージ（英語）には、問題のある引数と
# その値が示されます。黙って間違った数を返すことは、勾配の計算で起こりうる最悪のバグだからです。

bad_points = [(1.0, math.pi, 0.5), (1.0, 0.5, -0.5)]
for bad_point in bad_points:
    try:
        f(*bad_point)
    except ValueError as error:
        print(f"f{bad_point} -> ValueError: {error}")

# %%
# 2 つの道が合流するところ：勾配は足し合わされる
# ----------------------------------------------
#
# :math:`f` のグラフでは、2 つの演算に使われる値はありませんでした。しかし、ふつうのプログラムには
# そういう値があり、そこでは道が合流します。次の小さなグラフを見てみましょう。
#
# .. math::
#
#    g = x \, y + x
#
# ここでは :math:`x` が 2 つの演算、積 :math:`x y` と最後の和の両方に使われています。そのため
# :math:`g` から :math:`x` へさかのぼる道は 2 本あります。積を通る道（局所微分は :math:`y`）と、
# 和から直接来る道（局所微分は :math:`1`）です。連鎖律では、それぞれの道の寄与を足し合わせます。
#
# .. math::
#
#    \frac{\partial g}{\partial x} = y + 1, \qquad \frac{\partial g}{\partial y} = x
#
# PyTorch でも同じ結果になります。:math:`x` と :math:`y` を ``requires_grad=True`` のテンソルにして
# :math:`g` を計算し、``g.backward()`` を呼ぶと、勾配が ``x.grad`` と ``y.grad`` に入ります。

import torch

x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(0.5, requires_grad=True)
g = x * y + x
g.backward()
dg_dx_by_hand = y.item() + 1
print(f"x.grad = {x.grad.item():.6f}、手計算の y + 1 = {dg_dx_by_hand:.6f}")
print(f"y.grad = {y.grad.item():.6f}、手計算の x = {x.item():.6f}")
agree = math.isclose(x.grad.item(), dg_dx_by_hand, rel_tol=1e-6)
print(f"x.grad と y + 1 が一致するか（相対許容誤差 1e-6）: {agree}")

# %%
# 自動微分はグラフを逆向きにたどりながら、2 本の道（積を通る道からの :math:`y` と、
# 和からの :math:`1`）で :math:`x` に届いた寄与を合計し、その合計を ``x.grad`` に足し込みます。
# つまり ``x.grad`` を上書きせず、``x.grad += ...`` とします
# （最初の 1 回は ``x.grad`` がまだ ``None`` なので、合計をそのまま入れます）。
# 勾配が合流するところでは足し算をする、というのが決まりで、これは 1 回の呼び出しで終わりません。
# もう一度順伝播と逆伝播を行うと、その勾配が 1 回目の勾配の上にさらに足されます。

g = x * y + x  # 新しい順伝播で、新しいグラフができます
g.backward()
print(f"2 回目の backward の後の x.grad = {x.grad.item():.6f}")
print(f"2 * (y + 1) = {2 * dg_dx_by_hand:.6f}")

# %%
# ``x.grad`` には勾配の 2 倍が入りました。勾配を合計したいときにはこれが役に立ちますが、
# 学習ループでは各ステップで 1 つの損失の勾配だけが必要なので、逆伝播の前に毎回 ``.grad``
# をリセットしなければなりません。その方法は次のレッスンで見ていきます。
#
# まとめ
# ------
#
# * 複雑な関数も、各段階に名前を付ければ**計算グラフ**になります
#   （:math:`a = 2x, b = \sin y, \dots, f = \tanh e`）。
# * **順伝播**では、入力側から順にすべてのノードの値を計算して保存します。
# * 各辺には**局所微分**があり、簡単に書けて、保存した値から計算できます。
# * **逆伝播**は :math:`\partial f/\partial f = 1` から出発し、出力側から順に上流の勾配に局所微分を
#   掛けていきます。あなたはそれを 10 行ほどで書きました。:math:`\partial f/\partial c` のような
#   共通の部分は一度しか計算しないので、安上がりです。
# * :math:`\partial f/\partial y = (1 - \tanh^2 e) \cdot \frac{1}{d+1} \cdot z \cdot
#   (-\frac{a}{b^2}) \cdot \cos y` です。逆伝播の結果は、自動微分とも中心差分とも
#   許容誤差の範囲で一致しました。
# * 道が合流するところでは勾配が足し合わされます（:math:`g = xy + x` なら
#   :math:`\partial g/\partial x = y + 1`）。PyTorch の ``.grad`` も、
#   新しい勾配を今ある値に足していきます。
# * 定義域の外では、:math:`f` は意味のない数を返す代わりに、分かりやすいエラーを送出します。
