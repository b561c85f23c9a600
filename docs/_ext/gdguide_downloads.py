"""Lesson downloads that run from the site alone.

sphinx-gallery writes one notebook (``auto_examples/<lesson>.ipynb``) and one copy of the script
per lesson. Right after it (``builder-inited``), this extension reads those files and writes, with
nbformat, the downloads the lesson page offers instead, named so that both languages can live in
one folder:

- ``<lesson>.<lang>.exercises.ipynb``: sphinx-gallery's notebook with each ``.. dropdown::`` folded
  into an HTML ``<details>`` block (Jupyter folds it too) and Sphinx roles shown as code;
- ``<lesson>.<lang>.solutions.ipynb``: the same, with each exercise's starter definition replaced
  by the solution shown in the dropdown that follows it;
- ``<lesson>.<lang>.py``: the lesson script with the install check as its first cell.

The first cell of every download (sphinx-gallery's documented ``first_notebook_cell``, see
:func:`first_cell`) checks that gdguide is importable and, if not, prints the install commands in
the reader's language. The download area of each lesson page is rewritten (``source-read``) to offer
these files and the offline kit, and the pages name the published library files with the role
``site-download`` and the directive ``site-commands``.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import itertools
import re
import textwrap
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import nbformat
import sphinx_gallery
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx_gallery.notebook import rst2md
from sphinx_gallery.py_source_parser import split_code_and_text_blocks

ROOT = Path(__file__).resolve().parents[2]
#: Folder of the published library files and kits, at the site's root (shared by the languages).
DOWNLOADS = "downloads"
#: The page that explains how to run the downloads (same name in both trees).
RUN_LOCALLY_PAGE = "run-locally"


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """Return gdguide's version: the one value in pyproject.toml."""
    with pyproject.open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def site_files(version: str, lang: str) -> dict[str, str]:
    """File names of what the site publishes under ``downloads/`` for one language's readers."""
    return {
        "wheel": f"gdguide-{version}-py3-none-any.whl",
        "sdist": f"gdguide-{version}.tar.gz",
        "constraints": "constraints.txt",
        "kit": f"gdguide-{version}-lessons-{lang}.zip",
    }


def lesson_files(lesson: str, lang: str) -> dict[str, str]:
    """File names of one lesson's downloads in one language."""
    return {
        "exercises": f"{lesson}.{lang}.exercises.ipynb",
        "solutions": f"{lesson}.{lang}.solutions.ipynb",
        "script": f"{lesson}.{lang}.py",
    }


# ---- the first cell of every download -------------------------------------------------------

_MISSING = {
    "en": """\
gdguide, the library the lessons run on, is not installed for this Python,
so the lesson cannot run yet. To install it:

1. Download these two files from the site (the offline kit has both) and
   put them in one folder:
       {wheel}
       constraints.txt
2. In a terminal, in that folder, make a virtual environment and install
   gdguide in it, with the versions the site was built with:
       python -m venv .venv
       .venv/bin/python -m pip install -c constraints.txt {wheel}
       .venv/bin/python -m pip install -c constraints.txt jupyterlab
   On Windows, write .venv\\Scripts\\python instead of .venv/bin/python.
3. Start Jupyter from that environment (.venv/bin/jupyter lab, on Windows
   .venv\\Scripts\\jupyter lab) and open this notebook again, or run the
   .py file with .venv/bin/python.

Step by step: {page}""",
    "ja": """\
レッスンを動かすためのライブラリ gdguide が、この Python にはまだ
インストールされていません。次の手順でインストールしてください。

1. サイトから次の2つのファイルをダウンロードし、同じフォルダに置きます
   （オフラインキットには両方が入っています）。
       {wheel}
       constraints.txt
2. ターミナルでそのフォルダに移動し、仮想環境を作って、サイトのビルドと
   同じバージョンで gdguide をインストールします。
       python -m venv .venv
       .venv/bin/python -m pip install -c constraints.txt {wheel}
       .venv/bin/python -m pip install -c constraints.txt jupyterlab
   Windows では .venv/bin/python の代わりに .venv\\Scripts\\python と書きます。
3. その環境の Jupyter を起動して（.venv/bin/jupyter lab、Windows では
   .venv\\Scripts\\jupyter lab）このノートブックを開き直すか、.py ファイルを
   .venv/bin/python で実行してください。

詳しい手順: {page}""",
}

