r"""
1.2 勾配降下法のアルゴリズム
============================

前のレッスンで、勾配は上り坂の方向を指すことを見ました。向きを反対にすれば、
それがそのままアルゴリズムになります。勾配と逆向きに小さな一歩を踏み出し続ければ、
坂を下って最小値へ近づいていけるのです。このページでは、この考えを正確に書き下し、
実際に動かしてみます。

**このページで学ぶこと**

* 勾配降下法の更新式と、アルゴリズムの全体
* ネットワークの学習に必要なのは、重みについての損失の勾配だけである理由
* 学習率の役割：小さすぎると遅く、大きすぎると振動したり発散したりすること。
  そして簡単なお椀形の関数では、その境目がどこにあるのか
* 勾配降下法が見つけるのは、出発点が属する谷（その谷の**引き込み領域**）の底であり、
  いちばん深い谷とは限らないこと
* 手で微分するとすぐに手に負えなくなること（次のレッスンへの動機）
"""

import math

import numpy as np

from gdguide.language import use_language

LANG = use_language("ja")

# %%
# 更新式
# ------
#
# :math:`f(\mathbf{w})` を、:math:`d` 個の変数 :math:`\mathbf{w} = (w_1, \dots, w_d)`
# の微分可能な関数とし、これをできるだけ小さくしたいとします。
# 勾配降下法は、最初の推定値 :math:`\mathbf{w}^{(0)}` から出発して、次の更新を繰り返します。
#
# .. math::
#
#    \mathbf{w}^{(t+1)} = \mathbf{w}^{(t)} - \eta \, \nabla f\left(\mathbf{w}^{(t)}\right),
#    \qquad
#    \nabla f(\mathbf{w}) = \left( \frac{\partial f}{\partial w_1}, \dots,
#    \frac{\partial f}{\partial w_d} \right)
#
# 正の数 :math:`\eta` を**学習率**（ステップサイズ）と呼びます。なぜこれで坂を下れるのでしょうか。
# 前のレッスンの一次近似の式に、一歩として :math:`-\eta \nabla f` を入れると、
#
# .. math::
#
#    f\left(\mathbf{w} - \eta \nabla f(\mathbf{w})\right) \approx f(\mathbf{w})
#    - \eta \, \lVert \nabla f(\mathbf{w}) \rVert^2
#
# となります。勾配が 0 でない限り、変化量は負です。ただし、これは**一次近似が成り立つくらい一歩が
# 小さければ**の話です。この但し書きを覚えておいてください。このあと、わざとこれを破ってみます。
#
# .. dropdown:: おさらい：内積と 2 つのベクトルのなす角
#
#    一次近似の式では、2 つのベクトルを**内積**で掛け合わせています。
#    :math:`\mathbf{a} = (a_1, \dots, a_d)` と :math:`\mathbf{b} = (b_1, \dots, b_d)` に対して
#
#    .. math::
#
#       \mathbf{a} \cdot \mathbf{b} = a_1 b_1 + \dots + a_d b_d
#       = \lVert \mathbf{a} \rVert \, \lVert \mathbf{b} \rVert \cos\theta,
#       \qquad \lVert \mathbf{a} \rVert = \sqrt{\mathbf{a} \cdot \mathbf{a}}
#
#    です。:math:`\theta` は 2 本の矢印のなす角で、:math:`\cos\theta` は同じ向きなら 1、
#    直角なら 0、正反対なら −1 です。小さな一歩 :math:`\mathbf{s}` による :math:`f` の変化は、
#    およそ :math:`\nabla f(\mathbf{w}) \cdot \mathbf{s}` です。勾配降下法の一歩
#    :math:`\mathbf{s} = -\eta \nabla f(\mathbf{w})` は勾配とちょうど逆向き
#    （:math:`\cos\theta = -1`）なので、変化は :math:`-\eta \lVert \nabla f(\mathbf{w}) \rVert^2`
#    になります。同じ長さの一歩の中で、（一次近似の範囲で）いちばん速く下る一歩です。
#
# アルゴリズム
# ------------
#
# .. admonition:: アルゴリズム：勾配降下法
#
#    **入力**：出発点 :math:`\mathbf{w}^{(0)}`、学習率 :math:`\eta > 0`、ステップ数 :math:`T`
#
#    1. :math:`t = 0, 1, \dots, T - 1` について繰り返す：
#       勾配 :math:`\nabla f(\mathbf{w}^{(t)})` を計算し、
#       :math:`\mathbf{w}^{(t+1)} = \mathbf{w}^{(t)} - \eta \, \nabla f(\mathbf{w}^{(t)})` とする。
#    2. :math:`\mathbf{w}^{(T)}` を返す。
#
# :func:`gdguide.descent.gradient_descent` は、まさにこのループです。関数、その勾配、
# :math:`\mathbf{w}^{(0)}`、:math:`\eta`、:math:`T` を受け取り、たどった道のり全体を
# :class:`~gdguide.descent.Trajectory` として返すので、1 ステップずつ中身を確かめられます。
#
# 必要なのは損失の勾配だけ
# ------------------------
#
# 学習では、:math:`f` は**損失**です。データは固定されているので、損失は重み :math:`\mathbf{w}`
# だけの関数と見なせます。すると更新式が求めるものはただ一つ、重みについての損失の偏微分を並べた
# ベクトルです。
#
# .. math::
#
#    \frac{\partial \, \mathrm{Loss}}{\partial \mathbf{w}} =
#    \left[ \frac{\partial \, \mathrm{Loss}}{\partial w_1}, \dots,
#    \frac{\partial \, \mathrm{Loss}}{\partial w_d} \right]^{\top}
#
# 二階微分も、最小値を与える公式も、地形全体の見取り図もいりません。
# 必要なのは、それぞれの重みの方向のその場の傾きだけで、それを何度も何度も計算します。
# 現代のネットワークには何百万もの重みがあるので、
# このベクトル一つをいかに安く計算するかがすべてを左右します。それがこのサイトの残りのテーマです。

