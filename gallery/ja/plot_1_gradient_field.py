r"""
1.1 勾配と最急上昇方向
======================

ニューラルネットワークの「学習」とは、重みと呼ばれる数値を少しずつ調整して、
ネットワークの誤りの大きさを表す**損失**をできるだけ小さくすることです。
機械学習のアルゴリズムの多くは、形を変えた最適化アルゴリズムだと言えます。
その中で最もよく使われる**勾配降下法**に欠かせない材料が、損失の**勾配**です。
このページでは、その勾配について学びます。

**このページで学ぶこと**

* 多変数関数の勾配とは何か、そしてなぜ勾配は「上り坂」の方向を指すのか
* 曲面 :math:`h(x, y) = \sin(x^2 + y^2)` を例に、連鎖律を使って勾配を手で導き、
  それを自分でコードに書く方法
* 手で導いた勾配を、数値と許容誤差つきで照合する方法
* 勾配の場（勾配ベクトルを並べた図）の読み方と、矢印が本当はどこを向いているのか
"""

import math

import numpy as np

from gdguide.language import use_language

LANG = use_language("ja")

# %%
# なぜ勾配が必要なのか
# --------------------
#
# 損失を、重みの空間の上に広がる地形だと考えてみましょう。
# 重みの組み合わせ一つひとつが地図上の一地点で、損失はその地点の標高です。
# 学習とは、この地形を下っていく山歩きにあたります。
# 実際のネットワークでは地形は何百万次元にもなるので、全体を見渡すことはできません。
# それでも、いま立っている場所の傾きなら測れます。その傾きを測ったものが勾配です。
# 1847 年、オーギュスタン＝ルイ・コーシーはこれを一つの方法にまとめました。
# 勾配と逆の向きに一歩ずつ進めば、高さは下がり続ける、という方法です。
# これが勾配降下法で、確率的勾配降下法などの変種とともに、
# 今でもほとんどすべての深層ネットワークの学習に使われています。
#
# 勾配と最急上昇方向
# ------------------
#
# :math:`h(x, y)` のような 2 変数関数には、偏微分が 2 つあります。:math:`\partial h / \partial x`
# は :math:`y` を固定して :math:`x` 軸に平行に歩いたときの傾き、:math:`\partial h / \partial y`
# は :math:`x` を固定して :math:`y` 軸に平行に歩いたときの傾きです。この 2 つを並べたベクトルを
# **勾配**と呼びます。
#
# .. math::
#
#    \nabla h(x, y) = \left( \frac{\partial h}{\partial x}, \frac{\partial h}{\partial y} \right)
#
# このベクトルの何が特別なのでしょうか。点 :math:`\mathbf{p}` から、単位ベクトル :math:`\mathbf{u}`
# の向きに長さ :math:`\varepsilon` の小さな一歩を踏み出すとします。関数の変化量は、一次の近似では
# 勾配と一歩との内積になります。
#
# .. math::
#
#    h(\mathbf{p} + \varepsilon \mathbf{u}) \approx h(\mathbf{p})
#    + \varepsilon \, \nabla h(\mathbf{p}) \cdot \mathbf{u}
#    = h(\mathbf{p}) + \varepsilon \, \lVert \nabla h(\mathbf{p}) \rVert \cos\theta
#
# ここで :math:`\theta` は :math:`\mathbf{u}` と勾配のなす角です。増え方が最も大きくなるのは
# :math:`\cos\theta = 1`、つまり勾配と**同じ向き**に進んだときです。したがって、勾配は
# **最も急な上り方向**（最急上昇方向）を指し、その長さはその方向の傾きの大きさを表します。逆向きの
# :math:`-\nabla h` は最も急な下り方向です。
# また、勾配と直角の向き（:math:`\cos\theta = 0`）に進むと、高さは変わらず、
# 同じ等高線の上にとどまります。
#
# このレッスンで使う曲面
# ----------------------
#
# 山と谷がたくさんある、次の曲面を題材にします。
#
# .. math::
#
#    z = h(x, y) = \sin(x^2 + y^2)
#
# この関数は :func:`gdguide.functions.h` で計算できます。原点での値は 0 で、円
# :math:`x^2 + y^2 = \pi/2` の上では最大値の 1、円 :math:`x^2 + y^2 = 3\pi/2` の上では
# 最小値の −1 になります。

