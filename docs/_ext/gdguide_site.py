"""Site-specific Sphinx glue: local KaTeX assets, lesson time limit, Japanese line breaks.

The downloads are gdguide_downloads' job; the KaTeX server fix is katex_server_patch's; what a
page loads and says about itself (assets, figures, description, alternates) is gdguide_pages'.

Kept apart from conf.py so that conf.py reads as settings only.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform

from gdguide.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE_NAMES = {code: language.name for code, language in LANGUAGES.items()}
KATEX_SOURCE_DIR = ROOT / "node_modules" / "katex" / "dist"
KATEX_VENDOR_DIR = ROOT / "build" / "vendor"

#: Added to each of KaTeX's @font-face rules in the served copy of its style sheet.
FONT_DISPLAY = "font-display:swap;"

#: Seconds one lesson may run before the build stops it (GDGUIDE_LESSON_TIMEOUT overrides).
DEFAULT_LESSON_TIMEOUT = 300

class LessonTimeoutError(TimeoutError):
    """Raised inside a lesson that runs longer than the time limit."""


def _on_alarm(signum: int, frame: Any) -> None:
    limit = os.environ.get("GDGUIDE_LESSON_TIMEOUT", DEFAULT_LESSON_TIMEOUT)
    raise LessonTimeoutError(
        f"the lesson ran longer than its time limit of {limit} s and was stopped "
        "(set GDGUIDE_LESSON_TIMEOUT to change the limit)"
    )


def lesson_time_limit(gallery_conf: dict, fname: str, when: str) -> None:
    """Arm a per-lesson alarm before each lesson runs and disarm it afterwards.

    Called by sphinx-gallery as a ``reset_modules`` entry. The alarm raises inside the lesson's
    code, so sphinx-gallery reports it like any other failing lesson: file, line and message.
    """
    if when == "before":
        seconds = int(os.environ.get("GDGUIDE_LESSON_TIMEOUT", DEFAULT_LESSON_TIMEOUT))
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(seconds)
    else:
        signal.alarm(0)


def ensure_katex_assets() -> Path:
    """Copy KaTeX's style sheet and woff2 fonts from node_modules into the vendor folder.

    The copy is built aside and renamed into place, so two language builds running side by
    side never see a half-written folder.
    """
    target = KATEX_VENDOR_DIR / "katex"
    css = KATEX_SOURCE_DIR / "katex.min.css"
    if FONT_DISPLAY in _read(target / "katex.min.css"):
        return target
    if not css.is_file():
        raise ConfigError(
            f"KaTeX assets not found at {KATEX_SOURCE_DIR}: run `npm ci` at the repository root "
            "(make html does this)"
        )
    KATEX_VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="katex-", dir=KATEX_VENDOR_DIR))
    # KaTeX's @font-face rules name no font-display: text waits for the fonts (invisible
    # formulas on a slow phone). With swap, math shows at once in a fallback font, then sharpens.
    (staging / "katex.min.css").write_text(
        css.read_text(encoding="utf-8").replace("@font-face{", "@font-face{" + FONT_DISPLAY),
        encoding="utf-8",
    )
    (staging / "fonts").mkdir()
    for font in sorted((KATEX_SOURCE_DIR / "fonts").glob("*.woff2")):
        shutil.copy2(font, staging / "fonts" / font.name)
    if target.is_dir() and FONT_DISPLAY not in _read(target / "katex.min.css"):
        shutil.rmtree(target, ignore_errors=True)  # a copy made before font-display was added
    try:
        staging.rename(target)
    except OSError:  # the other language build got there first
        shutil.rmtree(staging)
    return target


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# A line break with Japanese on at least one side ("3\nつ", "PyTorch\nでは", "勾配\nを").
_CJK_LINE_BREAK = re.compile(
    rf"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=\S)|(?<=\S)[ \t]*\n[ \t]*(?=[{_CJK}])"
)


class JoinJapaneseLines(SphinxTransform):
    """Drop source line breaks next to Japanese characters.

    HTML shows a line break as a space, which Japanese text does not have: a sentence wrapped
    in the source would show stray spaces in the middle of words. Code, math and raw HTML are
    left as written.
    """

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        """Rewrite the text nodes of the document in place."""
        skip = (nodes.FixedTextElement, nodes.literal, nodes.math, nodes.raw)
        for text in list(self.document.findall(nodes.Text)):
            if "\n" not in text or any(isinstance(a, skip) for a in _ancestors(text)):
                continue
            # The characters around the node count too: a line break right before or after
            # **bold** or *italic* sits at the edge of its text node ("を\n" + "勾配").
            before, after = _neighbour_characters(text)
            padded = _CJK_LINE_BREAK.sub("", before + str(text) + after)
            joined = padded[len(before) : len(padded) - len(after)]
            if joined != str(text):
                text.parent.replace(text, nodes.Text(joined))


def _neighbour_characters(text: nodes.Text) -> tuple[str, str]:
    """The visible characters just before and after *text* in its paragraph ("" if none).

    Whitespace is not returned: the line-break pattern must only ever remove characters of
    *text* itself.
    """
    paragraph = next((a for a in _ancestors(text) if isinstance(a, nodes.TextElement)), None)
    if paragraph is None:
        return "", ""
    texts = list(paragraph.findall(nodes.Text))
    index = next(i for i, other in enumerate(texts) if other is text)
    before = str(texts[index - 1])[-1:] if index > 0 else ""
    after = str(texts[index + 1])[:1] if index + 1 < len(texts) else ""
    return ("" if before.isspace() else before), ("" if after.isspace() else after)


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the site's hooks with Sphinx."""
    ensure_katex_assets()
    app.add_transform(JoinJapaneseLines)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
