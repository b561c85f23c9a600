"""Read the two source trees: page names, lesson blocks, code shape and display math.

Shared by the parity tests and the build tests, so both agree on what a page and a lesson are.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sphinx_gallery.py_source_parser import split_code_and_text_blocks

from gdguide.languages import CODES

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = CODES  # from the registry of languages
DOCS = ROOT / "docs"
GALLERY = ROOT / "gallery"
SITE = ROOT / "build" / "html"


def page_names(lang: str) -> list[str]:
    """Docnames of the prose pages of one language tree (generated gallery pages excluded)."""
    tree = DOCS / lang
    return sorted(
        str(path.relative_to(tree).with_suffix(""))
        for path in tree.rglob("*")
        if path.suffix in {".md", ".rst"} and "auto_examples" not in path.parts
    )


def gallery_files(lang: str) -> list[str]:
    """Every file of one language's gallery, relative to it."""
    tree = GALLERY / lang
    return sorted(str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts)


def lesson_names() -> list[str]:
    """Lesson script names (``plot_*.py``) of the English gallery."""
    return sorted(p.name for p in (GALLERY / "en").glob("plot_*.py"))


def lesson_blocks(lang: str, name: str) -> list[tuple[str, str]]:
    """The (type, content) blocks of a lesson as sphinx-gallery splits them."""
    _, blocks = split_code_and_text_blocks(GALLERY / lang / name)
    return [(block.type, block.content) for block in blocks]


class _BlankStrings(ast.NodeTransformer):
    """Replace every string literal (f-strings included) with an empty string."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            return ast.copy_location(ast.Constant(value=""), node)
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return ast.copy_location(ast.Constant(value=""), node)


def code_shape(source: str) -> str:
    """``ast.dump`` of *source* with comments gone and string literals blanked."""
    tree = _BlankStrings().visit(ast.parse(source))
    return ast.dump(tree, include_attributes=False)


_CODE_BLOCK = re.compile(
    r"^(?P<indent> *)\.\. code-block:: python\n\n((?:(?P=indent) {3}.*\n|\n)+)", re.M
)


def text_code_blocks(text: str) -> list[str]:
    """Python code shown in ``.. code-block:: python`` directives of a reST text block."""
    blocks = []
    for match in _CODE_BLOCK.finditer(text + "\n"):
        lines = match.group(2).splitlines()
        indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
        blocks.append("\n".join(line[indent:] for line in lines).strip("\n"))
    return blocks


_RST_MATH = re.compile(r"^(?P<indent> *)\.\. math::[^\n]*\n((?:(?P=indent) {3}.*\n|\n)*)", re.M)
_MD_MATH = re.compile(r"\$\$(.+?)\$\$|```\{math\}[^\n]*\n(.+?)```", re.S)


def _normalise_math(latex: str) -> str:
    return " ".join(latex.split())


def rst_display_math(text: str) -> list[str]:
    """The LaTeX of every ``.. math::`` block in a reST text."""
    return [_normalise_math(m.group(2)) for m in _RST_MATH.finditer(text + "\n")]


def md_display_math(text: str) -> list[str]:
    """The LaTeX of every ``$$ ... $$`` or ``{math}`` block in a MyST page."""
    return [_normalise_math(m.group(1) or m.group(2)) for m in _MD_MATH.finditer(text)]
