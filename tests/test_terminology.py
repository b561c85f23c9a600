"""Japanese uses one term per concept, the glossary's, and no stray spaces around emphasis.

The glossary (docs/_data/glossary.csv) names, for each term, the other Japanese words for it that
learners meet elsewhere; none of them may appear in a Japanese page, lesson, figure label or
message of gdguide.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from built_site import require_site
from site_sources import DOCS, GALLERY, ROOT

GLOSSARY = DOCS / "_data" / "glossary.csv"
JAPANESE_CHAR = "\u3000-\u30ff\u3400-\u9fff\uff00-\uffef"

# "セル" is also a notebook cell, which the lessons mention; only its use for a unit of a layer is
# a variant of ユニット, so it is matched in context.
CONTEXT_VARIANTS = {"ユニット": [r"\d+\s*個の\s*セル", r"tanh\s*セル", r"隠れ層の\s*セル"]}


def glossary_rows() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def variants() -> dict[str, str]:
    """Variant (a regular expression) -> the glossary term to write instead."""
    rows = glossary_rows()
    variant_column = list(rows[0])[-1]
    found = {}
    for row in rows:
        for variant in filter(None, (v.strip() for v in row[variant_column].split(";"))):
            found[re.escape(variant)] = row["日本語"]
    for term, patterns in CONTEXT_VARIANTS.items():
        found.update(dict.fromkeys(patterns, term))
    return found


def japanese_sources() -> list[Path]:
    """Every file whose text reaches a Japanese reader, except the glossary that lists variants."""
    files = [p for p in (DOCS / "ja").rglob("*.md") if p.name != "glossary.md"]
    files += sorted((GALLERY / "ja").glob("*"))
    files += sorted((ROOT / "gdguide").rglob("*.py"))  # figure labels, messages, tables
    files += sorted((DOCS / "locale").rglob("*.po"))  # interface strings, the ja API reference
    return [p for p in files if p.is_file() and "auto_examples" not in p.parts]


def test_glossary_rows_are_complete_and_variants_are_not_terms():
    rows = glossary_rows()
    assert len(rows) > 30
    terms = {row["日本語"] for row in rows}
    for row in rows:
        assert row["English"] and row["日本語"] and row["Note"] and row["説明"], row
    for pattern, term in variants().items():
        assert not any(re.fullmatch(pattern, other) for other in terms), (pattern, term)
    assert "数値微分" in "; ".join(row[list(row)[-1]] for row in rows)


def test_the_variant_check_finds_a_variant():
    text = "ここではディープラーニングの話をします。512 個のセルがあります。"
    hits = [term for pattern, term in variants().items() if re.search(pattern, text)]
    assert sorted(hits) == ["ユニット", "深層学習"]


@pytest.mark.parametrize("path", japanese_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_japanese_text_uses_the_glossary_terms(path):
    text = path.read_text(encoding="utf-8")
    problems = []
    for pattern, term in variants().items():
        for match in re.finditer(pattern, text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: {match.group()!r} -> write {term!r}")
    assert not problems, "\n".join(problems)


STRAY_BEFORE = re.compile(rf"[{JAPANESE_CHAR}]\s+$")
STRAY_AFTER = re.compile(rf"^\s+[{JAPANESE_CHAR}]")
JAPANESE_START = re.compile(rf"[{JAPANESE_CHAR}]")
JAPANESE_END = re.compile(rf"[{JAPANESE_CHAR}]$")


def stray_spaces(html_path: Path) -> list[str]:
    """Emphasis (<strong>, <em>) with a space between it and neighbouring Japanese text."""
    found = []
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    for node in soup.select("article strong, article em"):
        if node.find_parent(["pre", "code", "math"]) or node.find_parent(class_="katex"):
            continue
        before, after = node.previous_sibling, node.next_sibling
        text = node.get_text()
        # a space between Japanese and a Latin name (*lang*, **PyTorch**) is ordinary spacing
        # between scripts; only a space between Japanese and emphasised Japanese is stray
        if isinstance(before, str) and STRAY_BEFORE.search(before) and JAPANESE_START.match(text):
            found.append(f"…{before[-8:]}|{text}")
        if isinstance(after, str) and STRAY_AFTER.search(after) and JAPANESE_END.search(text):
            found.append(f"{text}|{after[:8]}…")
    return found


@pytest.mark.build
def test_no_stray_spaces_around_emphasis_on_japanese_pages():
    site = require_site() / "ja"
    problems = {}
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.parts or "_modules" in page.parts:
            continue
        found = stray_spaces(page)
        if found:
            problems[str(page.relative_to(site))] = found
    assert not problems, problems


@pytest.mark.build
def test_emphasis_renders_in_the_downloaded_notebooks():
    """Bold and italic next to Japanese must also be emphasis in Markdown (CommonMark's rules).

    In Markdown a closing ``**`` right after punctuation such as "。" or "）" and right before a
    letter is not emphasis, and the notebook would show the asterisks.
    """
    import nbformat
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark")
    notebooks = sorted((require_site() / "ja" / "_downloads").rglob("*.ipynb"))
    assert notebooks
    problems = []
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            html = renderer.render(cell.source)
            text = BeautifulSoup(html, "html.parser")
            for code in text.select("code, pre"):
                code.decompose()
            for line in text.get_text().splitlines():
                if "**" in line or re.search(r"(?<![\w*])\*(?=\S)", line):
                    problems.append(f"{path.name}: {line.strip()[:80]}")
    assert not problems, "\n".join(problems)


def test_the_stray_space_check_finds_spaces_around_japanese_emphasis_only(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<article><p>これは <strong>勾配</strong> です。引数 <em>lang</em> が"
                    "<strong>言語</strong>を決めます。</p></article>", encoding="utf-8")
    assert stray_spaces(page) == ["…これは |勾配", "勾配| です。引数 …"]