# %%
# 試しの地形：細長いお椀
# ----------------------
#
# 学習率の効き方を見るために、一方の向きがもう一方より 10 倍急な、細長いお椀を下ってみます。
# :func:`gdguide.descent.quadratic_bowl` です。
#
# .. math::
#
#    f(\mathbf{w}) = \tfrac{1}{2} \left( w_1^2 + 10 \, w_2^2 \right),
#    \qquad
#    \nabla f(\mathbf{w}) = (w_1, \; 10 \, w_2)
#
# 最小値は原点での :math:`f = 0` です。どの実行も :math:`\mathbf{w}^{(0)} = (-2.5, 1)` から始め、
# :math:`T = 30` ステップ進めます。学習率は 4 通り試します。

from gdguide.descent import gradient_descent, quadratic_bowl, quadratic_bowl_gradient

start = [-2.5, 1.0]
n_steps = 30
learning_rates = [0.05, 0.15, 0.19, 0.21]
print(f"出発点: w = {start}、f(w) = {quadratic_bowl(start):.4g}")
trajectories = [
    gradient_descent(quadratic_bowl, quadratic_bowl_gradient, start, lr, n_steps)
    for lr in learning_rates
]
for trajectory in trajectories:
    print(trajectory.message(LANG))

# %%
# 3 つの実行は値が下がりましたが、速さはまるで違います。
# 最後の 1 つは逆に、約 8 から 1500 を超えるまで**上がって**しまいました。
# 下の図では、:math:`(w_1, w_2)` 平面に描いた :math:`f` の等高線の上に、実行ごとに別々の枠で
# 道のりを描いています。出発点は丸で囲み、最小点は星印で示しました。4 つの枠はどれも同じ範囲を
# 表示していて、範囲の外に出た道のりは枠の端で切れています。

from gdguide.plots import plot_descent_trajectories

verdicts = ["too_small", "good", "oscillating", "diverging"]  # 学習率ごとの判定
fig = plot_descent_trajectories(
    quadratic_bowl, trajectories, verdicts=verdicts, minimum=[0.0, 0.0], lang=LANG
)

