r"""
1.3 計算グラフと逆伝播
======================

前のレッスンの演習は、一度に微分するのが厄介な次の関数で終わりました。

.. math::

   f(x, y, z) = \tanh\left( \ln\left[ 1 + z \, \frac{2x}{\sin(y)} \right] \right)

このレッスンでは、この関数を分解します。小さな段階に切り分けると、:math:`f` は **計算グラフ**
になります。グラフを前向きにたどれば :math:`f` の値が求まり、連鎖律を使って後ろ向きにたどれば、3
つの偏微分が一度にすべて求まります。これが **逆伝播**（バックプロパゲーション）で、
あらゆる深層学習フレームワークの中心にあるアルゴリズムです。

**このページで学ぶこと**

* 式を中間変数に分け、それをグラフとして描く方法
* 順伝播: 中間の値をすべて計算して保存すること
* グラフの各辺の局所微分と、それが簡単に求まる理由
* 逆伝播: 出力から入力へ向かって局所微分を掛け合わせていくこと
* 手で導いた結果を、自動微分や差分近似と照合する方法
* :math:`f` が定義されていない点で何が起こるか
"""

# %%
# まず、図とメッセージの言語を選びます。

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
# 入力から矢印に沿って進むと、すでに分かっている値だけを使って、ノードを順番に計算できます。これが
# **順伝播** です。ここでは点 :math:`x = 1`、:math:`y = 0.5`、:math:`z = 0.5` を選び
# （:math:`\sin y \neq 0` かつ :math:`1 + d > 0` を満たす点なら、どこでも構いません）、
# :func:`gdguide.chain_rule.forward_values` で順伝播を実行します。

import math

from gdguide.chain_rule import forward_values
from gdguide.functions import f

x, y, z = 1.0, 0.5, 0.5
values = forward_values(x, y, z)
for name, value in values.items():
    print(f"{name} = {value:.6f}")
print(f"式から直接計算した f(x, y, z): {f(x, y, z):.6f}")
print(f"同じ値か: {math.isclose(values['f'], f(x, y, z), rel_tol=1e-12)}")

# %%
# 最後のノードは :math:`f` そのもので、式をそのまま計算した値と一致します。順伝播では中間の値を
# すべて保存しておきます。逆伝播ですぐにそれが必要になるからです。
#
# 局所微分
# --------
#
# グラフの矢印はどれも、小さな演算の入力とその出力を結んでいます。その入力についての出力の微分を、
# その辺の **局所微分** と呼びます。どれも高校の微分で 1 行で書けます。
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
# :func:`gdguide.chain_rule.local_derivatives` で、選んだ点での値を計算してみます。

from gdguide.chain_rule import local_derivatives

for (source, target), derivative in local_derivatives(x, y, z).items():
    print(f"∂{target}/∂{source} = {derivative:+.6f}")

# %%
# 逆伝播
# ------
#
# 今度は矢印と逆向きにグラフをたどります。出力の :math:`\partial f/\partial f = 1` から出発します。
# 各ノードの勾配（:math:`f` をそのノードで偏微分したもの）は、そのノードが値を渡す先のノードから
# 届く勾配（**上流の勾配**）に、その間の辺の局所微分を掛けたものです。このグラフではどのノードも値を
# 渡す先がちょうど 1 つなので、1 ステップは掛け算 1 回で済みます。渡す先が複数あるノードでは、
# それぞれの積を足し合わせます。:math:`f` から :math:`x` まで、そして :math:`z` までの道に沿って
# 掛け合わせると、次のようになります。
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
# :func:`gdguide.chain_rule.backward_table` はこの逆向きの道のりを 1 ノードずつ進み、
# :func:`gdguide.chain_rule.format_backward_table` がそれを表にします。各行には、ノード、
# 順伝播で求めたその値、値を渡す先のノードへの辺、その辺の局所微分、上流の勾配、そしてそれらの積
# （勾配）が並びます。

from gdguide.chain_rule import backward_table, format_backward_table

rows = backward_table(x, y, z)
print(format_backward_table(rows, lang=LANG))

# %%
# 表は上から下へ読みます。どの行の「上流の勾配」も、それより上の行の「勾配」なので、
# 各行で必要なのは掛け算 1 回だけです。勾配 :math:`\partial f/\partial d` は一度だけ計算され、
# :math:`c` への枝（さらに :math:`a, b, x, y` へ続きます）と :math:`z` への枝の
# 2 か所で使い回されます。この共有こそが、逆伝播が安上がりな理由です。
# 入力がいくつあっても、勾配全体を求める手間は順伝播 1 回分の数倍程度で済みます。
# 求めたかった 3 つの数 :math:`\partial f/\partial z`、:math:`\partial f/\partial y`、
# :math:`\partial f/\partial x` は、表の最後の 3 行にあります。
#
# グラフを描く
# ------------
#
# :func:`gdguide.graph.chain_rule_graph` は同じグラフをデータとして組み立て、
# :func:`gdguide.graph.draw_graph` がそれを描きます。各ノードには順伝播で求めた値と、逆伝播で求めた
# 勾配が、各辺には局所微分が書かれています。