from gdguide.functions import h

print(f"h(0, 0)             = {h(0.0, 0.0):.6f}")
print(f"h(sqrt(pi/2), 0)    = {h(math.sqrt(math.pi / 2), 0.0):.6f}")
print(f"h(sqrt(3*pi/2), 0)  = {h(math.sqrt(3 * math.pi / 2), 0.0):.6f}")

# %%
# 連鎖律
# ------
#
# :math:`h` は「2 乗して足す」という関数の外側に「サインをとる」という関数がかぶさった、
# 合成関数です。合成関数の微分には**連鎖律**を使います。1 変数の場合、:math:`F(x) = g(u(x))`
# ならば
#
# .. math::
#
#    F'(x) = g'(u(x)) \, u'(x), \qquad
#    \frac{dF}{dx} = \frac{dg}{du} \, \frac{du}{dx}
#
# です（同じ規則を 2 通りの書き方で表しています）。
# 言葉にすると「外側の関数の導関数に内側の値を入れたもの × 内側の関数の導関数」です。
# 入力が 2 つになっても考え方は同じで、内側の微分が入力ごとの偏微分に変わるだけです。
#
# **演習のヒント**：内側を :math:`u = x^2 + y^2` とおくと、外側は :math:`z = \sin u` です。
# 必要なのは、外側の微分 :math:`dz/du`（:math:`u = x^2 + y^2` での値）と、内側の 2 つの偏微分
# :math:`\partial u / \partial x`、:math:`\partial u / \partial y` です。外側の微分に、
# 内側の偏微分を 1 つずつ掛けてください。下の導出を開く前に、まず手計算で試してみましょう。
#
# .. dropdown:: 導出の全体
#
#    外側の微分は :math:`dz/du = \cos u`、内側の微分は :math:`\partial u / \partial x = 2x` と
#    :math:`\partial u / \partial y = 2y` です。これを掛け合わせると、次のようになります。
#
#    .. math::
#
#       \frac{\partial z}{\partial x} = \frac{dz}{du} \, \frac{\partial u}{\partial x}
#       = \cos(x^2 + y^2) \cdot 2x
#
#    .. math::
#
#       \frac{\partial z}{\partial y} = \frac{dz}{du} \, \frac{\partial u}{\partial y}
#       = \cos(x^2 + y^2) \cdot 2y

# %%
# 演習 1.1：h の勾配を実装する
# ----------------------------
#
# 自分で導いた 2 つの偏微分をコードにしてみましょう。``h_gradient_mine`` を完成させて、組
# :math:`(\partial z/\partial x, \partial z/\partial y)` を返すようにしてください。普通の数値にも
# NumPy の配列にも使えるよう、NumPy の関数を使いましょう（``math.cos`` ではなく ``np.cos``）。
# :func:`gdguide.exercises.check_h_gradient` がいくつかの点であなたの関数を試し、判定を表示します。
# 下のままではまだ中身が書かれていないので、チェックはそのことを知らせます。

from gdguide.exercises import check_h_gradient


def h_gradient_mine(x, y):
    """h(x, y) = sin(x**2 + y**2) の勾配 (dz/dx, dz/dy) を返す。"""
    # ---- ここにコードを書く: 次の行を置き換えてください ----
    raise NotImplementedError("h の勾配を計算してください")


print(check_h_gradient(h_gradient_mine, lang=LANG))