_OTHER_VERSION = {
    "en": """\
Note: gdguide {{installed}} is installed, but the site made this lesson with
gdguide {{SITE_GDGUIDE_VERSION}}, so some numbers or messages may differ from the page.
To match it, install {wheel} from the site.
Step by step: {page}""",
    "ja": """\
注意: インストールされている gdguide は {{installed}} ですが、サイトはこのレッスンを
gdguide {{SITE_GDGUIDE_VERSION}} で作りました。数値やメッセージがページと異なることが
あります。そろえるには、サイトの {wheel} をインストールしてください。
詳しい手順: {page}""",
}

_SOLUTION_ELSEWHERE = {
    "en": "The solution is in the solutions notebook, `{notebook}`: try the exercise first.",
    "ja": (
        "解答は解答つきのノートブック `{notebook}` にあります。まずは自分で取り組んでみましょう。"
    ),
}

_PAGE = {
    "en": 'the page "Run the lessons on your computer" of the gdguide site',
    "ja": "gdguide サイトのページ「手元のコンピューターでレッスンを動かす」",
}

_CELL = '''\
# {comment}
import importlib.metadata
import importlib.util
import sys

SITE_GDGUIDE_VERSION = "{version}"  # {version_comment}

if importlib.util.find_spec("gdguide") is None:
    print("""{missing}""")
    if "ipykernel" not in sys.modules:  # {script_comment}
        sys.exit(1)
else:
    try:
        installed = importlib.metadata.version("gdguide")
    except importlib.metadata.PackageNotFoundError:  # {folder_comment}
        import gdguide

        installed = gdguide.__version__
    if installed != SITE_GDGUIDE_VERSION:
        print(f"""{other}""")'''

_CELL_COMMENTS = {
    "en": {
        "comment": "Is gdguide, the library the lessons run on, installed? (The site adds this "
        "cell to every\n# download; when all is well it prints nothing.)",
        "version_comment": "the version the site ran this lesson with",
        "script_comment": "a script stops here; a notebook shows the message",
        "folder_comment": "importable from a folder, not installed",
    },
    "ja": {
        "comment": "レッスンが使うライブラリ gdguide がインストールされているかを確かめます"
        "（サイトがすべての\n# ダウンロードの最初に加えるセルです。"
        "問題がなければ何も表示しません）。",
        "version_comment": "サイトがこのレッスンの実行に使ったバージョン",
        "script_comment": "スクリプトはここで終了（ノートブックは表示だけ）",
        "folder_comment": "フォルダから読み込まれている場合",
    },
}


def run_locally_link(lang: str, site_url: str) -> str:
    """How the downloads name the run-locally page: its title, and its address when known."""
    if site_url:
        return f"{_PAGE[lang]} ({site_url.rstrip('/')}/{lang}/{RUN_LOCALLY_PAGE}.html)"
    return f"{_PAGE[lang]} ({lang}/{RUN_LOCALLY_PAGE}.html)"


def first_cell(lang: str, version: str, site_url: str = "") -> str:
    """The first code cell of every download: check that gdguide is there, in *lang*."""
    page = run_locally_link(lang, site_url)
    wheel = site_files(version, lang)["wheel"]
    missing = _MISSING[lang].format(wheel=wheel, page=page)
    other = _OTHER_VERSION[lang].format(wheel=wheel, page=page)
    return _CELL.format(
        version=version,
        missing=missing.replace("\\", "\\\\"),
        other=other.replace("\\", "\\\\"),
        **_CELL_COMMENTS[lang],
    )


