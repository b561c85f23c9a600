r"""
3 ネットワークを学習させる：nn.Module・損失・オプティマイザ・学習ループ
==========================================================================

前のレッスンでは、自分で作った 2 つのパラメータを持つニューロン 1 個について、
自動微分で損失の勾配を求めました。しかし実際のネットワークのパラメータは何千、何百万とあり、
1 つずつ手で作る人はいません。 PyTorch の ``torch.nn`` パッケージには、
層・活性化関数・損失関数といった部品がそろっており、 ``torch.optim`` には、
すべてのパラメータにまとめて勾配降下法を適用するオプティマイザが用意されています。

このレッスンでは、隠れ層が 1 つの幅の広いネットワークを学習させ、
ノイズの乗った正弦波のデータに当てはめます。

**このレッスンで学ぶこと**

* ``nn.Module`` とは何か、そして層がパラメータをどのように *登録* するのか
* 学習に必要な 3 つの要素：モデルのパラメータ、損失関数、オプティマイザ
* 学習の 1 ステップを構成する 5 行（勾配のリセット、順伝播、損失、逆伝播、更新）。まず手で 1 回
  実行し、次にそれを繰り返すループを自分で書きます
* 1847 エポックの間に損失がどう下がり、学習したネットワークが何を身につけたのか
"""

# %%
from gdguide.language import use_language

LANG = use_language("ja")

import torch
from torch import nn

from gdguide.plots import plot_data, plot_training_result
from gdguide.reproducibility import SEED, set_seed
from gdguide.training import TRAINING_EPOCHS, make_sine_data, make_training_setup, train

# %%
# 3 つの要素
# ----------
#
# 学習には次の 3 つが必要です。
#
# * **モデルのパラメータ**：オプティマイザが変更してよいテンソルのすべてです。``torch.nn``
#   の層から組み立てたモデルは ``nn.Module`` です。各層は重みとバイアスを ``requires_grad=True``
#   で作り、モジュールに *登録* します。そのため ``model.parameters()`` を 1 回呼ぶだけで、
#   すべてのパラメータをオプティマイザに渡せます。（``requires_grad=True``
#   の普通のテンソルをモジュールに持たせただけでは登録されません。登録するには ``nn.Parameter``
#   で包みます。）
# * **損失関数**：小さくしたい値です。ここでは平均二乗誤差 ``nn.MSELoss`` を使います。前のレッスンの
#   二乗誤差を、データ全体で平均したものです。
# * **オプティマイザ**：パラメータを管理し、``step()`` メソッドが呼ばれると各パラメータの ``.grad``
#   を使って値を更新します。ここでは ``torch.optim.SGD`` を使います。これは *モーメンタム*
#   （過去の勾配の移動平均。コースの後半で詳しく扱います）付きの勾配降下法です。
#
# データ
# ------
#
# 課題は回帰です。入力は :math:`[-1, 1]` に等間隔に並んだ 32 個の点で、目標値は正弦波
# :math:`\sin(\pi x)` に標準偏差 :math:`1/4` のガウスノイズを加えたものです。
# :func:`gdguide.training.make_sine_data` はノイズを生成する直前に乱数生成器を ``SEED``（2021）で
# 初期化するので、何度実行しても同じデータになります。

inputs, targets = make_sine_data(seed=SEED)
print(f"入力: 形状 {tuple(inputs.shape)}, 目標値: 形状 {tuple(targets.shape)}")
fig = plot_data(inputs, targets, lang=LANG)

# %%
# データは形状 ``(32, 1)`` の *列* になっています。特徴量を 1 つずつ持つサンプルが 32 個ある、という
# 意味で、``nn.Linear`` が受け取る形です。
#
# モデル：幅の広いネットワーク
# ----------------------------
#
# ネットワークは ``tanh`` のセル 512 個からなる隠れ層を 1 つ持ちます：
# ``Linear(1, 512) → Tanh → Linear(512, 1)``。各セルは :math:`\tanh(w x + b)`、
# つまり前のレッスンのニューロンそのものを計算し、出力層はそれぞれ独自の重みを掛けて
# 512 個のセルの出力を足し合わせます。 :func:`gdguide.training.make_training_setup`
# は乱数生成器をもう一度初期化してから、モデル（初期の重みは乱数なのでシードが必要です）、損失関数、
# オプティマイザをこの順に作ります。

model, loss_fn, optimizer = make_training_setup(seed=SEED)
print(model)
print(f"nn.Module かどうか: {isinstance(model, nn.Module)}")

# %%
# モジュールを表示すると層の一覧が出ます。パラメータそのものは ``named_parameters()`` でたどれます。
# どの ``nn.Linear`` も重みとバイアスを登録しており、すべて ``requires_grad=True`` です。

for name, parameter in model.named_parameters():
    print(f"{name:16} 形状 {tuple(parameter.shape)!s:9} requires_grad={parameter.requires_grad}")
n_parameters = sum(parameter.numel() for parameter in model.parameters())
print(f"パラメータの数: {n_parameters}")