from gdguide.graph import chain_rule_graph, draw_graph

graph = chain_rule_graph(x, y, z, lang=LANG)
fig = draw_graph(graph, lang=LANG)

# %%
# どの矢印でもよいので逆向きにたどり、図の数値で規則を確かめてみてください。
# 矢印の根元のノードの勾配は、矢印の先のノードの勾配に、
# 矢印に書かれた局所微分を掛けたものになっています。
# 出力の勾配は 1 で、入力 :math:`x, y, z` の勾配が :math:`f` の偏微分です。
#
# 演習 1.3: 連鎖律で ∂f/∂y を求める
# ---------------------------------
#
# 上のグラフと局所微分を使って、:math:`\partial f/\partial y` を局所微分の積として書き、
# さらに中間変数で表してください。答えを開く前に、紙と鉛筆で計算してみましょう。
#
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
#    :math:`\partial f/\partial x` と比べると、最初の 3 つの因子が共通です。これは上流の勾配
#    :math:`\partial f/\partial c` で、逆伝播では一度しか計算しません。
#
# 答えを数値で確かめる
# --------------------
#
# 紙の上の導出は、確かめてはじめて信用できます。
# 下のセルでは、保存した順伝播の値から答えの式を計算し、
# PyTorch の自動微分（:func:`gdguide.gradcheck.autograd_gradient`）と
# 中心差分（:func:`gdguide.gradcheck.numerical_gradient`）の結果と、許容誤差を設けて比べます。
# 続いて :func:`gdguide.gradcheck.compare_gradients` で、
# 逆伝播で求めた 3 つの偏微分すべてを同じように照合します。

from gdguide.chain_rule import chain_rule_gradients
from gdguide.gradcheck import autograd_gradient, compare_gradients, numerical_gradient

v = values
df_dy_paper = (
    (1 - math.tanh(v["e"]) ** 2)
    / (v["d"] + 1)
    * v["z"]
    * (-v["a"] / v["b"] ** 2)
    * math.cos(v["y"])
)
autograd = autograd_gradient(f, x, y, z)
numerical = numerical_gradient(f, x, y, z)
df_dy_autograd = float(autograd[1])
df_dy_numerical = numerical[1]
print(f"紙の上の df/dy:   {df_dy_paper:+.12f}")
print(f"自動微分の df/dy: {df_dy_autograd:+.12f}")
print(f"数値微分の df/dy: {df_dy_numerical:+.12f}")
agree_autograd = math.isclose(df_dy_paper, df_dy_autograd, rel_tol=1e-9)
agree_numerical = math.isclose(df_dy_paper, df_dy_numerical, rel_tol=1e-6)
print(f"紙の上の式と自動微分が一致（相対許容誤差 1e-9）: {agree_autograd}")
print(f"紙の上の式と数値微分が一致（相対許容誤差 1e-6）: {agree_numerical}")
print()
backward = chain_rule_gradients(x, y, z)
hand = [backward["x"], backward["y"], backward["z"]]
comparison = compare_gradients(hand, autograd, numerical, names=["x", "y", "z"])
print(comparison.summary(LANG))

# %%
# 自動微分は、紙の上の式と浮動小数点数の最後の数桁まで一致します。
# 近似である差分のほうは、およそ 10 桁一致します。どちらも許容誤差の範囲に十分収まっています。
# PyTorch の自動微分がまさにこのようなグラフを自分で組み立てる様子は、セクション 2 で見ていきます。
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
# まとめ
# ------
#
# * 複雑な関数も、各段階に名前を付ければ **計算グラフ** になります
#   （:math:`a = 2x, b = \sin y, \dots, f = \tanh e`）。
# * **順伝播** では、入力側から順にすべてのノードの値を計算して保存します。
# * 各辺には **局所微分** があり、簡単に書けて、保存した値から計算できます。
# * **逆伝播** は :math:`\partial f/\partial f = 1` から始め、出力側から順に上流の勾配に局所微分を
#   掛けていきます。共通の部分は一度しか計算しないので、安上がりです。
# * 演習の答えは
#   :math:`\partial f/\partial y = (1 - \tanh^2 e) \cdot \frac{1}{d+1} \cdot z \cdot
#   (-\frac{a}{b^2}) \cdot \cos y` で、自動微分と差分近似の両方と許容誤差の範囲で一致しました。
# * 定義域の外では、:math:`f` は意味のない数を返す代わりに、分かりやすいエラーを送出します。