# ---- notebook variants ---------------------------------------------------------------------

_DROPDOWN = re.compile(
    r"^\.\. dropdown::[ \t]*(?P<title>[^\n]*)\n(?P<body>(?:[ \t]*\n|[ \t]+\S[^\n]*\n)*)", re.M
)
_OPTIONS = re.compile(r"\A(?::[\w-]+:(?: [^\n]*)?\n)+")  # a directive's options open its body
_ROLE = re.compile(r":(?!math:)[\w:.-]+:`(?P<text>[^`]+)`")
_CODE_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)\.\. code-block:: python[ \t]*\n(?:(?P=indent)[ \t]+:[\w-]+:.*\n)*"
    r"[ \t]*\n(?P<code>(?:(?P=indent)[ \t]+\S.*\n|[ \t]*\n)+)",
    re.M,
)


def _role_text(match: re.Match) -> str:
    """The text Sphinx shows for a role: ``title <target>`` -> title, ``~a.b`` -> b."""
    text = match.group("text")
    titled = re.fullmatch(r"(?s)(?P<title>.+?)\s*<[^<>]+>", text)
    if titled:
        return titled.group("title")
    if text.startswith("~"):
        text = text[1:].rsplit(".", 1)[-1]
    return f"`{text}`"


def _roles_as_code(markdown: str) -> str:
    """Show Sphinx roles as their text, outside fenced code."""
    pieces = re.split(r"(^```.*?^```[ \t]*$)", markdown, flags=re.M | re.S)
    return "".join(
        piece if index % 2 else _ROLE.sub(_role_text, piece) for index, piece in enumerate(pieces)
    )


def _segments(text: str) -> list[tuple[str | None, str]]:
    """Split a reST text block into (None, text) and (dropdown title, dropdown body) parts."""
    parts: list[tuple[str | None, str]] = []
    position = 0
    for match in _DROPDOWN.finditer(text + "\n"):
        parts.append((None, text[position:match.start()]))
        body = _OPTIONS.sub("", textwrap.dedent(match.group("body")).lstrip("\n"))
        parts.append((match.group("title").strip(), body))
        position = match.end()
    parts.append((None, text[position:]))
    return [(title, body) for title, body in parts if title is not None or body.strip()]


def solution_codes(text: str) -> list[str]:
    """Python shown in ``.. code-block:: python`` inside the dropdowns of a reST text block."""
    codes = []
    for title, body in _segments(text):
        if title is None:
            continue
        for match in _CODE_BLOCK.finditer(body + "\n"):
            codes.append(textwrap.dedent(match.group("code")).strip("\n"))
    return codes


def _is_starter(node: ast.AST) -> bool:
    """A function or class whose body raises NotImplementedError: an exercise to complete."""
    if not isinstance(node, ast.FunctionDef | ast.ClassDef):
        return False
    for inner in ast.walk(node):
        if isinstance(inner, ast.Raise) and inner.exc is not None:
            exc = inner.exc.func if isinstance(inner.exc, ast.Call) else inner.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                return True
    return False


def _definitions(code: str) -> dict[str, ast.AST]:
    return {
        node.name: node
        for node in ast.parse(code).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }


class LessonError(ExtensionError):
    """A lesson breaks the download convention; the message names its file and line."""


