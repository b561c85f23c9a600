import io
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

from gdguide.language import use_language
from gdguide.languages import LANGUAGES

JAPANESE_FONT = LANGUAGES["ja"].font.family


@pytest.fixture(autouse=True)
def restore_rcparams():
    with mpl.rc_context():
        yield
    plt.close("all")


def test_japanese_sets_a_font_with_japanese_glyphs():
    assert use_language("ja") == "ja"
    assert mpl.rcParams["font.family"][0] == JAPANESE_FONT
    fig, ax = plt.subplots()
    ax.set_title("勾配ベクトルは最も急な上り方向を指す")
    ax.set_xlabel("x（入力）")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        fig.savefig(io.BytesIO(), format="png")
    assert mpl.rcParams["savefig.facecolor"] == "white"


def test_english_restores_the_default_family():
    use_language("ja")
    assert use_language("en") == "en"
    assert mpl.rcParams["font.family"] == mpl.rcParamsDefault["font.family"]
    assert mpl.rcParams["figure.facecolor"] == "white"


@pytest.mark.parametrize(
    ("value", "error"), [("fr", ValueError), (None, TypeError), (1, TypeError)]
)
def test_unknown_language_is_refused(value, error):
    with pytest.raises(error, match="lang"):
        use_language(value)
