r"""
3 ネットワークを学習させる：nn.Module・損失・オプティマイザ・学習ループ
==========================================================================

前のレッスンでは、自分で作った 2 つのパラメータを持つニューロン 1 個について、
自動微分で損失の勾配を求めました。しかし実際のネットワークのパラメータは何千、何百万とあり、
1 つずつ手で作る人はいません。PyTorch の``torch.nn``パッケージには、
層・活性化関数・損失関数といった部品がそろっており、``torch.optim``には、
すべてのパラメータにまとめて勾配降下法を適用するオプティマイザが用意されています。

このレッスンでは、隠れ層が 1 つの幅の広いネットワークを学習させ、
ノイズの乗った正弦波のデータに当てはめます。

**このレッスンで学ぶこと**

* ネットワークを``nn.Module``のクラスとして書く方法と、モジュールがパラメータを*登録*する仕組み
  （普通のテンソルでは足りない理由と``nn.Parameter``）
* 学習に必要な 3 つの要素（モデルのパラメータ、損失関数、オプティマイザ）と、
  オプティマイザの*モーメンタム*の働き
* 学習の 1 ステップを構成する 5 行（勾配のリセット、順伝播、損失、逆伝播、更新）。まず手で 1 回
  実行し、次にそれを繰り返すループを自分で書きます
* 1847 エポックの間に損失がどう下がるのか、そしてどこまで下がれば十分なのかを見極める方法
"""

# %%
from gdguide.language import use_language

LANG = use_language("ja")

import math

import torch
from torch import nn

from gdguide.explorers import TrainingReplayExplorer
from gdguide.plots import plot_data, plot_training_result
from gdguide.reproducibility import SEED, set_seed
from gdguide.training import (
    TRAINING_EPOCHS,
    TrainingSnapshots,
    log_spaced_epochs,
    make_sine_data,
    train,
)

# %%
# 3 つの要素
# ----------
#
# 学習には次の 3 つが必要です。
#
# * **モデルのパラメータ**：オプティマイザが変更してよいテンソルのすべてです。このレッスンでは
#   モデルを``nn.Module``として書きます。モデルの層は自分の重みとバイアスを作ってモジュールに
#   *登録*するので、``model.parameters()``を 1 回呼ぶだけで、すべてのパラメータを
#   オプティマイザに渡せます。
# * **損失関数**：小さくしたい値です。ここでは平均二乗誤差``nn.MSELoss``を使います。前のレッスンの
#   二乗誤差を、サンプル全体で平均したものです。
# * **オプティマイザ**：パラメータを管理し、``step()``メソッドが呼ばれると各パラメータの``.grad``
#   を使って値を更新します。ここでは学習率 :math:`\eta = 0.003`、*モーメンタム*
#   :math:`\mu = 0.9`の``torch.optim.SGD``を使います。
#
# 素の勾配降下法は、そのときの勾配 :math:`g` の向きにだけ進みます。モーメンタムを使うと、
# PyTorch はパラメータ :math:`w` ごとにもう 1 つのテンソル :math:`v`（「速度」）を持ち、
# 毎ステップ次の計算をします。
#
# .. math::
#
#    v \leftarrow \mu\, v + g, \qquad w \leftarrow w - \eta\, v .
#
# （最初のステップだけは、:math:`v` はそのまま :math:`g` になります。）つまり :math:`v` は、
# 今回の勾配に、1 つ前の勾配の :math:`\mu` 倍、2 つ前の勾配の :math:`\mu^2` 倍……と、
# 過去の勾配を*減衰させながら足し合わせたもの*です。平均ではありません。勾配が同じ向きを
# 指し続けると :math:`v` は :math:`g / (1 - \mu)`、つまり :math:`\mu = 0.9` なら :math:`g` の
# 10 倍に近づき、一歩が大きくなります。勾配の向きが行ったり来たりすると、項どうしが一部
# 打ち消し合います。
#
# データ
# ------
#
# 課題は回帰です。入力は :math:`[-1, 1]` に等間隔に並んだ 32 個の点で、目標値は正弦波
# :math:`\sin(\pi x)` に標準偏差 :math:`1/4` のガウスノイズを加えたものです。
# :func:`gdguide.training.make_sine_data`はノイズを生成する直前に乱数生成器を``SEED``（2021）で
# 初期化するので、何度実行しても同じデータになります。

