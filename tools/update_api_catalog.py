"""Merge the messages of the Japanese API page into docs/locale/ja/LC_MESSAGES/api.po.

Run after a docstring of gdguide changed: Sphinx's gettext builder extracts the messages of
docs/ja/api.md again (without running the lessons), and the catalog gets every new message
(empty, or fuzzy with the translation of a similar old one, as Babel matches them), keeps every
translation whose message is unchanged and drops the messages the page no longer has. Then
translate the entries it lists (MyST syntax: roles as ``{func}`name```) and clear their fuzzy
flags; tests/test_api_catalog.py fails until none is left.

Usage: ``python tools/update_api_catalog.py``
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CATALOG = DOCS / "locale" / "ja" / "LC_MESSAGES" / "api.po"


def extract(out: Path) -> Path:
    """Write the ja site's message templates into *out*; return api.pot."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "gettext", "-q", "-c", str(DOCS), "-t", "ja",
         "-D", "plot_gallery=0", str(DOCS / "ja"), str(out)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    return out / "api.pot"


def main() -> int:
    """Extract, merge, write the catalog and list what is left to translate."""
    with tempfile.TemporaryDirectory() as folder:
        with extract(Path(folder)).open("rb") as stream:
            template = read_po(stream)
    with CATALOG.open("rb") as stream:
        catalog = read_po(stream, locale="ja")
    creation, revision = catalog.creation_date, catalog.revision_date
    catalog.update(template, update_header_comment=False, update_creation_date=False)
    catalog.creation_date, catalog.revision_date = creation, revision
    with CATALOG.open("wb") as stream:
        write_po(stream, catalog, width=100, no_location=True, ignore_obsolete=True)
    todo = [m for m in catalog if m.id and (m.fuzzy or not m.string)]
    for message in todo:
        print(("fuzzy: " if message.fuzzy else "new:   ") + message.id[:100])
    print(f"{CATALOG.relative_to(ROOT)}: {len(todo)} of {len(catalog)} messages to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