def _line_in(path: Path, name: str) -> int:
    """The line of the script where the starter *name* is defined (for error messages)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name:
            return node.lineno
    return 1


def _with_solutions(code: str, solutions: list[str], path: Path) -> tuple[str, int]:
    """Replace each starter definition of a code cell with its solution; return (code, count)."""
    lines = code.split("\n")
    replaced = 0
    starters = [node for node in ast.parse(code).body if _is_starter(node)]
    for node in sorted(starters, key=lambda n: n.lineno, reverse=True):
        found = [s for s in solutions if node.name in _definitions(s)]
        if not found:
            raise LessonError(
                f"{path}, line {_line_in(path, node.name)}: the exercise {node.name} has no "
                f"solution: the text block right after it needs a '.. dropdown::' with a "
                f"'.. code-block:: python' that defines {node.name}"
            )
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        lines[start - 1:node.end_lineno] = found[0].split("\n")
        replaced += 1
    result = "\n".join(lines)
    ast.parse(result)
    return result, replaced


def lesson_notebooks(
    script: Path,
    notebook: nbformat.NotebookNode,
    gallery_conf: dict,
    target_dir: Path,
    lang: str,
) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """Return the (exercises, solutions) notebooks of one lesson from sphinx-gallery's notebook.

    The notebook's cells are sphinx-gallery's first cell, then one cell per block of the
    script. Text cells whose block has a dropdown are converted again piece by piece with
    sphinx-gallery's own ``rst2md`` (the same heading levels), the dropdown becoming
    ``<details>``; every other cell is kept as sphinx-gallery wrote it.
    """
    _, blocks = split_code_and_text_blocks(str(script))
    cells = notebook.cells[1:]
    kinds = ["markdown" if block.type == "text" else "code" for block in blocks]
    if [cell.cell_type for cell in cells] != kinds:
        raise ExtensionError(
            f"{script}: sphinx-gallery's notebook does not have one cell per block of the lesson "
            f"(sphinx-gallery {sphinx_gallery.__version__}); gdguide_downloads cannot map them"
        )
    counter = itertools.count(start=1)
    levels: dict = defaultdict(lambda: next(counter))
    exercises = copy.deepcopy(notebook)
    solutions = copy.deepcopy(notebook)
    solutions_name = lesson_files(script.stem, lang)["solutions"]
    starters: set[str] = set()  # the exercises of the code cell just before a text cell
    for index, (block, cell) in enumerate(zip(blocks, cells, strict=True)):
        if block.type == "text":
            parts = _segments(block.content)
            if all(title is None for title, _ in parts):
                rst2md(block.content + "\n", gallery_conf, target_dir, levels)  # heading levels
                markdown = exercise_markdown = cell.source
            else:
                markdown = exercise_markdown = ""
                for title, text in parts:
                    converted = rst2md(text + "\n", gallery_conf, target_dir, levels)
                    if title is None:
                        markdown += converted
                        exercise_markdown += converted
                        continue
                    summary = rst2md(title, gallery_conf, target_dir, levels).strip()
                    folded = (
                        f"\n<details><summary>{summary}</summary>\n\n{converted.strip()}"
                        "\n\n</details>\n\n"
                    )
                    markdown += folded
                    # the notebook to hand out has no solutions, only where to find them
                    defines = {name for code in solution_codes(f".. dropdown:: x\n\n"
                                                               f"{textwrap.indent(text, '   ')}")
                               for name in _definitions(code)}
                    if defines & starters:
                        note = _SOLUTION_ELSEWHERE[lang].format(notebook=solutions_name)
                        exercise_markdown += f"\n> {note}\n\n"
                    else:
                        exercise_markdown += folded
            exercises.cells[index + 1].source = _roles_as_code(exercise_markdown)
            solutions.cells[index + 1].source = _roles_as_code(markdown)
            starters = set()
            continue
        starters = {node.name for node in ast.parse(cell.source).body if _is_starter(node)}
        if not starters:
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        codes = solution_codes(following.content) if following and following.type == "text" else []
        solved, _ = _with_solutions(cell.source, codes, script)
        exercises.cells[index + 1].metadata["tags"] = ["exercise"]
        solutions.cells[index + 1].source = solved
        solutions.cells[index + 1].metadata["tags"] = ["solution"]
    return exercises, solutions


_SCRIPT_DROPDOWN = re.compile(r"^# \.\. dropdown::[^\n]*\n(?:#(?:[ \t]*| {2,}[^\n]*)\n)*", re.M)


def script_without_solutions(source: str, note: str) -> str:
    """The lesson script with each solution dropdown (one that defines an exercise) replaced.

    A dropdown in a commented text block runs from its ``# .. dropdown::`` line over the
    indented or empty comment lines below it. Other dropdowns (derivations, refreshers) stay.
    """
    starters = {node.name for node in ast.parse(source).body if _is_starter(node)}

    def replace(match: re.Match) -> str:
        body = "\n".join(line[2:] for line in match.group().splitlines())  # drop "# "
        defines = {name for code in solution_codes(body + "\n") for name in _definitions(code)}
        if not defines & starters:
            return match.group()
        trailing = "#\n" if match.group().endswith("#\n") else ""
        return f"# {note}\n{trailing}"

    return _SCRIPT_DROPDOWN.sub(replace, source)


def script_with_first_cell(source: str, cell: str) -> str:
    """The lesson script with *cell* as its first code cell, right after the docstring."""
    tree = ast.parse(source)
    lines = source.split("\n")
    after = 0
    if tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(
        getattr(tree.body[0], "value", None), ast.Constant
    ):
        after = tree.body[0].end_lineno
    head, rest = lines[:after], lines[after:]
    return "\n".join(head + ["", "# %%", cell, ""] + rest)


def _write_if_changed(path: Path, text: str) -> None:
    """Write *text* only when it differs, so unchanged downloads keep their files."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        staging = path.with_name(path.name + ".new")
        staging.write_text(text, encoding="utf-8")
        staging.replace(path)