inputs, targets = make_sine_data(seed=SEED)
print(f"入力: 形状 {tuple(inputs.shape)}, 目標値: 形状 {tuple(targets.shape)}")
fig = plot_data(inputs, targets, lang=LANG)

# %%
# データは形状``(32, 1)``の*列*になっています。特徴量を 1 つずつ持つサンプルが 32 個ある、という
# 意味で、``nn.Linear``が受け取る形です。
#
# モデル：自分で書くクラス
# ------------------------
#
# ネットワークは``tanh``のユニット 512 個からなる隠れ層を 1 つ持ちます：
# ``Linear(1, 512) → Tanh → Linear(512, 1)``。各ユニットは :math:`\tanh(w x + b)`、
# つまり前のレッスンのニューロンそのものを計算します。出力層は 512 個のユニットの出力に
# それぞれ独自の重みを掛けて足し合わせ、バイアスを加えます。
#
# PyTorch では、モデルは``nn.Module``を継承したクラスです。クラスは 2 つの部分からできています。
#
# * ``__init__``は層を作り、属性として保存します。その前に必ず``super().__init__()``を呼びます。
#   これが、層やパラメータを登録するための仕組みを準備します。``nn.Sequential``は層を
#   数珠つなぎにしたもので、前の層の出力を次の層に渡していきます。
# * ``forward``は、入力``x``から出力をどう計算するかを書きます。名前で直接呼ぶことはありません。
#   ``model(x)``と書けば、代わりに呼び出してくれます。

class WideNet(nn.Module):
    """tanh ユニットの隠れ層が 1 つ：Linear(1, n_units) -> Tanh -> Linear(n_units, 1)。"""

    def __init__(self, n_units=512):
        super().__init__()  # 最初に：層とパラメータを登録する仕組みを準備する
        self.layers = nn.Sequential(
            nn.Linear(1, n_units),  # 入力 1 つ -> 隠れ層のユニット n_units 個
            nn.Tanh(),
            nn.Linear(n_units, 1),  # 隠れ層のユニット n_units 個 -> 出力 1 つ
        )

    def forward(self, x):
        return self.layers(x)


# %%
# では、3 つの要素をこの順に作りましょう。``nn.Linear``の重みの初期値は乱数なので、モデルを作る
# 直前に乱数生成器を初期化しておきます。こうすれば毎回同じ重みから出発し、同じ数値が表示されます。

set_seed(SEED)
model = WideNet()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)
print(model)

# %%
# モジュールを表示すると層の一覧が出ます。パラメータそのものは``named_parameters()``でたどれます。
# どの``nn.Linear``も重みとバイアスを登録しており、すべて``requires_grad=True``です。名前を見ると
# 置き場所がわかります。``layers.0``は``self.layers``の最初の層です。

for name, parameter in model.named_parameters():
    print(f"{name:16} 形状 {tuple(parameter.shape)!s:9} requires_grad={parameter.requires_grad}")
n_parameters = sum(parameter.numel() for parameter in model.parameters())
print(f"n_parameters = {n_parameters}")

# %%
# 隠れ層の重みとバイアスが :math:`512 + 512` 個、出力層が :math:`512 + 1` 個で、合わせて 1537 個の数
# です。これがすべてオプティマイザに渡されます。
#
# テンソルがパラメータになる条件
# ------------------------------
#
# モジュールは、どのテンソルを一覧に載せるかをどう判断しているのでしょうか。``nn.Linear``は重みと
# バイアスを``nn.Parameter``として持っています。これは「自分はパラメータだ」と名乗る特別な
# テンソルです。モジュールの属性に``nn.Parameter``（あるいは層そのもの）を代入すると、モジュールが
# それを登録します。それ以外のテンソルは、たとえ``requires_grad=True``でも、ただの属性です。
# 次の小さなモジュールは同じ数を 2 回持っています。1 つは前のレッスンと同じ普通のテンソル、
# もう 1 つは``nn.Parameter``で包んだものです。