# %%
# * :math:`\eta = 0.05`（**小さすぎる**）：なめらかな道のりですが、平らな :math:`w_1` の向きを
#   のろのろ進むので、30 ステップたっても最小値からまだ遠いままです。
# * :math:`\eta = 0.15`（**ちょうどよい**）：急な向きに何度かジグザグしたあと、まっすぐ最小値へ
#   向かいます。4 つの中で最後の値がいちばん小さくなりました。
# * :math:`\eta = 0.19`（**振動する**）：谷の片側の壁からもう片側へと跳ね返り続けます。
#   跳ね返るたびに少しずつしか小さくなりません。
# * :math:`\eta = 0.21`（**発散する**）：跳ね返りがだんだん大きくなり、一歩ごとに前より高い所へ
#   着地します。数ステップで道のりは枠の外へ出ていきます。
#
# 境目はどこにあるのか
# --------------------
#
# このお椀なら、更新式を正確に追いかけられます。勾配は :math:`(w_1, 10 w_2)` なので、各座標は
# 1 ステップごとに決まった数を掛けられるだけです。
#
# .. math::
#
#    w_1^{(t+1)} = (1 - \eta) \, w_1^{(t)}, \qquad w_2^{(t+1)} = (1 - 10\eta) \, w_2^{(t)}
#
# 掛ける数が :math:`-1` と :math:`1` の間にあれば、その座標は小さくなっていきます。掛ける数が負だと
# 毎ステップ符号が反転し、これがジグザグの正体です。:math:`w_2` の向きで
# :math:`|1 - 10\eta| < 1` が成り立つのは、ちょうど :math:`0 < \eta < 0.2` のときです。一般に、
# 2 次のお椀の曲率はヘッセ行列の固有値 :math:`\lambda_i`（ここでは 1 と 10）で、各方向は 1 ステップ
# ごとに :math:`1 - \eta \lambda_i` 倍されます。そのため、素朴な勾配降下法が安定するのは
#
# .. math::
#
#    \eta < \frac{2}{\lambda_{\max}} = \frac{2}{10} = 0.2
#
# のときに限られます。
#
# .. dropdown:: おさらい：曲率、ヘッセ行列とその最大固有値
#
#    1 変数関数では、二階微分 :math:`f''(w)` が**曲率**、つまり傾きがどれだけ速く変わるかを
#    表します。:math:`f''` が大きければ狭くて急な谷、小さければ広くて平らな谷です。
#    変数が複数あると、二階微分は行列に並びます。これが**ヘッセ行列**で、成分は
#    :math:`H_{ij} = \partial^2 f / \partial w_i \partial w_j` です。このお椀では
#
#    .. math::
#
#       H = \begin{pmatrix} 1 & 0 \\ 0 & 10 \end{pmatrix}
#
#    となります。:math:`H` を掛けても向きが変わらず伸び縮みするだけの方向
#    :math:`\mathbf{v}`（:math:`H \mathbf{v} = \lambda \mathbf{v}`）を**固有ベクトル**、その倍率
#    :math:`\lambda` を**固有値**と呼びます。固有値は、その方向に沿った :math:`f` の曲率です。
#    このような対角行列では固有ベクトルは座標軸の向きで、固有値は対角成分そのもの、
#    つまり :math:`w_1` 方向が 1、:math:`w_2` 方向が 10 です。最大のもの
#    :math:`\lambda_{\max} = 10` はいちばん急な方向に対応し、一歩を大きくしたときに最初に
#    行き過ぎるのはこの方向です。
#
# 4 つの学習率について、この掛ける数を計算してみましょう。

from gdguide.descent import BOWL_CURVATURES, BOWL_MAX_LR

print(f"曲率: {BOWL_CURVATURES}、安定の限界 2 / 最大曲率 = {BOWL_MAX_LR:.2f}")
for lr in learning_rates:
    factors = [1 - lr * curvature for curvature in BOWL_CURVATURES]
    print(f"学習率 {lr:.2f}: w1 方向の倍率 {factors[0]:+.2f}、w2 方向の倍率 {factors[1]:+.2f}")

# %%
# いちばん急な向きが**限界**を決め、いちばん平らな向きが**速さ**を決めます。
# :math:`\eta < 0.2` では :math:`w_1` 方向の倍率は :math:`0.8` より小さくできないので、
# 平らな向きにはどうしても多くのステップが必要です。
# :math:`\eta = 0.21` では :math:`w_2` 方向の倍率が :math:`-1.1` になり、
# :math:`f` は 1 ステップごとに :math:`1.1^2 = 1.21` 倍に増えます。
# ステップ数を（数千まで）増やせば、値はいずれ浮動小数点数の範囲を超えます。
# そのとき ``gradient_descent`` は計算を止め、メッセージは何ステップ目で発散したかを知らせます。
#
# **動かしてみましょう**。下の図では、0.01 から 0.25 までのどの学習率でも、同じ出発点から同じ
# 30 ステップを計算します。スライダーをドラッグするか、スライダーを選んで矢印キーを押してください。
# :math:`\eta` が 0.2 の印に近づくにつれて急な向きのジグザグが大きくなり、印を越えると各ステップの
# 値が下がらずに上がり始めるようすが見えます（JavaScript が必要です。JavaScript がなくても、
# 上の図で同じ 4 つの実行を見られます）。

