"""Accessibility and the reader's language, in a real browser (system Chromium).

* axe-core (pinned in package.json, injected from node_modules: nothing from the network) over
  every page of both languages, at 1280 px and 390 px, light and dark: no WCAG 2.0 / 2.1 A or AA
  violation.
* No English visible on a Japanese page outside code, math, names and passages marked
  ``lang="en"`` (text and the labels a screen reader reads), and no Japanese on an English page
  outside passages marked ``lang="ja"``.
* Japanese search: each term of the glossary finds every Japanese page whose text contains it;
  the result count shows; quotes start with the page's own text.

The fixtures site, server and browser are shared with test_browser.py (browser_fixtures.py).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import LANGUAGES, ROOT, SETTLE_JS, discover_pages, is_lesson
from test_browser import _page_name, _prose

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
THEMES = ("light", "dark")
GLOSSARY = ROOT / "docs" / "_data" / "glossary.csv"

#: Names that stay as they are on a Japanese page (products, projects, people, file formats).
NAMES = """
PyTorch NumPy Python Sphinx Furo KaTeX gdguide Jupyter JupyterLab matplotlib MyST Markdown pytest
Playwright Chromium npm pip GitHub Windows macOS Linux VS Code CPU GPU NVIDIA CUDA SGD tanh sin cos
log exp ReLU nbformat IPAexGothic pradyunsg sphinx-gallery autograd Cauchy Augustin-Louis wheel
sdist
""".split()

# Visible text nodes (and aria-label / title / alt / placeholder) with English words, outside
# code, math, signatures and passages whose lang differs from the page's.
_ENGLISH_JS = r"""
(names) => {
  const allowed = new Set(names);
  const cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]/;
  const skip = "script, style, pre, code, kbd, samp, .katex, .highlight, .sig, .sig-name, " +
    ".sig-prename, .descname, .descclassname";
  // Tokens with digits, dots, underscores, brackets or inner capitals are code, not prose.
  const english = (text) => {
    if (cjk.test(text)) return false;
    return text.split(/\s+/)
      .map((token) => token.replace(/^[^A-Za-z0-9_]+|[^A-Za-z0-9_]+$/g, ""))
      .filter((token) => /^[A-Za-z][A-Za-z'’-]*$/.test(token) && !/[a-z][A-Z]/.test(token))
      .some((word) => word.length > 1 && !allowed.has(word) && !allowed.has(word.toLowerCase()));
  };
  const japanese = (text) => cjk.test(text);
  const page = document.documentElement.lang;
  const wrong = page === "ja" ? english : japanese;
  const marked = (el) => {
    const holder = el.closest("[lang]");
    return holder && holder !== document.documentElement && holder.getAttribute("lang") !== page;
  };
  const shown = (el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden";
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || el.closest(skip) || marked(el) || !wrong(text) || !shown(el)) continue;
    found.push(text.slice(0, 80));
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [alt], [placeholder]")) {
    if (el.closest(skip) || marked(el)) continue;
    for (const name of ["aria-label", "title", "alt", "placeholder"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value && wrong(value)) found.push(`${el.tagName.toLowerCase()}[${name}]: ${value}`);
    }
  }
  return found;
}
"""

_AXE_RUN_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, nodes: v.nodes.length,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}
"""

_THEME = "try {{ localStorage.setItem('theme', '{theme}'); }} catch (e) {{}}"