# %%
# 隠れ層の重みとバイアスが :math:`512 + 512` 個、出力層が :math:`512 + 1` 個で、合わせて 1537 個の数
# です。これがすべてオプティマイザに渡されます。

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

print(f"このステップの損失: {loss.item():.3f}")
with torch.no_grad():
    print(f"更新後の損失: {loss_fn(model(inputs), targets).item():.3f}")

# %%
# 損失は更新の *前*（手順 3）に計算しているので、表示された値は最初のパラメータに対するものです。
# ``torch.no_grad()`` の中（グラフを記録しない）でもう一度モデルを評価すると、たった 1 ステップで
# 損失がすでに下がっていることがわかります。
#
# .. note::
#
#    ノートブックでは、このセルを何度も実行して損失が下がっていく様子を観察できます。PyTorch での
#    学習は対話的です。モデルは普通の Python オブジェクトで、そのパラメータがその場で書き換わって
#    いくのです。
#
# 演習：学習ループ
# ----------------
#
# 学習ループは、この 5 行を何 *エポック* も繰り返し（ここでは 1 エポックでデータ全体を一度に使い
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
# .. dropdown:: 解答例
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
#    ``loss.item()`` は要素が 1 つのテンソルを Python の float に変換します。テンソルのまま保存
#    すると、そのグラフ全体までエポックごとに残り続けてしまいます。
#
# 1847 エポックの学習
# --------------------
#
# :func:`gdguide.training.train` は同じループに引数のチェックを加えたもので、損失が NaN や無限大に
# なった時点でエラーを出して止まります。学習は ``TRAINING_EPOCHS`` = 1847 エポック行います。
# オーギュスタン＝ルイ・コーシーが最急降下法を発表した年にちなんだ数です。元の教材と同じく、学習は
# 上で手動の 1 ステップを済ませたモデルから続けます。その前に乱数生成器をもう一度初期化しておきます
# （このループは乱数を使いませんが、ミニバッチをシャッフルするループなら使います）。

set_seed(SEED)
losses = train(inputs, targets, model, loss_fn, optimizer, TRAINING_EPOCHS)
print(f"エポック数: {len(losses)}")
print(f"最初のエポックの損失: {losses[0]:.4f}")
print(f"最後のエポックの損失: {losses[-1]:.4f}")

# %%
# 最初のエポックの損失は、上で表示した「更新後の損失」と同じです。学習は手動のステップの続きから
# 始まったわけです。では結果を見てみましょう。左はデータとネットワークが学習した曲線、右は
# エポックごとの損失です（縦軸は対数目盛りです）。

fig = plot_training_result(model, inputs, targets, losses, lang=LANG)

# %%
# ネットワークは、ノイズの下に隠れた正弦波の形を見つけ出しました。最初の数十エポックでは損失が
# 上下に揺れます。モーメンタムのせいでパラメータが谷底を行き過ぎては戻るためです。その後は着実に
# 下がり、最後は横ばいになります。損失はゼロにはなりませんし、なるべきでもありません。目標値には
# ノイズが含まれており、なめらかな曲線がそれを正確になぞることはできない（なぞるべきでもない）から
# です。残った損失は、ノイズの分散 :math:`(1/4)^2 \approx 0.06` に近い値です。
#
# まとめ
# ------
#
# * ``torch.nn`` の層から作った ``nn.Module`` は層のパラメータを登録し、``model.parameters()`` で
#   それらをまとめてオプティマイザに渡せます（ここでは 1537 個）。
# * 学習には、パラメータ、損失関数（``nn.MSELoss``）、オプティマイザ（学習率 0.003、モーメンタム 0.9
#   の ``torch.optim.SGD``）が必要です。
# * 学習の 1 ステップは ``optimizer.zero_grad()``、``prediction = model(x)``、
#   ``loss = loss_fn(prediction, y)``、``loss.backward()``、``optimizer.step()`` の 5 行です。
#   学習ループはこれを繰り返し、``loss.item()`` を記録します。
# * データを作る前とモデルを作る前にシードを設定すると、何度実行しても同じ数値が表示されます。
#
# 今日学んだこと
# --------------
#
# * **勾配** は関数が最も急に増える方向を指します。**勾配降下法** はその逆向きに、勾配の
#   :math:`\eta` 倍の幅で進みます。必要なのは、パラメータについての損失の微分だけです。
# * **計算グラフ** は複雑な関数を単純な計算の連なりに分解します。**逆伝播**
#   はグラフに沿って局所微分を掛け合わせ（**連鎖律**）、すべての勾配を一度に求めます。
# * PyTorch の **自動微分** は順伝播の間にこのグラフを記録し、逆伝播を代わりに実行してくれます。
#   その勾配は、許容誤差付きで比べれば手計算の勾配と一致します。
# * ``nn.Module``、損失関数、オプティマイザを組み合わせると **学習ループ** になり、ネットワークを
#   データに当てはめられます。