# %%
# .. dropdown:: 解答
#
#    2 つの偏微分には外側の微分 :math:`\cos(x^2 + y^2)` が共通なので、一度だけ計算します。
#
#    .. code-block:: python
#
#       import numpy as np
#
#
#       def h_gradient_mine(x, y):
#           """h(x, y) = sin(x**2 + y**2) の勾配 (dz/dx, dz/dy) を返す。"""
#           outer = np.cos(x**2 + y**2)  # u = x**2 + y**2 での dz/du
#           dz_dx = outer * 2 * x  # du/dx を掛ける
#           dz_dy = outer * 2 * y  # du/dy を掛ける
#           return dz_dx, dz_dy
#
#    これを上のセルに貼り付けてもう一度チェックを実行すると、合格になります。
#
# ライブラリの勾配を数値で確かめる
# --------------------------------
#
# ライブラリの :func:`gdguide.functions.h_gradient` にも同じ式が入っていて、このページの残りでは
# こちらを使います。手で導いた式は確かめておくべきです。昔ながらの確かめ方は、微積分をまったく
# 使いません。入力の一つをごく小さな :math:`\varepsilon` だけ前後にずらし、関数がどれだけ動くかを
# 測るのです。
#
# .. math::
#
#    \frac{\partial h}{\partial x} \approx \frac{h(x + \varepsilon, y) - h(x - \varepsilon, y)}
#    {2\varepsilon}
#
# :func:`gdguide.gradcheck.numerical_gradient` は、これをすべての入力について行います
# （**中心差分**、:math:`\varepsilon = 10^{-6}`）。こうして求めた値を**数値勾配**と呼びます。
# さらに第三の意見として、セクション 2 で詳しく学ぶ PyTorch の自動微分
# （:func:`gdguide.gradcheck.autograd_gradient`）にも計算させます。中心差分には
# :math:`10^{-10}` 程度の誤差があるので、3 つの数値が最後の桁まで一致することはありません。そこで
# :func:`gdguide.gradcheck.compare_gradients` は、許容誤差（相対 :math:`10^{-5}`、絶対
# :math:`10^{-7}`）を設けて比較します。

from gdguide.functions import h_gradient
from gdguide.gradcheck import autograd_gradient, compare_gradients, numerical_gradient

points = [(0.5, -1.0), (1.2, 0.3), (-2.0, 1.5)]
for x, y in points:
    hand = h_gradient(x, y)
    numerical = numerical_gradient(h, x, y)
    autograd = autograd_gradient(h, x, y)
    comparison = compare_gradients(hand, autograd, numerical, names=["x", "y"])
    print(
        f"(x, y) = ({x:+.1f}, {y:+.1f}): 手計算 ({hand[0]:+.8f}, {hand[1]:+.8f})、"
        f"数値勾配 ({numerical[0]:+.8f}, {numerical[1]:+.8f})、"
        f"最大の差 {comparison.max_abs_diff:.1e}、一致: {comparison.passed}"
    )
print()
print(comparison.summary(LANG))  # 最後の点についての詳しい報告

# %%
# 極座標で見る：矢印はどこを向くのか
# ----------------------------------
#
# :math:`h` は原点からの距離 :math:`r = \sqrt{x^2 + y^2}` だけで決まり、:math:`\sin(r^2)` と
# 書けます。外に行くほど間隔が狭くなる、同心円状の波紋です。勾配にもこの形が表れます。
# あなたが求めた勾配の 2 つの成分には、共通の因子 :math:`2\cos(r^2)` があるので、
#
# .. math::
#
#    \nabla h(x, y) = 2\cos(r^2) \, (x, y) = 2r\cos(r^2) \, \hat{\mathbf{r}},
#    \qquad \hat{\mathbf{r}} = \frac{(x, y)}{r}
#
# となります。つまり勾配ベクトルはいつも半径の向きにそろっていて、:math:`\cos(r^2) > 0` の場所では
# 原点からまっすぐ外向きに、:math:`\cos(r^2) < 0` の場所では原点に向かってまっすぐ内向きになります。
# ベクトルの長さは :math:`|2r\cos(r^2)|` です。この長さは :math:`\cos(r^2) = 0`、すなわち
# :math:`r^2 = \pi/2 + k\pi` のところで 0 になります。これはちょうど尾根（:math:`\sin = 1`）と
# 谷底（:math:`\sin = -1`）で、曲面が一瞬だけ平らになる場所です。原点も、小さなお椀の底なので
# 勾配は 0 です。
#
# では、半径に沿ってどちら向きでしょうか。答えは「その点が乗っている斜面の上り方向」です。
# 原点から外へ進むと、曲面は尾根まで上り、谷底まで下り、次の尾根まで上り、……を繰り返します。
# 尾根は :math:`r = \sqrt{\pi/2 + 2k\pi}`、谷底は :math:`r = \sqrt{3\pi/2 + 2k\pi}` にあります
# （:math:`k = 0, 1, \dots`）。どの点も、低い所（谷底または原点）と尾根にはさまれた斜面の一つに
# 乗っていて、矢印は低い所から離れ、**自分の斜面のてっぺんにある尾根**を指します。
# それがいちばん近い尾根だとは限りません。点 :math:`(2.0, 0.5)` で確かめてみましょう。