from gdguide.explorers import LearningRateExplorer

LearningRateExplorer(LANG)

# %%
# .. note::
#
#    実際の損失は完全なお椀形ではありませんが、最小値の近くではお椀のように見えるので、同じ目安が
#    使えます。学習率は、最大の曲率分の 2 程度より小さくなければなりません。ネットワークの学習中に
#    損失が急に爆発したら、まず学習率が大きすぎないかを疑いましょう。
#
# 勾配降下法が見つけるのは出発した谷の底
# --------------------------------------
#
# 前のレッスンの波紋の曲面 :math:`h(x, y) = \sin(x^2 + y^2)` に戻りましょう。原点には小さなお椀
# （:math:`h = 0`）があり、それを :math:`r = \sqrt{\pi/2} \approx 1.25` の最初の尾根が囲んでいます。
# その外側、:math:`r = \sqrt{3\pi/2} \approx 2.17` には円形の谷底（:math:`h = -1`）があります。
# ``gradient_descent`` は 1 つのベクトルを受け取る関数を前提にしているので、
# :func:`gdguide.functions.h` と :func:`gdguide.functions.h_gradient` を包む関数を作ります。
# そして、最初の尾根をはさんだ両側の 2 点から、:math:`\eta = 0.1`、50 ステップで出発します。

from gdguide.functions import h, h_gradient


def h_of_w(w):
    """点 w = (x, y) での h の値を返す。"""
    return h(w[..., 0], w[..., 1])


def h_gradient_of_w(w):
    """点 w = (x, y) での h の勾配を配列で返す。"""
    return np.stack(h_gradient(w[..., 0], w[..., 1]), axis=-1)


print(f"最初の尾根: r = {math.sqrt(math.pi / 2):.4f}")
for h_start in ([0.5, 0.5], [1.0, 1.2]):
    run = gradient_descent(h_of_w, h_gradient_of_w, h_start, 0.1, 50)
    x_end, y_end = run.final_point
    print(
        f"出発点 {h_start}（r = {math.hypot(*h_start):.4f}）: 終点 ({x_end:+.4f}, {y_end:+.4f})、"
        f"r^2 = {x_end**2 + y_end**2:.4f}、h = {run.final_value:+.6f}"
    )
print(f"（3 pi / 2 = {3 * math.pi / 2:.4f}）")

# %%
# 1 つ目の出発点（:math:`r \approx 0.71`）は最初の尾根の内側にあり、原点のお椀（:math:`h = 0`）へ
# 滑り落ちます。2 つ目（:math:`r \approx 1.56`）は尾根の外側にあり、谷底（:math:`h = -1`）で
# 止まります。どちらの実行も「収束」しましたが、行き着いた場所は違います。
# どの最小値にも、そこへ行き着く出発点の集まりがあり、これを**引き込み領域**と呼びます
# （一歩が十分に小さい場合）。ここでは最初の尾根が、お椀の引き込み領域と谷底の引き込み領域の
# 境目です。勾配降下法が見つけるのは、出発点が属する引き込み領域の最小値、つまり**局所的な**
# 最小値です。もっと深い谷がほかにあるかどうかは、勾配からは何も分かりません。
#
# **試してみましょう**。下の :math:`h` の地図のどこかをクリックしてください（キーボードでは地図を
# 選び、矢印キーで十字を動かして Enter キーを押します）。その点から同じ勾配降下法
# （:math:`\eta = 0.1`、50 ステップ）を実行し、どこに行き着いたかを示します。破線で描いた最初の
# 尾根の内側から出発すればお椀に、最初と 2 番目の尾根のあいだから出発すれば
# :math:`r \approx 2.17` の青い谷底に行き着きます。さらに外側の谷底は幅が狭く、同じ一歩では
# 大きすぎます。経路は跳ね返るばかりで落ち着きません。お椀で見た学習率の問題がここでも起きるのです。

from gdguide.explorers import DescentBasinExplorer

DescentBasinExplorer(LANG)