def write_lesson_downloads(app: Sphinx) -> None:
    """After sphinx-gallery ran: write every lesson's exercise and solution notebooks and .py."""
    gallery_conf = app.config.sphinx_gallery_conf
    lang = app.config.language
    source_dir = (Path(app.srcdir) / gallery_conf["examples_dirs"]).resolve()
    target_dir = Path(app.srcdir) / gallery_conf["gallery_dirs"]
    cell = first_cell(lang, app.config.release, app.config.gdguide_site_url)
    for script in sorted(source_dir.glob("plot_*.py")):
        generated = target_dir / f"{script.stem}.ipynb"
        if not generated.is_file():
            raise ExtensionError(f"{script}: sphinx-gallery wrote no notebook at {generated}")
        names = lesson_files(script.stem, lang)
        exercises, solutions = lesson_notebooks(
            script, nbformat.read(generated, as_version=4), gallery_conf, target_dir, lang
        )
        _write_if_changed(target_dir / names["exercises"], nbformat.writes(exercises) + "\n")
        _write_if_changed(target_dir / names["solutions"], nbformat.writes(solutions) + "\n")
        copy = (target_dir / script.name).read_text(encoding="utf-8")
        note = _SOLUTION_ELSEWHERE[lang].format(notebook=names["solutions"])
        script_text = script_with_first_cell(script_without_solutions(copy, note), cell)
        _write_if_changed(target_dir / names["script"], script_text)


# ---- the lesson page's download area --------------------------------------------------------

_SG_DOWNLOADS = re.compile(
    r"^    \.\. container:: sphx-glr-download sphx-glr-download-jupyter\n.*?"
    r"^    \.\. container:: sphx-glr-download sphx-glr-download-zip\n\n      :download:`[^`]*`\n",
    re.M | re.S,
)

_LABELS = {
    "en": {
        "exercises": "Exercise notebook",
        "solutions": "Notebook with the solutions",
        "script": "Python script (exercises)",
        "kit": "Offline kit (every lesson, the gdguide library and constraints.txt)",
        "how": "How to run them on your computer",
    },
    "ja": {
        "exercises": "演習用ノートブック",
        "solutions": "解答つきノートブック",
        "script": "Python スクリプト（演習用）",
        "kit": "オフラインキット（全レッスン、gdguide ライブラリ、constraints.txt）",
        "how": "手元のコンピューターで動かす方法",
    },
}


