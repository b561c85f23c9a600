"""The reader's language around the lessons: catalogs, the lesson note, language of parts.

* Interface strings (furo, Sphinx, extensions) and the Japanese API reference come from Sphinx's
  own message catalogs in ``docs/locale/<lang>/LC_MESSAGES/*.po``; Sphinx compiles them to ``.mo``
  at build time (``gettext_auto_build``). Sphinx reads the JavaScript strings (the search page's
  result count) from a ``sphinx.js`` beside them, which Sphinx only ships for its own catalog:
  :func:`compile_javascript_catalog` writes one from Sphinx's and the project's ``sphinx.po``
  (build output, like the ``.mo`` files; never committed).
* sphinx-gallery writes its note "Go to the end to download the full example code" into each
  lesson's generated source: :func:`translate_lesson_note` puts the page's language there.
* :class:`MarkLanguageOfParts`: cells of the glossary (any table with the class
  ``gdguide-glossary``) in the other language than the page's get ``lang`` (through docutils'
  ``language-xx`` classes). The ``{lang-en}`` / ``{lang-ja}`` roles mark a quoted passage.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import sphinx
import sphinx_gallery
from babel.messages.pofile import read_po
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform

from gdguide.languages import CODES

SPHINX_LOCALE = Path(sphinx.__file__).parent / "locale"

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
_LATIN = re.compile("[A-Za-z]{2,}")


# ---- the JavaScript catalog -----------------------------------------------------------------

_ADD_TRANSLATIONS = re.compile(r"Documentation\.addTranslations\((\{.*\})\);\s*$", re.S)


def _javascript_messages(path: Path) -> dict[str, Any]:
    match = _ADD_TRANSLATIONS.search(path.read_text(encoding="utf-8"))
    if not match:
        raise ExtensionError(f"{path}: not a Sphinx JavaScript catalog this extension can read")
    return json.loads(match.group(1))


def compile_javascript_catalog(locale_dir: Path, lang: str) -> Path | None:
    """Write ``<locale_dir>/<lang>/LC_MESSAGES/sphinx.js``: Sphinx's messages, the project's
    translations over them. Returns the file, or None when the project has no ``sphinx.po``.

    Written aside and renamed into place, and only when the content changes.
    """
    po_path = locale_dir / lang / "LC_MESSAGES" / "sphinx.po"
    if not po_path.is_file():
        return None
    builtin = SPHINX_LOCALE / lang / "LC_MESSAGES" / "sphinx.js"
    catalog = (
        _javascript_messages(builtin)
        if builtin.is_file()
        else {"messages": {}, "plural_expr": "(n != 1)", "locale": lang}
    )
    with po_path.open("rb") as stream:
        project = read_po(stream, locale=lang)
    for message in project:
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if isinstance(message.string, tuple):
            if all(message.string):
                catalog["messages"][key] = list(message.string)
        elif message.string:
            catalog["messages"][key] = message.string
    text = (
        "Documentation.addTranslations("
        + json.dumps(catalog, ensure_ascii=False, sort_keys=True, indent=1)
        + ");\n"
    )
    target = po_path.with_suffix(".js")
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return target
    handle, staging = tempfile.mkstemp(dir=target.parent, prefix=".sphinx-", suffix=".js")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(staging, target)
    return target


def _on_config_inited(app: Sphinx, config: Config) -> None:
    for folder in config.locale_dirs:
        compile_javascript_catalog(Path(app.confdir, folder), config.language)


# ---- sphinx-gallery's note at the top of each lesson -----------------------------------------

_LESSON_NOTE = re.compile(
    r"^( +):ref:`Go to the end <(sphx_glr_download_[^>]+)>`\n +to download the full example "
    r"code\.?[^\n]*\n",
    re.M,
)

LESSON_NOTE = {
    "en": ":ref:`Go to the end <{ref}>` to download this lesson as a notebook or a script.",
    "ja": "ノートブックやスクリプトとしてのダウンロードは、:ref:`ページの末尾 <{ref}>`にあります。",
}


def translate_lesson_note(app: Sphinx, docname: str, source: list[str]) -> None:
    """Put the page's language in sphinx-gallery's note (source-read of a generated lesson)."""
    gallery_dir = app.config.sphinx_gallery_conf["gallery_dirs"]
    if not re.fullmatch(rf"{re.escape(gallery_dir)}/plot_[^/]+", docname):
        return
    note = LESSON_NOTE[app.config.language]
    new, count = _LESSON_NOTE.subn(
        lambda match: match.group(1) + note.format(ref=match.group(2)) + "\n", source[0]
    )
    if count != 1:
        raise ExtensionError(
            f"{docname}: sphinx-gallery {sphinx_gallery.__version__} wrote a header note that "
            "gdguide_locale does not recognise; update _LESSON_NOTE"
        )
    source[0] = new


# ---- language of parts ----------------------------------------------------------------------


def text_language(text: str) -> str | None:
    """Return "ja" for text with Japanese characters, "en" for Latin words, else None."""
    if _CJK.search(text):
        return "ja"
    if _LATIN.search(text):
        return "en"
    return None


class MarkLanguageOfParts(SphinxTransform):
    """Give each glossary cell in the other language its ``lang``.

    A cell that holds both languages, split by " / " (a bilingual header), becomes one marked
    span per part.
    """

    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        """Mark the cells of every table with the class ``gdguide-glossary``."""
        page = self.config.language
        for table in self.document.findall(nodes.table):
            if "gdguide-glossary" not in table["classes"]:
                continue
            for entry in table.findall(nodes.entry):
                self._mark(entry, page)

    @staticmethod
    def _mark(entry: nodes.entry, page: str) -> None:
        text = entry.astext()
        lang = text_language(text)
        if lang is None:
            return
        parts = text.split(" / ")
        languages = {text_language(part) for part in parts}
        if len(parts) > 1 and len(languages) > 1 and len(entry.children) == 1:
            paragraph = entry.children[0]
            if isinstance(paragraph, nodes.paragraph) and len(paragraph.children) == 1:
                paragraph.children = []
                for index, part in enumerate(parts):
                    if index:
                        paragraph += nodes.Text(" / ")
                    part_lang = text_language(part)
                    classes = [f"language-{part_lang}"] if part_lang not in (None, page) else []
                    paragraph += nodes.inline(part, part, classes=classes)
                return
        if lang != page:
            entry["classes"].append(f"language-{lang}")


def _language_role(lang: str):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        return [nodes.inline(rawtext, text, classes=[f"language-{lang}"])], []

    return role


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the catalog compiler, the lesson note, the language marks and roles."""
    app.connect("config-inited", _on_config_inited)
    app.connect("source-read", translate_lesson_note)
    app.add_transform(MarkLanguageOfParts)
    for code in CODES:
        app.add_role(f"lang-{code}", _language_role(code))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
