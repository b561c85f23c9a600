"""Patch for sphinx-copybutton 0.5.2: its button labels in the page's language.

sphinx-copybutton picks its labels ("Copy", "Copy to clipboard", "Copied!", "Failed to copy")
from a table in its script, by ``<html lang>``; 0.5.2's table has no Japanese, and the strings do
not go through gettext. This extension adds, right after that script, one small script that puts
the build's language into the table, translated with the project's ``sphinx`` message catalog
(docs/locale), and selects it. The script relies on the names ``messages``, ``locale``,
``iconCheck`` and ``iconCopy`` of copybutton.js, so the extension refuses to load on any other
version: check the new script (and whether it now has Japanese) before widening the list.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.locale import get_translation

#: The versions of sphinx-copybutton whose script this patch was written for.
WRITTEN_FOR = ("0.5.2",)
SCRIPT = "gdguide_copybutton.js"
MESSAGES = {
    "copy": "Copy",
    "copy_to_clipboard": "Copy to clipboard",
    "copy_success": "Copied!",
    "copy_failure": "Failed to copy",
}

_ = get_translation("sphinx")

_TEMPLATE = """\
/* sphinx-copybutton's labels in the page's language (docs/_ext/gdguide_copybutton.py). */
messages[%(lang)s] = %(messages)s;
if (document.documentElement.lang === %(lang)s) {
  locale = %(lang)s;
  const title = (text) => "<title>" + text + "</title>";
  iconCheck = iconCheck.replace(/<title>[^<]*<\\/title>/, title(messages[locale].copy_success));
  iconCopy = iconCopy.replace(/<title>[^<]*<\\/title>/, title(messages[locale].copy_to_clipboard));
}
"""


def write_script(app: Sphinx) -> None:
    """Write the script into the output's _static folder (the builder creates it first)."""
    if app.builder.format != "html":
        return
    lang = app.config.language
    messages = {key: _(text) for key, text in MESSAGES.items()}
    text = _TEMPLATE % {
        "lang": json.dumps(lang),
        "messages": json.dumps(messages, ensure_ascii=False, sort_keys=True),
    }
    target = Path(app.outdir, "_static", SCRIPT)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Add the script after copybutton.js, or refuse to load on an unknown version."""
    installed = version("sphinx-copybutton")
    if installed not in WRITTEN_FOR:
        raise ExtensionError(
            f"gdguide_copybutton was written for sphinx-copybutton {', '.join(WRITTEN_FOR)}, "
            f"not {installed}: check its copybutton.js (does it know Japanese now?), then drop "
            "this extension or add the version to WRITTEN_FOR"
        )
    app.setup_extension("sphinx_copybutton")
    app.add_js_file(SCRIPT, priority=501)
    app.connect("builder-inited", write_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