x, y = 2.0, 0.5
r = math.hypot(x, y)
dz_dx, dz_dy = h_gradient(x, y)
radial = (dz_dx * x + dz_dy * y) / r  # 単位ベクトル (x, y) / r の向きの成分
crests = [math.sqrt(math.pi / 2 + 2 * k * math.pi) for k in range(2)]
trough = math.sqrt(3 * math.pi / 2)
print(f"(x, y) = ({x}, {y}): r = {r:.4f}、勾配 = ({dz_dx:+.4f}, {dz_dy:+.4f})")
print(f"半径方向の成分 = {radial:+.4f}（2 r cos(r^2) = {2 * r * math.cos(r**2):+.4f}）")
print("矢印の向き:", "内向き" if radial < 0 else "外向き")
print(f"いちばん近い谷底: r = {trough:.4f}")
for crest in crests:
    print(f"尾根: r = {crest:.4f}、距離 {abs(crest - r):.4f}")

# %%
# この点は :math:`r \approx 2.17` の谷底のすぐ内側にあるので、上り方向は内向きです。
# 半径方向の成分は負で、矢印は :math:`r \approx 1.25` の尾根を指しています。距離だけなら
# :math:`r \approx 2.80` の尾根のほうが近いのに、です。
# 勾配が知っているのは足もとの傾きだけなのです。
#
# 勾配の場を描く
# --------------
#
# 今度は、たくさんの点での勾配をまとめて描いてみます。:func:`gdguide.plots.plot_gradient_field` は、
# :math:`-3 \le x, y \le 3` の範囲で :math:`h` の等高線を塗り分け、
# :math:`-2.5` から :math:`2.5` までの :math:`11 \times 11` の格子点に、
# 赤い矢印 :math:`(\partial z/\partial x, \partial z/\partial y)` を描きます。

from gdguide.plots import plot_gradient_field

fig = plot_gradient_field(lang=LANG)

# %%
# 図から読み取ってほしいこと：
#
# * **矢印は上り坂を向いています。**
#   暗い色（低い所）から明るい色（高い所）へ向かい、等高線とは直角に交わります。
#   最も急な上り方向であり、等高線に沿う向きにはなりません。
# * **矢印は自分の斜面のてっぺんにある尾根を指します。**
#   下にある谷底（または原点）から離れる向きで、いちばん近い尾根を指すとは限りません。
#   谷底をはさんだ両側では矢印は互いに背を向け、それぞれ自分の斜面を上ります。
#   尾根をはさんだ両側では、矢印は向かい合います。
# * **平らな場所では矢印が短くなります**。明るい尾根の上、暗い谷底、そして原点です。そこでは
#   :math:`2r\cos(r^2) = 0` から予想されるとおり、勾配が（ほぼ）0 になっています。
# * **原点から離れるほど矢印は長くなります**。外側ほど波紋が急になるからです（因子 :math:`2r`）。
#
# 矢印をたどれば山を登れます。逆に、勾配と反対向きに**さかのぼれば**谷へ下りていけます。これが
# 勾配降下法の考え方のすべてで、次のレッスンのテーマです。
#
# まとめ
# ------
#
# * 勾配 :math:`\nabla h` は偏微分を並べたベクトルです。最も急な上り方向を指し、その長さはその方向の
#   傾きです。:math:`-\nabla h` は最も急な下り方向を指します。
# * 連鎖律は合成関数を微分する規則です（外側の微分に内側の値を入れたもの × 内側の微分）。
#   :math:`h(x, y) = \sin(x^2 + y^2)` では :math:`\nabla h = \cos(x^2 + y^2) \cdot (2x, 2y)` で、
#   あなたはこれを ``h_gradient_mine`` として書きました。
# * 手で導いた勾配は、中心差分（と自動微分）を使って**許容誤差つきで**確かめます。``==`` では
#   比べません。
# * 勾配は局所的な情報です。足もとの斜面の上り方向を指すだけで、いちばん近い山やいちばん高い山を
#   指すとは限りません。尾根や谷底、お椀の底では 0 になります。