def _relative_root(docname: str) -> str:
    """From a page to the site's root (above the language folder)."""
    return "../" * (docname.count("/") + 1)


def download_area(docname: str, lang: str, version: str) -> str:
    """reST of a lesson page's download area, in place of sphinx-gallery's."""
    lesson = docname.rsplit("/", 1)[-1]
    labels = _LABELS[lang]
    entries = [
        ("jupyter", f":download:`{labels[kind]}: {name} <{name}>`")
        for kind, name in lesson_files(lesson, lang).items() if kind != "script"
    ]
    script = lesson_files(lesson, lang)["script"]
    entries.append(("python", f":download:`{labels['script']}: {script} <{script}>`"))
    kit = site_files(version, lang)["kit"]
    link = f"{_relative_root(docname)}{DOWNLOADS}/{kit}"
    entries.append(("zip", f"`{labels['kit']}: {kit} <{link}>`__"))
    text = "".join(
        f"    .. container:: sphx-glr-download sphx-glr-download-{kind}\n\n      {entry}\n\n"
        for kind, entry in entries
    )
    return text + f"    :doc:`{labels['how']} <../{RUN_LOCALLY_PAGE}>`\n"


def replace_download_area(app: Sphinx, docname: str, source: list[str]) -> None:
    """Offer the lesson's own downloads on its page (source-read of the generated .rst)."""
    gallery_dir = app.config.sphinx_gallery_conf["gallery_dirs"]
    if not re.fullmatch(rf"{re.escape(gallery_dir)}/plot_[^/]+", docname):
        return
    new, count = _SG_DOWNLOADS.subn(
        lambda _: download_area(docname, app.config.language, app.config.release), source[0]
    )
    if count != 1:
        raise ExtensionError(
            f"{docname}: sphinx-gallery {sphinx_gallery.__version__} wrote a download area that "
            "gdguide_downloads does not recognise; update _SG_DOWNLOADS"
        )
    source[0] = new


# ---- naming the published files in pages ----------------------------------------------------

class SiteDownloadRole(SphinxRole):
    """``{site-download}`wheel``` -> a link to ``downloads/<the wheel's file name>``."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        """Return a link to one of the published files (wheel, sdist, constraints, kit)."""
        names = site_files(self.config.release, self.config.language)
        if self.text not in names:
            message = self.inliner.reporter.error(
                f"site-download: unknown file {self.text!r}; choose one of {sorted(names)}",
                line=self.lineno,
            )
            return [], [message]
        name = names[self.text]
        uri = f"{_relative_root(self.env.docname)}{DOWNLOADS}/{name}"
        node = nodes.reference("", "", nodes.literal(name, name), refuri=uri)
        return [node], []


class SiteCommandsDirective(SphinxDirective):
    """A console block in which {wheel}, {sdist}, {kit}, {constraints}, {version} are filled in."""

    has_content = True
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        """Return the commands as a literal block."""
        names = site_files(self.config.release, self.config.language)
        text = "\n".join(self.content)
        for key, value in {**names, "version": self.config.release}.items():
            text = text.replace("{" + key + "}", value)
        if re.search(r"\{\w+\}", text):
            raise self.error(f"site-commands: unknown placeholder in {text!r}")
        block = nodes.literal_block(text, text)
        block["language"] = self.arguments[0] if self.arguments else "console"
        self.set_source_info(block)
        return [block]


def _digest() -> str:
    """Changes with this file, so that a new version of it re-reads every page."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the hooks; run after sphinx-gallery has written its files."""
    app.add_config_value("gdguide_site_url", "", "env", str)
    app.add_config_value("gdguide_downloads_digest", _digest(), "env", str)
    app.connect("builder-inited", write_lesson_downloads, priority=900)
    app.connect("source-read", replace_download_area)
    app.add_role("site-download", SiteDownloadRole())
    app.add_directive("site-commands", SiteCommandsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