print(type(model.layers[0].weight))


class TwoTensors(nn.Module):
    def __init__(self):
        super().__init__()
        self.plain = torch.tensor([0.5], requires_grad=True)  # レッスン 2 と同じ普通のテンソル
        self.wrapped = nn.Parameter(torch.tensor([0.5]))  # 同じ数をパラメータとして持つ


demo = TwoTensors()
print(f"plain: {type(demo.plain).__name__}, wrapped: {type(demo.wrapped).__name__}")
print(f"'plain' in dir(demo): {'plain' in dir(demo)}")
print(f"named_parameters(): {[name for name, _ in demo.named_parameters()]}")

# %%
# どちらのテンソルも``demo``の属性です。オブジェクトが持つものの一覧``dir(demo)``には``plain``も
# 入っています。それでも登録されているのは``wrapped``だけです。``demo.parameters()``から作った
# オプティマイザには``plain``が見えないので、``requires_grad``が``True``であっても、その値は決して
# 更新されません。自分でモジュールを書くときは、学習させたいテンソルを``nn.Parameter``で作りましょう
# （層を使えば、層がそれをやってくれます）。
#
# 損失関数とオプティマイザも、表示すると設定がわかります。

print(f"損失関数: {loss_fn}")
settings = optimizer.param_groups[0]
print(f"オプティマイザ: {type(optimizer).__name__}, 学習率 lr = {settings['lr']}, "
      f"モーメンタム = {settings['momentum']}")

# %%
# 学習の 1 ステップを 1 行ずつ
# ----------------------------
#
# 勾配降下法の 1 ステップを、素の PyTorch で書き下すと次のようになります。1 行ずつ読んでみて
# ください。この先のコース全体が、この 5 行の上に成り立っています。

optimizer.zero_grad()  # 1. 勾配をリセットする（.backward() は古い勾配に足し込むため）
prediction = model(inputs)  # 2. 順伝播：すべての入力に対するモデルの出力
loss = loss_fn(prediction, targets)  # 3. 損失：平均二乗誤差という 1 つの数
loss.backward()  # 4. 逆伝播：1537 個すべてのパラメータの .grad を埋める
optimizer.step()  # 5. 更新：各パラメータが勾配と逆向きに少しだけ動く

one_step_loss = loss.item()
with torch.no_grad():
    loss_after = loss_fn(model(inputs), targets).item()
print(f"one_step_loss = {one_step_loss:.3f}")
print(f"loss_after = {loss_after:.3f}")

# %%
# このステップの損失は 0.889 です。損失は更新の*前*（3 行目）に計算しているので、これはモデルの
# 最初の重みに対する値です。``torch.no_grad()``の中（グラフを記録しない）でもう一度モデルを評価した
# のが``loss_after``で、たった 1 ステップで損失がすでに下がっていることがわかります。
#
# .. note::
#
#    ノートブックでは、このセルを何度も実行して損失が下がっていく様子を観察できます。PyTorch での
#    学習は対話的です。モデルは普通の Python オブジェクトで、そのパラメータがその場で書き換わって
#    いくのです。
#
# 演習 3.1：学習ループ
# --------------------
#
# 学習ループは、この 5 行を何*エポック*も繰り返し（ここでは 1 エポックでデータ全体を一度に使い
# ます）、エポックごとの損失を記録します。ループの中の印の付いた行を書き換えて、関数を完成させて
# ください。チェックは独自の小さな問題であなたの関数を動かし、お手本と比べます。このページの
# モデルには触れません。

from gdguide.exercises import check_train


def train_mine(features, labels, model, loss_fn, optimizer, n_epochs):
    """model を n_epochs エポック（毎回データ全体で）学習させ、各エポックの損失を返す。"""
    losses = []
    for _ in range(n_epochs):
        # ---- ここにコードを書く：次の行を 1 ステップ分の 5 行に置き換えてください ----
        # 1. 勾配のリセット  2. 順伝播  3. 損失  4. 逆伝播  5. 更新
        # 最後にそのエポックの損失を記録します：losses.append(loss.item())
        raise NotImplementedError("学習の 1 ステップ分の 5 行を書いてください")
    return losses