@pytest.fixture(scope="session")
def axe_report(browser, server, site: Path) -> dict:
    """axe-core's violations on every page × viewport × theme (and the visible-language check,
    taken on the way at 1280 px, light)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} missing: run npm ci at the repository root")
    report: dict = {"runs": 0, "violations": [], "language": []}
    for viewport_name, viewport in VIEWPORTS.items():
        for theme in THEMES:
            context = browser.new_context(viewport=viewport, color_scheme=theme)
            context.add_init_script(_THEME.format(theme=theme))
            page = context.new_page()
            for lang in LANGUAGES:
                for name in discover_pages(site, lang):
                    path = f"{lang}/{name}"
                    page.goto(server.url(path), wait_until="load")
                    page.evaluate(SETTLE_JS)
                    if viewport_name == "desktop" and theme == "light":
                        report["language"] += [
                            f"{path}: {text!r}" for text in page.evaluate(_ENGLISH_JS, NAMES)
                        ]
                    page.add_script_tag(path=str(AXE))
                    for violation in page.evaluate(_AXE_RUN_JS, AXE_TAGS):
                        report["violations"].append(
                            f"{path} [{viewport_name}, {theme}]: {violation['id']} "
                            f"({violation['impact']}, {violation['nodes']} nodes) "
                            f"{violation['targets']}"
                        )
                    report["runs"] += 1
            context.close()
    return report


def test_axe_finds_no_wcag_a_or_aa_violation(axe_report: dict, site: Path) -> None:
    pages = sum(len(discover_pages(site, lang)) for lang in LANGUAGES)
    assert axe_report["runs"] == pages * len(VIEWPORTS) * len(THEMES)
    violations = axe_report["violations"]
    print(
        f"axe-core: {pages} pages x {len(VIEWPORTS)} viewports x {len(THEMES)} themes = "
        f"{axe_report['runs']} runs, {len(violations)} violations"
    )
    assert not violations, f"{len(violations)} WCAG A/AA violation(s):\n" + "\n".join(violations)


#: Pages whose translation is not done yet (the ja API reference: docs/locale/ja/LC_MESSAGES/
#: api.po; the index lists its "module" entries): checked on their own, expected to fail.
PENDING = ("ja/api.html", "ja/genindex.html")


def test_every_visible_word_is_in_the_pages_language(axe_report: dict) -> None:
    found = [entry for entry in axe_report["language"] if not entry.startswith(PENDING)]
    assert not found, (
        f"{len(found)} visible text(s) in the other language, not marked with lang:\n"
        + "\n".join(found)
    )


@pytest.mark.xfail(strict=True, reason="the ja API reference (api.po) is not translated yet")
def test_the_japanese_api_reference_is_in_japanese(axe_report: dict) -> None:
    found = [entry for entry in axe_report["language"] if entry.startswith(PENDING)]
    assert not found, f"{len(found)} English texts on the pending pages, e.g. {found[:5]}"


# ---- Japanese search ----------------------------------------------------------------------------


def _glossary_terms() -> list[str]:
    with GLOSSARY.open(encoding="utf-8") as stream:
        return [row["日本語"].strip() for row in csv.DictReader(stream) if row["日本語"].strip()]


_RESULTS_JS = """
() => Array.from(document.querySelectorAll("#search-results ul.search li")).map((li) => ({
  href: li.querySelector("a").href,
  quote: (li.querySelector("p.context") || {textContent: ""}).textContent.trim(),
}))
"""


def test_japanese_search_finds_every_page_with_a_glossary_term(browser, server, site) -> None:
    """Each glossary term (as one query) finds every ja page whose prose contains it."""
    lang = "ja"
    pages = [name for name in discover_pages(site, lang) if name not in ("search.html",)]
    prose = {name: _prose(site / lang / name) for name in pages}
    context = browser.new_context()
    page = context.new_page()
    failures: list[str] = []
    searched = 0
    for term in _glossary_terms():
        for query in term.split(" / "):
            query = query.strip()
            containing = {name for name, text in prose.items() if query in text}
            if not containing:
                continue
            searched += 1
            page.goto(server.url(f"{lang}/search.html?q={quote(query)}"))
            page.wait_for_function(
                "() => { const s = document.querySelector('#search-results .search-summary');"
                " return s && s.textContent.trim() !== ''; }",
                timeout=30_000,
            )
            summary = page.locator("#search-results .search-summary").inner_text()
            results = page.evaluate(_RESULTS_JS)
            found = {_page_name(result["href"].split("#")[0], lang) for result in results}
            missing = sorted(containing - found)
            if missing:
                failures.append(f"{query!r}: not found on {missing} ({summary})")
            if str(len(results)) not in summary:
                failures.append(f"{query!r}: the summary does not give the count: {summary!r}")
            for result in results:
                if is_lesson(_page_name(result["href"], lang)) and result["quote"].startswith(
                    "ノートブックやスクリプトとしてのダウンロード"
                ):
                    failures.append(f"{query!r}: quote starts with the download note: {result}")
    heading = page.locator("main h1, [role=main] h1").all_inner_texts()
    context.close()
    assert searched >= 20, f"only {searched} glossary terms appear on any page"
    assert heading == ["検索"], f"search page headings: {heading}"
    assert not failures, "\n".join(failures)


def test_axe_core_is_pinned() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    pinned = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    assert pinned.get("axe-core", "").count(".") == 2 and pinned["axe-core"][0].isdigit(), pinned