# %%
# 演習 1.2：微分はどれくらい大変か
# --------------------------------
#
# 勾配降下法には勾配が必要で、ここまでは手で導いてきました。では、次の 3 変数関数を見てください。
#
# .. math::
#
#    f(x, y, z) = \tanh\left( \ln\left[ 1 + z \, \frac{2x}{\sin(y)} \right] \right)
#
# :math:`\partial f / \partial x`、:math:`\partial f / \partial y`、:math:`\partial f / \partial z`
# を導くのは、どれくらい簡単でしょうか。実際に計算する必要はありません。何が必要になり、どこで
# 間違えそうかを考えてみてください。
#
# .. dropdown:: 考え方の例
#
#    できなくはありませんが、面倒で、間違えやすい作業です。:math:`f` は 4 重の入れ子になっています
#    （割り算 :math:`2x / \sin(y)` を :math:`z` との掛け算で包み、それを対数で包み、さらに tanh で
#    包んでいます）。対数の中身を :math:`u = 1 + z \cdot 2x / \sin(y)` と書くと、
#    次のようになります。
#
#    .. math::
#
#       \frac{\partial f}{\partial z} = \left(1 - \tanh^2(\ln u)\right) \cdot \frac{1}{u}
#       \cdot \frac{2x}{\sin(y)}
#
#    .. math::
#
#       \frac{\partial f}{\partial x} = \left(1 - \tanh^2(\ln u)\right) \cdot \frac{1}{u}
#       \cdot z \cdot \frac{2}{\sin(y)}
#
#    .. math::
#
#       \frac{\partial f}{\partial y} = \left(1 - \tanh^2(\ln u)\right) \cdot \frac{1}{u}
#       \cdot z \cdot \left(-\frac{2x \cos(y)}{\sin^2(y)}\right)
#
#    :math:`\partial f / \partial z` の因子は 3 つです。tanh の微分、対数の微分、そして中身を
#    :math:`z` で微分した :math:`2x / \sin(y)` です。:math:`\partial f / \partial x` と
#    :math:`\partial f / \partial y` の因子は 4 つで、同じ最初の 2 つのあとに :math:`z` が続き、
#    最後に :math:`2x / \sin(y)` を :math:`x` または :math:`y` で微分したものが来ます。
#    :math:`x` の場合、この最後の因子は単に :math:`2 / \sin(y)` です。:math:`y` の場合は商の微分法
#    （あるいは :math:`1 / \sin(y)` を通したもう一度の連鎖律）が必要で、ここで間違いが起きやすく
#    なります。マイナス記号や :math:`\cos(y)` を落としたり、:math:`\sin^2(y)` を :math:`\sin(y)`
#    と書いたりするのです。しかも 3 つの偏微分には同じ部品（:math:`1 - \tanh^2(\ln u)` や
#    :math:`1 / u`）が繰り返し現れます。手計算では、それを 3 回書き、3 回計算することになります。
#
#    しかもこれはおもちゃの例です。ネットワークの損失は何百もの演算が入れ子になり、
#    何百万もの重みに依存します。その勾配を一つの大きな式として導くのは絶望的です。
#    抜け道は、一つの式を書くのを**やめる**ことです。関数を小さな段階に切り分ければ、
#    各段階の微分は簡単に書けます。それらを連鎖律で、決まった機械的な順序で組み合わせれば、
#    共通の部品も一度計算するだけで済みます。これが計算グラフと逆伝播で、次のレッスンではまさにこの
#    :math:`f` を分解します。
#
# まとめ
# ------
#
# * 勾配降下法は、出発点 :math:`\mathbf{w}^{(0)}` から
#   :math:`\mathbf{w}^{(t+1)} = \mathbf{w}^{(t)} - \eta \nabla f(\mathbf{w}^{(t)})` を
#   :math:`T` ステップ繰り返します。
# * 学習に必要なのは、重みについての損失の勾配
#   :math:`\partial \, \mathrm{Loss} / \partial \mathbf{w}` だけです。
# * 学習率は重要です。小さすぎると遅く、大きすぎると振動し、やがて発散します。2 次のお椀では限界は
#   :math:`\eta < 2 / \lambda_{\max}`（このお椀では 0.2）で、必要なステップ数はいちばん平らな向きで
#   決まります。
# * 勾配降下法が見つけるのは出発した谷（引き込み領域）の最小値で、いちばん深い谷とは限りません。
# * 入れ子になった関数の勾配を手で導くのは、すぐに現実的でなくなります。次のレッスンでは、それを
#   系統立てて計算する方法を学びます。