print(check_train(train_mine, lang=LANG))

# %%
# .. dropdown:: 解答
#
#    .. code-block:: python
#
#       def train_mine(features, labels, model, loss_fn, optimizer, n_epochs):
#           """model を n_epochs エポック（毎回データ全体で）学習させ、各エポックの損失を返す。"""
#           losses = []
#           for _ in range(n_epochs):
#               optimizer.zero_grad()
#               prediction = model(features)
#               loss = loss_fn(prediction, labels)
#               loss.backward()
#               optimizer.step()
#               losses.append(loss.item())
#           return losses
#
#    ``loss.item()``は要素が 1 つのテンソルを Python の float に変換します。テンソルのまま保存
#    すると、そのグラフ全体までエポックごとに残り続けてしまいます。
#
# 1847 エポックの学習
# --------------------
#
# :func:`gdguide.training.train`は、あなたが書いたのと同じループに引数のチェックを加えたもので、
# 損失が NaN や無限大になった時点でエラーを出して止まります。学習は``TRAINING_EPOCHS`` = 1847
# エポック行います。オーギュスタン＝ルイ・コーシーが最急降下法を発表した年にちなんだ数です。学習は、
# 上で手動の 1 ステップを済ませたモデルから続けます。その前に乱数生成器をもう一度初期化しておきます
# （このループは乱数を使いませんが、ミニバッチをシャッフルするループなら使います）。
#
# ``train``には :class:`~gdguide.training.TrainingSnapshots` も渡しています。これは 48 個の
# エポック（はじめは毎エポック、後になるほどまばらに）で、等間隔に並べた 61 個の入力に対する
# ネットワークの出力を曲線として記録します。あとでこの記録を使って、今回の学習そのものを再生
# します。記録はモデルを読むだけなので、損失はこれを渡さない場合とまったく同じになります。

set_seed(SEED)
snapshots = TrainingSnapshots(
    torch.linspace(-1, 1, 61).reshape(-1, 1), log_spaced_epochs(TRAINING_EPOCHS, count=48)
)
losses = train(inputs, targets, model, loss_fn, optimizer, TRAINING_EPOCHS, snapshots=snapshots)
print(f"len(losses) = {len(losses)}")
print(f"losses[0] = {losses[0]:.4f}")
print(f"losses[-1] = {losses[-1]:.4f}")

# %%
# 最初のエポックの損失は、上の``loss_after``と同じです。学習は手動のステップの続きから始まった
# わけです。では結果を見てみましょう。図は二つのパネルからなります（広い画面では左右に、
# スマートフォンでは上下に並びます）。一つ目はデータとネットワークが学習した曲線です。二つ目は
# エポックごとの損失で、縦軸は対数目盛り、破線は最後のエポックの損失を示し、右上には最初の
# 100 エポックを拡大して描いてあります。

fig = plot_training_result(model, inputs, targets, losses, lang=LANG)

# %%
# ネットワークは、ノイズの下に隠れた正弦波の形を見つけ出しました。右上の拡大図を見ると、最初の
# 数十エポックでは損失が上下に揺れてから落ち着いています。モーメンタムのせいで、パラメータが谷底を
# 行き過ぎては戻るためです。その後は学習の大部分を通じて着実に下がり、最後の数百エポックは破線の
# 高さで横ばいになります。
#
# 学習の再生
# ----------
#
# 上の図が示すのは学習の終わりの姿だけです。下の図では、そこに至るまでの途中をたどれます。
# スライダーを動かすと、記録したエポックが順に表示されます。データの図にはそのエポックで
# ネットワークが描いていた曲線が、損失の図には損失の線の上でのそのエポックの位置が示されます。
# 最初の数十エポックでは、曲線がシーソーのように傾きを変えます。急になり、緩やかになり、また急に
# なります。損失が上下に揺れるのはこのためで、モーメンタムによってパラメータが行き過ぎては戻って
# いるのです。やがて曲線は斜めの直線に近い形に落ち着き、その後の数百エポックをかけて両端が曲がり、
# 正弦波の形になっていきます。
# スライダーは矢印キーや Home キー、End キーでも動かせます。損失の図をクリックすると、
# いちばん近い記録済みのエポックに移ります。

