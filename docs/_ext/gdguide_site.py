"""Site-specific Sphinx glue: language alternates, local KaTeX assets, lesson time limit.

Kept apart from conf.py so that conf.py reads as settings only.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform
from sphinx_gallery import gen_rst, notebook
from sphinx_gallery.utils import _replace_md5
from sphinxcontrib import katex

from gdguide.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE_NAMES = {code: language.name for code, language in LANGUAGES.items()}
KATEX_SOURCE_DIR = ROOT / "node_modules" / "katex" / "dist"
KATEX_VENDOR_DIR = ROOT / "build" / "vendor"

#: Seconds one lesson may run before the build stops it (GDGUIDE_LESSON_TIMEOUT overrides).
DEFAULT_LESSON_TIMEOUT = 300

_FIRST_CELL = {
    "en": (
        "# Run this notebook on your own machine\n"
        "# ------------------------------------\n"
        "# It needs the gdguide package. From a clone of the gdguide repository, install it once\n"
        "# with the pinned versions the site was built with (in a terminal, at the clone's root):\n"
        "#\n"
        "#     python -m pip install -c constraints.txt -e .\n"
        "#\n"
        "# or from inside Jupyter, replacing PATH with the clone's folder:\n"
        "#\n"
        "#     %pip install -c PATH/constraints.txt -e PATH\n"
        "#\n"
        "# Then run the cells from top to bottom."
    ),
    "ja": (
        "# このノートブックを手元で動かすには\n"
        "# ------------------------------------\n"
        "# gdguide パッケージが必要です。gdguide リポジトリをクローンしたフォルダの一番上で、\n"
        "# サイトのビルドと同じ固定バージョンを使って一度だけインストールしてください\n"
        "# （ターミナルで実行）:\n"
        "#\n"
        "#     python -m pip install -c constraints.txt -e .\n"
        "#\n"
        "# Jupyter の中から入れる場合は、PATH をクローンしたフォルダに置き換えて実行します:\n"
        "#\n"
        "#     %pip install -c PATH/constraints.txt -e PATH\n"
        "#\n"
        "# あとは上のセルから順に実行してください。"
    ),
}


def lesson_first_cell(language: str) -> str:
    """Return the first cell of every downloaded notebook: how to install, in *language*."""
    return _FIRST_CELL[language]


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
    if (target / "katex.min.css").is_file():
        return target
    if not css.is_file():
        raise ConfigError(
            f"KaTeX assets not found at {KATEX_SOURCE_DIR}: run `npm ci` at the repository root "
            "(make html does this)"
        )
    KATEX_VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="katex-", dir=KATEX_VENDOR_DIR))
    shutil.copy2(css, staging / "katex.min.css")
    (staging / "fonts").mkdir()
    for font in sorted((KATEX_SOURCE_DIR / "fonts").glob("*.woff2")):
        shutil.copy2(font, staging / "fonts" / font.name)
    try:
        staging.rename(target)
    except OSError:  # the other language build got there first
        shutil.rmtree(staging)
    return target


def _add_language_alternates(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Add ``<link rel="alternate" hreflang>`` for this page in every language."""
    root = context.get("content_root", "")
    suffix = context.get("file_suffix", ".html")
    links = [
        f'<link rel="alternate" hreflang="{code}" href="{root}../{code}/{pagename}{suffix}" />'
        for code in LANGUAGE_NAMES
    ]
    links.append(f'<link rel="alternate" hreflang="x-default" href="{root}../index.html" />')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(links)


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


_DROPDOWN = re.compile(
    r"^\.\. dropdown::[ \t]*(?P<title>[^\n]*)\n(?P<body>(?:[ \t]*\n|[ \t]+\S[^\n]*\n)*)", re.M
)
_ROLE = re.compile(r":(?!math:)[\w:.-]+:`~?(?P<text>[^`]+)`")
_rst2md = notebook.rst2md


def _notebook_markdown(text: str, *args: Any, **kwargs: Any) -> str:
    """Convert a lesson's reST text for a notebook, folding solutions like the page does.

    sphinx-gallery's converter knows neither sphinx-design's ``dropdown`` nor Sphinx roles such
    as ``:func:``; without this the notebook would show the solution open, as raw reST. Here a
    dropdown becomes an HTML ``<details>`` block (folded in Jupyter too) and a role its text in
    code style.
    """

    def fold(match: re.Match) -> str:
        body = textwrap.dedent(match.group("body")).strip("\n")
        return f"<details><summary>{match.group('title')}</summary>\n\n{body}\n\n</details>\n\n"

    text = _DROPDOWN.sub(fold, text + "\n")
    text = _ROLE.sub(lambda match: f"`{match.group('text')}`", text)
    return _rst2md(text, *args, **kwargs)


def _reproducible_zip(file_list: list, zipname: str | Path, relative_to: str | Path,
                      extension: str | None = None) -> str:
    """Write a lesson's zip download like sphinx-gallery does, minus the file timestamps.

    The stock version stores each file's modification time, so two builds of one commit gave
    different zips. Entries here carry a fixed date and sort order.
    """
    zipname = Path(zipname)
    staging = zipname.with_name(zipname.name + ".new")
    with zipfile.ZipFile(staging, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for fname in sorted(Path(f) for f in file_list):
            if extension is not None:
                fname = fname.with_suffix(extension)
            entry = zipfile.ZipInfo(Path(os.path.relpath(fname, relative_to)).as_posix(),
                                    date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, fname.read_bytes())
    _replace_md5(str(staging))
    return str(zipname)


def _start_katex_server(cls: type, rundir: Path, timeout: float) -> tuple:
    """Start sphinxcontrib-katex's render server, waiting until it accepts connections.

    Upstream connects as soon as the socket file exists, but node creates that file (bind)
    slightly before it listens, so on a busy machine the first connect is refused and the whole
    build fails. This version retries the connect until *timeout*.
    """
    socket_path = rundir / "katex.sock"
    process = subprocess.Popen(
        cls.build_command(socket=socket_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        cwd=rundir,
    )
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the KaTeX server exited with code {process.returncode}")
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(str(socket_path))
                return process, sock
            except (ConnectionRefusedError, FileNotFoundError):
                sock.close()
        if time.monotonic() > deadline:
            process.kill()
            raise cls.timeout_error(timeout)
        time.sleep(0.01)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the site's hooks with Sphinx."""
    ensure_katex_assets()
    katex.KaTeXServer.start_server_process = classmethod(_start_katex_server)
    notebook.rst2md = _notebook_markdown
    gen_rst.zip_files = _reproducible_zip
    app.add_transform(JoinJapaneseLines)
    app.connect("html-page-context", _add_language_alternates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