TrainingReplayExplorer(snapshots, losses, inputs, targets, lang=LANG)

# %%
# どこまで下がればよいのか
# ------------------------
#
# 損失はゼロにはなりませんし、なるべきでもありません。目標値にはノイズが含まれており、なめらかな
# 曲線がそれをなぞることはできない（なぞるべきでもない）からです。では、ノイズはどのくらいの
# 大きさでしょうか。このサンプルについては正確にわかります。目標値は :math:`\sin(\pi x)` に
# ノイズを足したものなので、``targets``から :math:`\sin(\pi x)` を引けばノイズそのものが残ります。
# その二乗の平均は、真の曲線 :math:`\sin(\pi x)` 自身がこのデータで出す損失です。

noise = targets - torch.sin(math.pi * inputs)
noise_mse = (noise**2).mean().item()
print(f"noise_mse = {noise_mse:.4f}")
print(f"losses[-1] = {losses[-1]:.4f}")
print(f"losses[-1] < noise_mse: {losses[-1] < noise_mse}")

# %%
# 最後の損失 0.0673 は、ノイズの二乗の平均 0.0767 より*小さく*なっています。ネットワークの曲線は、
# 真の正弦波よりもこの 32 個の点の近くを通っているのです。つまりネットワークはノイズまで当てはめ
# 始めています。このサンプルだけの偶然のばらつきを覚え始めていて、それは新しいサンプルには
# 当てはまりません。32 個の点に対して 1537 個のパラメータがあるので、それだけの余地があるのです。
# モデルが関数について学んだことと、ノイズについて覚えてしまったこと（*過学習*）をどう見分けるかは、
# コースの後半で扱います。
#
# まとめ
# ------
#
# * モデルは``nn.Module``を継承したクラスです。``__init__``で``super().__init__()``を呼んでから層を
#   作り、``forward``で出力を計算します。実行するには``model(x)``と書きます。
# * モジュールは、属性に代入された``nn.Parameter``と層を登録します。``model.parameters()``で
#   それらをまとめてオプティマイザに渡せます（ここでは 1537 個）。``requires_grad=True``の
#   普通のテンソルは登録されません。
# * 学習には、パラメータ、損失関数（``nn.MSELoss``）、オプティマイザ（学習率 0.003、モーメンタム 0.9
#   の``torch.optim.SGD``。モーメンタムは過去の勾配を減衰させながら足し合わせた :math:`v` の向きに
#   進みます）が必要です。
# * 学習の 1 ステップは``optimizer.zero_grad()``、``prediction = model(x)``、
#   ``loss = loss_fn(prediction, y)``、``loss.backward()``、``optimizer.step()``の 5 行です。
#   学習ループはこれを繰り返し、``loss.item()``を記録します。
# * 損失がデータのノイズより小さくなったら、モデルはノイズまで当てはめ始めています。
# * データを作る前とモデルを作る前にシードを設定すると、何度実行しても同じ数値が表示されます。
#
# 今日学んだこと
# --------------
#
# * **勾配**は関数が最も急に増える方向を指します。**勾配降下法**はその逆向きに、勾配の
#   :math:`\eta` 倍の幅で進みます。必要なのは、パラメータについての損失の微分だけです。
# * **計算グラフ**は複雑な関数を単純な計算の連なりに分解します。**逆伝播**はグラフに沿って
#   局所微分を掛け合わせ（**連鎖律**）、すべての勾配を一度に求めます。
# * PyTorch の**自動微分**は順伝播の間にこのグラフを記録し、逆伝播を代わりに実行してくれます。
#   その勾配は、許容誤差付きで比べれば手計算の勾配と一致します。
# * ``nn.Module``、損失関数、オプティマイザを組み合わせると**学習ループ**になり、ネットワークを
#   データに当てはめられます。
