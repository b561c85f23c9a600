"""The built site in a real browser (system Chromium through Playwright), and a link crawl.

Every test reads a snapshot of ``build/html`` taken at the start of the session (a rebuild that
runs meanwhile cannot change pages under the tests), served from ``127.0.0.1`` on a free port.
Chromium missing: the browser tests are skipped with the reason, or fail when ``CI`` is set.
``build/html`` missing: every test fails with "run make html first".
"""

from __future__ import annotations

import html.parser
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest
from browser_support import (
    EAGER_IMAGES_JS,
    LANGUAGES,
    SCREENSHOTS,
    SETTLE_JS,
    SPECIAL_PAGES,
    PageWatch,
    discover_pages,
    is_lesson,
    lesson_pages,
)

pytestmark = pytest.mark.browser

OTHER = {"en": "ja", "ja": "en"}
SEARCH_TERMS = {"en": "gradient", "ja": "勾配"}
PHONE = {"width": 375, "height": 812}

# Raw TeX that a reader must never see: commands, \( \) \[ \] delimiters, $$ and $...$ pairs.
RAW_TEX = re.compile(r"\\[A-Za-z]+|\\[()\[\]]|\$\$|\$[^\s$][^$\n]{0,200}?\$")


# The fixtures site, server and browser (one each per session, shared with
# test_accessibility.py) live in browser_fixtures.py.


def _pages(site: Path, lang: str) -> list[str]:
    pages = discover_pages(site, lang)
    assert pages, f"no pages under {site / lang}: run make html first"
    return pages


def _lessons(site: Path, lang: str) -> list[str]:
    lessons = lesson_pages(site, lang)
    assert lessons, f"no lesson pages (auto_examples/plot_*.html) under {site / lang}"
    return lessons


def _settle(page) -> float:
    return page.evaluate(SETTLE_JS)


_OVERFLOW_JS = """
() => {
  const width = window.innerWidth;
  // Whether a box that scrolls or clips (and itself fits) holds the node, or the node is
  // fixed (off-canvas drawers): then it does not widen the page. An absolutely positioned
  // node is held only by boxes from its containing block (nearest positioned ancestor) up.
  const contained = (node) => {
    let position = getComputedStyle(node).position;
    if (position === "fixed") return true;
    let needPositioned = position === "absolute";
    for (let up = node.parentElement; up && up !== document.documentElement;
         up = up.parentElement) {
      const style = getComputedStyle(up);
      if (needPositioned) {
        if (style.position === "static") continue;
        needPositioned = false;
      }
      if (style.position === "fixed") return true;
      if (style.overflowX !== "visible" && up.getBoundingClientRect().right <= width + 0.5) {
        return true;
      }
      if (style.position === "absolute") needPositioned = true;
    }
    return false;
  };
  const offenders = [];
  const reported = new Set();
  for (const node of document.body.querySelectorAll("*")) {
    const box = node.getBoundingClientRect();
    if (!box.width || box.right <= width + 0.5 || contained(node)) continue;
    reported.add(node);
    if (reported.has(node.parentElement)) continue;
    const cls = typeof node.className === "string" ? node.className.trim() : "";
    const name = node.tagName.toLowerCase() + (cls ? "." + cls.split(/\\s+/).join(".") : "");
    offenders.push(`${name} right=${Math.round(box.right)}`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width,
          offenders: offenders.slice(0, 8)};
}
"""


# ---- one visit to every page, shared by the tests that only read what it saw -------------------

_INSPECT_JS = r"""
async () => {
  for (const img of document.images) { if (img.loading === "lazy") img.loading = "eager"; }
  await Promise.all(Array.from(document.images).map((img) =>
    img.complete ? null : new Promise((resolve) => {
      img.addEventListener("load", resolve, {once: true});
      img.addEventListener("error", resolve, {once: true});
    })));
  await document.fonts.ready;
  const visible = document.body.cloneNode(true);
  visible.querySelectorAll(
    // .sig-param: a signature's parameters are Python (``**values``), not prose
    "script, style, noscript, template, .katex-mathml, pre, code, .highlight, textarea, .sig-param"
  ).forEach((node) => node.remove());
  const promptLine = /^(>>> |\.\.\. |\$ )/m;
  const promptBlocks = Array.from(document.querySelectorAll("div.highlight pre"))
    .map((pre, index) => ({index, pre}))
    .filter(({pre}) => pre.querySelector(".gp") || promptLine.test(pre.textContent))
    .map(({index}) => index);
  return {
    lang: document.documentElement.getAttribute("lang"),
    images: Array.from(document.images).map((img) => ({
      src: img.currentSrc || img.src, ok: img.complete && img.naturalWidth > 0,
      width: img.getAttribute("width"), height: img.getAttribute("height"),
      toggler: img.classList.contains("toggler"),
      natural: [img.naturalWidth, img.naturalHeight]})),
    description: Array.from(document.querySelectorAll('meta[name="description"]'))
      .map((meta) => meta.content),
    canonical: Array.from(document.querySelectorAll('link[rel="canonical"]'))
      .map((link) => link.href),
    firstParagraph: (() => {
      const p = document.querySelector('[role="main"] section > p');
      if (!p) return "";
      const copy = p.cloneNode(true);
      copy.querySelectorAll(".katex").forEach((node) => node.remove());
      return copy.textContent;
    })(),
    alternates: Array.from(document.querySelectorAll('link[rel="alternate"][hreflang]'))
      .map((link) => [link.getAttribute("hreflang"), link.href]),
    switcher: Array.from(document.querySelectorAll(".sidebar-lang a.sidebar-lang-link"))
      .map((a) => [a.getAttribute("hreflang"), a.href]),
    mathNodes: document.querySelectorAll(".math").length,
    unrenderedMath: Array.from(document.querySelectorAll(".math"))
      .filter((node) => !node.querySelector(".katex"))
      .map((node) => node.textContent.slice(0, 80)),
    katex: document.querySelectorAll(".katex").length,
    katexErrors: Array.from(document.querySelectorAll(".katex-error"))
      .map((node) => node.textContent.slice(0, 80)),
    katexFontLoaded: Array.from(document.fonts)
      .some((face) => face.family.replace(/"/g, "") === "KaTeX_Main" && face.status === "loaded"),
    text: visible.textContent,
    promptBlocks,
    pythonBlocks: document.querySelectorAll(
      'div[class*="highlight-"]:not(.sphx-glr-script-out) div.highlight pre').length,
  };
}
"""


DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """build/screenshots, emptied of lesson screenshots of earlier runs (lessons get renamed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*-plot_*-*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture(scope="session")
def visits(browser, server, site: Path, screenshots: Path) -> dict:
    """Load every page of both languages once and record what it showed and what went wrong.

    On the way: a full-page light screenshot of each lesson, and the page width after the
    viewport is narrowed to a phone's (for the pages that the phone test does not load itself).
    """
    report: dict = {"pages": {}, "problems": [], "external": [], "screenshots": []}
    for lang in LANGUAGES:
        context = browser.new_context(viewport=DESKTOP, color_scheme="light")
        watch = PageWatch(server.netloc)
        watch.attach(context)
        page = context.new_page()
        for name in _pages(site, lang):
            path = f"{lang}/{name}"
            watch.page_url = path
            page.goto(server.url(path), wait_until="load")
            seen = page.evaluate(_INSPECT_JS)
            if is_lesson(name):  # the phone test loads lessons in a phone viewport itself
                target = screenshots / f"{lang}-{Path(name).stem}-light.png"
                page.screenshot(path=str(target), full_page=True)
                report["screenshots"].append(target)
            else:
                page.set_viewport_size(PHONE)
                seen["phone"] = page.evaluate(_OVERFLOW_JS)
                page.set_viewport_size(DESKTOP)
            report["pages"][path] = seen
        # The root page redirects; it must be clean too.
        watch.page_url = "index.html"
        page.goto(server.url("index.html"), wait_until="load")
        page.wait_for_url(re.compile(r"/(en|ja)/index\.html$"))
        _settle(page)
        context.close()
        report["problems"] += watch.problems
        report["external"] += watch.external
    return report


def _site_file(site: Path, server, url: str) -> Path | None:
    """The snapshot file an absolute local URL points at, or None when it leaves the server."""
    parts = urlsplit(url)
    if parts.netloc != server.netloc:
        return None
    target = site / unquote(parts.path).lstrip("/")
    return target / "index.html" if target.is_dir() else target


# ---- loading: console, requests, images, network -----------------------------------------------


def test_every_page_loads_without_errors(visits: dict) -> None:
    broken_images = [
        f"{path}: image did not load: {image['src']}"
        for path, seen in visits["pages"].items()
        for image in seen["images"]
        if not image["ok"]
    ]
    problems = visits["problems"] + broken_images
    assert not problems, f"{len(problems)} problem(s) while loading pages:\n" + "\n".join(problems)
    assert len(visits["pages"]) >= 2 * 2, "expected at least an index and a lesson per language"


def test_no_request_leaves_localhost(visits: dict) -> None:
    external = visits["external"]
    assert not external, "requests that left the local server (blocked):\n" + "\n".join(external)


def test_lesson_page_reads_from_disk(browser, site: Path) -> None:
    """Opened as file://, lessons (the first, the last) and the start page keep their styles
    and rendered math, and load nothing from elsewhere."""
    checked_math = 0
    failures: list[str] = []
    for lang in LANGUAGES:
        context = browser.new_context()
        watch = PageWatch(None)  # only file:, data: and blob: URLs may load
        watch.attach(context)
        page = context.new_page()
        lessons = _lessons(site, lang)
        for name in sorted({"index.html", lessons[0], lessons[-1]}):
            path = f"{lang}/{name}"
            watch.page_url = f"file://{path}"
            page.goto((site / path).as_uri(), wait_until="load")
            seen = page.evaluate(_INSPECT_JS)
            style = page.evaluate(
                """() => {
                  const css = (sel, prop) => {
                    const node = document.querySelector(sel);
                    return node ? getComputedStyle(node).getPropertyValue(prop).trim() : null;
                  };
                  return {
                    furoVar: css("body", "--color-foreground-primary"),
                    pageDisplay: css(".page", "display"),
                    bodyFont: css("body", "font-family"),
                    switcherDisplay: css(".sidebar-lang", "display"),
                    mathmlPosition: css(".katex .katex-mathml", "position"),
                  };
                }"""
            )
            if not style["furoVar"] or style["pageDisplay"] != "flex":
                failures.append(f"{path}: furo's style sheet did not apply: {style}")
            if "Times New Roman" in (style["bodyFont"] or "") or not style["bodyFont"]:
                failures.append(f"{path}: body font is the browser default: {style['bodyFont']}")
            if style["switcherDisplay"] != "flex":
                failures.append(f"{path}: gdguide.css did not apply (.sidebar-lang): {style}")
            failures += [
                f"{path}: image did not load from disk: {img['src']}"
                for img in seen["images"]
                if not img["ok"]
            ]
            if seen["mathNodes"]:
                checked_math += 1
                if style["mathmlPosition"] != "absolute":
                    failures.append(f"{path}: KaTeX's style sheet did not apply: {style}")
                if not seen["katexFontLoaded"]:
                    failures.append(f"{path}: the KaTeX_Main font did not load from disk")
                if seen["unrenderedMath"] or RAW_TEX.search(seen["text"]):
                    failures.append(f"{path}: math not rendered from disk")
        context.close()
        failures += watch.problems + [f"left the disk: {url}" for url in watch.external]
    assert not failures, "\n".join(failures)
    assert checked_math, "no page opened from disk had math to check"


# ---- math -------------------------------------------------------------------------------------


def _raw_tex(text: str) -> list[str]:
    found = []
    for match in RAW_TEX.finditer(text):
        start, end = max(match.start() - 30, 0), match.end() + 30
        found.append(f"{match.group()!r} in ...{' '.join(text[start:end].split())}...")
    return found


def test_math_is_typeset(visits: dict) -> None:
    failures: list[str] = []
    with_math = {lang: 0 for lang in LANGUAGES}
    for path, seen in visits["pages"].items():
        for raw in _raw_tex(seen["text"]):
            failures.append(f"{path}: raw TeX visible: {raw}")
        for math in seen["unrenderedMath"]:
            failures.append(f"{path}: math element without KaTeX output: {math!r}")
        for error in seen["katexErrors"]:
            failures.append(f"{path}: KaTeX error: {error!r}")
        if seen["mathNodes"]:
            with_math[path.split("/", 1)[0]] += 1
            if not seen["katex"]:
                failures.append(f"{path}: has math but no .katex element")
            if not seen["katexFontLoaded"]:
                failures.append(f"{path}: has math but the KaTeX_Main font did not load")
    assert not failures, "\n".join(failures)
    assert all(with_math.values()), f"a language without any page with math: {with_math}"


# reStructuredText or Markdown markup that did not turn into formatting.
RAW_MARKUP = re.compile(r"``|\*\*\S|:(?:math|ref|doc|func|class|mod|term):`")


def test_no_raw_markup_visible(visits: dict) -> None:
    failures = []
    for path, seen in visits["pages"].items():
        text = seen["text"]
        for match in RAW_MARKUP.finditer(text):
            start, end = max(match.start() - 40, 0), match.end() + 40
            failures.append(
                f"{path}: {match.group()!r} in ...{' '.join(text[start:end].split())}..."
            )
    assert not failures, "markup shown as text:\n" + "\n".join(failures)


# ---- languages: root page, <html lang>, alternates, switcher ------------------------------------


@pytest.mark.parametrize(
    ("locale", "saved", "expected"),
    [
        ("ja-JP", None, "ja"),
        ("en-US", None, "en"),
        ("ja-JP", "en", "en"),
        ("en-US", "ja", "ja"),
        ("fr-FR", None, "en"),
    ],
)
def test_root_page_picks_the_language(browser, server, locale, saved, expected) -> None:
    context = browser.new_context(locale=locale)
    watch = PageWatch(server.netloc)
    watch.attach(context)
    if saved:
        context.add_init_script(
            f"try {{ localStorage.setItem('gdguide-lang', '{saved}'); }} catch (e) {{}}"
        )
    page = context.new_page()
    watch.page_url = f"index.html ({locale}, saved={saved})"
    page.goto(server.url("index.html"))
    page.wait_for_url(re.compile(r"/(en|ja)/index\.html$"))
    landed = page.url
    _settle(page)
    context.close()
    assert landed == server.url(f"{expected}/index.html")
    assert not watch.problems and not watch.external, watch.problems + watch.external


@pytest.mark.parametrize(("locale", "choice"), [("en-US", "ja"), ("ja-JP", "en")])
def test_root_page_remembers_the_switcher_choice(browser, server, locale, choice) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    start = OTHER[choice]
    page.goto(server.url(f"{start}/index.html"))
    page.locator(f'.sidebar-lang a.sidebar-lang-link[hreflang="{choice}"]').first.click()
    page.wait_for_url(server.url(f"{choice}/index.html"))
    assert page.evaluate("localStorage.getItem('gdguide-lang')") == choice
    page.goto(server.url("index.html"))
    page.wait_for_url(re.compile(r"/(en|ja)/index\.html$"))
    landed = page.url
    context.close()
    assert landed == server.url(f"{choice}/index.html"), f"saved {choice} lost to locale {locale}"


def _base_url(site: Path) -> str | None:
    """The base URL the site was built for (GDGUIDE_SITE_URL), from a canonical link; or None."""
    found = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "en/index.html").read_text(
        encoding="utf-8"))
    return found.group(1).removesuffix("en/index.html") if found else None


def _served(url: str, base: str | None, server) -> str:
    """*url*, an address under the site's base URL, as the test server serves it."""
    return server.url(url[len(base):]) if base and url.startswith(base) else url


def test_html_lang_and_alternates(visits: dict, server, site: Path) -> None:
    """<html lang>; one alternate per language plus x-default, absolute under the base URL."""
    base = _base_url(site)
    failures: list[str] = []
    for path, seen in visits["pages"].items():
        lang, name = path.split("/", 1)
        if seen["lang"] != lang:
            failures.append(f"{path}: <html lang={seen['lang']!r}>, expected {lang!r}")
        alternates = dict(seen["alternates"])
        if sorted(alternates) != sorted([*LANGUAGES, "x-default"]) or len(seen["alternates"]) != 3:
            failures.append(f"{path}: hreflang alternates are {seen['alternates']}")
        root = base or server.url("")
        expected = {code: f"{root}{code}/{name}" for code in LANGUAGES}
        expected["x-default"] = f"{root}index.html"
        for code, url in alternates.items():
            if code in expected and url != expected[code]:
                failures.append(f"{path}: hreflang={code} -> {url}, expected {expected[code]}")
            target = _site_file(site, server, _served(url, base, server))
            if target is None or not target.is_file():
                failures.append(f"{path}: hreflang={code} target does not exist: {url}")
    assert not failures, "\n".join(failures)


def test_canonical_links_and_sitemaps(visits: dict, server, site: Path) -> None:
    """Built for a base URL: each page names itself as canonical; each language has a sitemap
    that lists every content page once, by that address. Without one: neither is there."""
    base = _base_url(site)
    if base is None:
        assert not any(seen["canonical"] for seen in visits["pages"].values())
        assert not list(site.glob("*/sitemap.xml"))
        return
    assert re.fullmatch(r"https?://[^/]+/(.+/)?", base), base
    failures: list[str] = []
    for path, seen in visits["pages"].items():
        if seen["canonical"] != [base + path]:
            failures.append(f"{path}: canonical {seen['canonical']}, expected {base + path}")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    for lang in LANGUAGES:
        tree = ElementTree.parse(site / lang / "sitemap.xml")
        locs = [loc.text for loc in tree.getroot().findall("s:url/s:loc", namespace)]
        expected = sorted(
            base + f"{lang}/{name}" for name in _pages(site, lang)
            if name not in SPECIAL_PAGES
        )  # fmt: skip
        if sorted(locs) != expected:
            failures.append(f"{lang}/sitemap.xml lists {sorted(locs)}, expected {expected}")
    assert not failures, "\n".join(failures)


_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_every_page_has_a_description_in_its_language(visits: dict) -> None:
    """One meta description per page, in the page's language; a lesson's opens its first
    paragraph."""
    failures: list[str] = []
    for path, seen in visits["pages"].items():
        lang, name = path.split("/", 1)
        if len(seen["description"]) != 1 or not seen["description"][0].strip():
            failures.append(f"{path}: meta descriptions {seen['description']}")
            continue
        text = seen["description"][0]
        if bool(_JAPANESE.search(text)) != (lang == "ja"):
            failures.append(f"{path}: description not in {lang}: {text!r}")
        if len(text) > 170:
            failures.append(f"{path}: description of {len(text)} characters: {text!r}")
        opening = " ".join(text.removesuffix("…").split())[:40]
        if is_lesson(name) and opening not in " ".join(seen["firstParagraph"].split()):
            failures.append(f"{path}: description {text!r} is not the first paragraph "
                            f"{seen['firstParagraph'][:80]!r}")
    assert not failures, "\n".join(failures)


def test_switcher_targets_are_the_same_page(visits: dict, server, site: Path) -> None:
    """On every page: one switcher link, to the same page name in the other language."""
    failures: list[str] = []
    for path, seen in visits["pages"].items():
        lang, name = path.split("/", 1)
        other = OTHER[lang]
        expected = server.url(f"{other}/{name}")
        if seen["switcher"] != [[other, expected]]:
            failures.append(f"{path}: switcher links are {seen['switcher']}, expected {expected}")
        elif not (site / other / name).is_file():
            failures.append(f"{path}: switcher leads to a missing page {other}/{name}")
    assert not failures, "\n".join(failures)


def _switcher_sample(site: Path) -> list[str]:
    """Page names to click through: one of each kind (the switcher is one template)."""
    names = set(discover_pages(site, "en")) | set(discover_pages(site, "ja"))
    lessons = sorted(name for name in names if is_lesson(name))
    wanted = ["index.html", "auto_examples/index.html", "search.html", "genindex.html"]
    wanted += lessons[:1] + lessons[-1:]
    wanted += sorted(name for name in names if name.count("/") > 1)  # anything deeper
    return sorted({name for name in wanted if name in names})


def test_switcher_leads_to_the_same_page(browser, server, site: Path) -> None:
    """Click the switcher and back: same page name, other language, the choice saved.

    Every page's switcher target is checked in test_switcher_targets_are_the_same_page; the
    clicks go through one page of each kind.
    """
    context = browser.new_context(viewport=DESKTOP)
    watch = PageWatch(server.netloc)
    watch.attach(context, route=False)  # keeps the cache; visits checks the network per page
    page = context.new_page()
    failures: list[str] = []
    for name in _switcher_sample(site):
        start = "en" if (site / "en" / name).is_file() else "ja"
        watch.page_url = f"{start}/{name} (switcher)"
        page.goto(server.url(f"{start}/{name}"))
        for lang in (start, OTHER[start]):
            other = OTHER[lang]
            link = page.locator(f'.sidebar-lang a.sidebar-lang-link[hreflang="{other}"]')
            if link.count() != 1:
                failures.append(f"{lang}/{name}: {link.count()} switcher links to {other!r}")
                break
            link.click()
            page.wait_for_url(server.url(f"{other}/{name}"), wait_until="load", timeout=10_000)
            landed = page.evaluate(
                "[document.documentElement.lang, localStorage.getItem('gdguide-lang')]"
            )
            if landed != [other, other]:
                failures.append(f"{lang}/{name}: landed with [html lang, saved choice] {landed}")
    context.close()
    failures += watch.problems + watch.external
    assert not failures, "\n".join(failures)


# ---- Japanese glyphs ---------------------------------------------------------------------------

# Draw single characters in the font an element uses and compare the pixels: two different
# kanji never look the same, while characters the fonts lack all come out as the same box
# ("tofu"), like an unassigned code point does.
_GLYPHS_JS = r"""
(selector) => {
  const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
  const node = Array.from(document.querySelectorAll(selector))
    .find((element) => japanese.test(element.textContent));
  if (!node) return null;
  const style = getComputedStyle(node);
  const font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`;
  const chars = Array.from(new Set(node.textContent.match(/[\u3040-\u30ff\u4e00-\u9fff]/g)
    || [])).slice(0, 6);
  const draw = (ch) => {
    const canvas = document.createElement("canvas");
    canvas.width = 48; canvas.height = 48;
    const ctx = canvas.getContext("2d");
    ctx.font = font; ctx.textBaseline = "top"; ctx.fillStyle = "#000";
    ctx.fillText(ch, 4, 4);
    return canvas.toDataURL();
  };
  const missing = draw("\u0378");
  const drawn = chars.map((ch) => [ch, draw(ch)]);
  return {
    font: style.fontFamily,
    chars,
    tofu: drawn.filter(([, image]) => image === missing).map(([ch]) => ch),
    distinct: new Set(drawn.map(([, image]) => image)).size,
  };
}
"""


def test_japanese_text_has_glyphs(browser, server, site: Path) -> None:
    """Japanese prose, headings and code render with real glyphs, not empty boxes."""
    lesson = _lessons(site, "ja")[0]
    context = browser.new_context()
    page = context.new_page()
    failures: list[str] = []
    checked = 0
    for name, selectors in (
        ("index.html", (".sidebar-brand-text", "[role=main] h1", "[role=main] p")),
        (lesson, ("[role=main] h1", "[role=main] p", "div.highlight pre")),
    ):
        page.goto(server.url(f"ja/{name}"))
        _settle(page)
        for selector in selectors:
            seen = page.evaluate(_GLYPHS_JS, selector)
            if not seen or not seen["chars"]:
                continue
            checked += 1
            if seen["tofu"] or seen["distinct"] != len(seen["chars"]):
                failures.append(
                    f"ja/{name} {selector}: Japanese characters without a glyph in "
                    f"{seen['font']!r}: {seen['tofu'] or seen['chars']} (is a Japanese font "
                    "installed? e.g. apt-get install fonts-noto-cjk)"
                )
    context.close()
    assert checked >= 3, f"only {checked} Japanese text elements found to check"
    assert not failures, "\n".join(failures)


# ---- search -------------------------------------------------------------------------------------


class _TextOfMain(html.parser.HTMLParser):
    """Prose of a page's main article: no code, no scripts, no MathML annotations."""

    SKIP = {"script", "style", "pre", "code", "annotation", "textarea"}

    def __init__(self) -> None:
        super().__init__()
        self.depth_main = 0
        self.skip = 0
        self.stack: list[tuple[str, bool, bool]] = []
        self.parts: list[str] = []

    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area", "base"}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        main = attributes.get("role") == "main"
        skip = tag in self.SKIP
        self.depth_main += main
        self.skip += skip
        self.stack.append((tag, main, skip))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, main, skip = self.stack.pop()
            self.depth_main -= main
            self.skip -= skip
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.depth_main and not self.skip:
            self.parts.append(data)


def _prose(path: Path) -> str:
    parser = _TextOfMain()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def _page_name(url: str, lang: str) -> str:
    """The page name (``auto_examples/plot_x.html``) of a URL into the *lang* tree."""
    return urlsplit(url).path.split(f"/{lang}/", 1)[-1]


# The TeX sources (with a backslash) of a page's formulas that Sphinx's quote of that page shows.
_TEX_IN_QUOTES_JS = r"""
async (url) => {
  const html = await (await fetch(url)).text();
  const doc = new DOMParser().parseFromString(html, "text/html");
  const sources = Array.from(doc.querySelectorAll(".katex-mathml annotation"))
    .map((node) => node.textContent.trim()).filter((tex) => tex.includes("\\"));
  const quote = Search.htmlToText(html, "");
  return [...new Set(sources.filter((tex) => quote.includes(tex)))];
}
"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_the_lessons(browser, server, site: Path, lang: str) -> None:
    term = SEARCH_TERMS[lang]
    lessons = _lessons(site, lang)
    mentioning = {name for name in lessons if term in _prose(site / lang / name).lower()}
    assert mentioning, f"no {lang} lesson page mentions {term!r} in its prose: nothing to find"
    context = browser.new_context()
    watch = PageWatch(server.netloc)
    watch.attach(context)
    page = context.new_page()
    watch.page_url = f"{lang}/search.html?q={term}"
    page.goto(server.url(f"{lang}/search.html?q={term}"))
    # Finished when the heading says "Search Results" (in the page's language); the summary
    # line under it is not a signal: Sphinx's Japanese catalog translates it as "".
    page.wait_for_function(
        "() => { const h = document.querySelector('#search-results h2');"
        " return h && h.textContent.trim() === Documentation.gettext('Search Results'); }",
        timeout=30_000,
    )
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search li a", "(links) => links.map((a) => a.href)"
    )
    summary = page.locator("#search-results .search-summary").inner_text()
    # The quotes under the results are cut from the pages' text: no TeX source of formulas.
    lesson_urls = [href for href in hrefs if is_lesson(_page_name(href, lang))]
    tex_in_quotes = page.evaluate(_TEX_IN_QUOTES_JS, lesson_urls[0]) if lesson_urls else []
    context.close()
    found = {_page_name(href, lang) for href in hrefs if urlsplit(href).netloc == server.netloc}
    found_lessons = {name for name in found if is_lesson(name)}
    missing = sorted(mentioning - found_lessons)
    assert not missing, (
        f"searching {term!r} in {lang} did not find lesson pages that mention it: {missing}; "
        f"found {sorted(found)} ({summary})"
    )
    assert not tex_in_quotes, f"search result quotes show TeX source: {tex_in_quotes[:5]}"
    assert not watch.problems and not watch.external, watch.problems + watch.external


# ---- copy button --------------------------------------------------------------------------------

_PROMPT = re.compile(r"^(>>> |\.\.\. |\$ )")


def _clipboard_context(browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context


def _copy_block(page, index: int) -> str:
    """Click the copy button of the index-th ``div.highlight pre``; return the clipboard."""
    page.evaluate("navigator.clipboard.writeText('')")
    block = page.locator("div.highlight pre").nth(index)
    block.scroll_into_view_if_needed()
    block.hover()
    button = page.locator(f'button.copybtn[data-clipboard-target="#{block.get_attribute("id")}"]')
    button.click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
    return page.evaluate("navigator.clipboard.readText()")


def _without_trailing_newline(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_copy_button_copies_the_code(browser, server, site: Path, visits: dict, lang: str) -> None:
    with_code = [n for n in _lessons(site, lang) if visits["pages"][f"{lang}/{n}"]["pythonBlocks"]]
    lesson = with_code[0] if with_code else None
    assert lesson, f"no {lang} lesson page has a code block"
    context = _clipboard_context(browser)
    page = context.new_page()
    page.goto(server.url(f"{lang}/{lesson}"))
    page.wait_for_selector("button.copybtn", state="attached")
    selector = 'div[class*="highlight-"]:not(.sphx-glr-script-out) div.highlight pre'
    code = page.locator(selector).first
    index = page.evaluate(
        "(sel) => Array.from(document.querySelectorAll('div.highlight pre'))"
        ".indexOf(document.querySelector(sel))",
        selector,
    )
    expected = _without_trailing_newline(code.evaluate("(pre) => pre.textContent"))
    copied = _copy_block(page, index)
    context.close()
    assert copied == expected, f"{lang}/{lesson}: copied {copied!r}, block has {expected!r}"
    assert not any(_PROMPT.match(line) for line in copied.splitlines())


def _code_lines(text: str) -> list[str]:
    """The non-blank lines of copied text."""
    return [line for line in text.split("\n") if line.strip()]


def _prompt_block_expectation(text: str) -> list[str]:
    """Copying a block with prompts must give its prompt lines, without prompts; no output."""
    lines = [_PROMPT.sub("", line, count=1) for line in text.split("\n") if _PROMPT.match(line)]
    return _code_lines("\n".join(lines))


def test_copy_button_strips_prompts_on_the_site(browser, server, visits: dict) -> None:
    with_prompts = [(path, seen["promptBlocks"]) for path, seen in visits["pages"].items()]
    with_prompts = [(path, blocks) for path, blocks in with_prompts if blocks]
    if not with_prompts:
        pytest.skip(
            "no page of the site has a code block with >>> / ... / $ prompts; the configured "
            "prompt stripping is checked on an injected block instead"
        )
    context = _clipboard_context(browser)
    page = context.new_page()
    failures = []
    for path, blocks in with_prompts:
        page.goto(server.url(path))
        page.wait_for_selector("button.copybtn", state="attached")
        # The first, the middle and the last such block of each page.
        for index in sorted({blocks[0], blocks[len(blocks) // 2], blocks[-1]}):
            raw = page.locator("div.highlight pre").nth(index).evaluate("(pre) => pre.textContent")
            expected = _prompt_block_expectation(raw)
            copied = _copy_block(page, index)
            if _code_lines(copied) != expected:
                failures.append(f"{path} block {index}: copied {copied!r}, expected {expected!r}")
    context.close()
    assert not failures, "\n".join(failures)


# A doctest-style and a shell block, as Pygments marks them up (prompts in .gp, output in .go),
# and one as plain text; put into a lesson page before sphinx-copybutton adds its buttons.
_INJECT_PROMPT_BLOCKS = """
document.addEventListener("DOMContentLoaded", () => {
  const main = document.querySelector('[role="main"]') || document.body;
  const blocks = [
    '<span class="gp">&gt;&gt;&gt; </span>x = 1 + 1\\n<span class="gp">&gt;&gt;&gt; </span>' +
      'print(x)\\n<span class="go">2</span>\\n<span class="gp">... </span>pass\\n',
    '<span class="gp">$ </span>make html\\n<span class="go">site written</span>\\n',
    '&gt;&gt;&gt; total = 0\\n&gt;&gt;&gt; for i in range(3):\\n...     total += i\\n' +
      '&gt;&gt;&gt; total\\n3\\n',
  ];
  blocks.forEach((markup, n) => {
    const div = document.createElement("div");
    div.className = "highlight-pycon notranslate gdguide-injected";
    div.innerHTML = '<div class="highlight"><pre id="injected' + n + '">' + markup + "</pre></div>";
    main.prepend(div);
  });
}, {once: true});
"""


def test_copy_button_prompt_stripping_as_configured(browser, server, site: Path) -> None:
    """The site's copybutton settings strip >>>, ... and $ prompts and drop output lines."""
    lang = LANGUAGES[0]
    lesson = _lessons(site, lang)[0]
    context = _clipboard_context(browser)
    context.add_init_script(_INJECT_PROMPT_BLOCKS)
    page = context.new_page()
    page.goto(server.url(f"{lang}/{lesson}"))
    page.wait_for_selector(".gdguide-injected button.copybtn", state="attached")
    firsts = page.eval_on_selector_all(
        "div.highlight pre",
        "(pres) => pres.map((pre) => pre.closest('.gdguide-injected')"
        " ? pre.textContent.split('\\n')[0] : null)",
    )
    copied = {first: _copy_block(page, index) for index, first in enumerate(firsts) if first}
    context.close()
    # Pygments-style blocks: prompts (.gp) and output (.go) are excluded, which leaves the line
    # breaks around the output behind: blank lines, neither prompt nor output.
    assert {first: _code_lines(text) for first, text in copied.items()} == {
        ">>> x = 1 + 1": ["x = 1 + 1", "print(x)", "pass"],
        "$ make html": ["make html"],
        ">>> total = 0": ["total = 0", "for i in range(3):", "    total += i", "total"],
    }, copied
    # Plain text: the prompt regular expression keeps only prompt lines, exactly.
    assert copied[">>> total = 0"] == "total = 0\nfor i in range(3):\n    total += i\ntotal"


# ---- dark mode, phone, screenshots --------------------------------------------------------------

_THEME = "try {{ localStorage.setItem('theme', '{theme}'); }} catch (e) {{}}"

_FIGURE_CORNERS_JS = r"""
async () => {
  const figures = Array.from(document.querySelectorAll(
    'img.sphx-glr-single-img, img.sphx-glr-multi-img, [role="main"] figure img'));
  const sources = new Set();
  for (const img of figures) {
    sources.add(img.currentSrc || img.src);
    for (const part of (img.getAttribute("srcset") || "").split(",")) {
      const url = part.trim().split(/\s+/)[0];
      if (url) sources.add(new URL(url, document.baseURI).href);
    }
  }
  const results = [];
  for (const src of sources) {
    const img = new Image();
    img.src = src;
    try { await img.decode(); } catch (e) { results.push({src, error: String(e)}); continue; }
    const w = img.naturalWidth, h = img.naturalHeight;
    const canvas = document.createElement("canvas");
    canvas.width = w; canvas.height = h;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const points = [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1], [w >> 1, h >> 1]];
    const alphas = points.map(([x, y]) => ctx.getImageData(x, y, 1, 1).data[3]);
    const data = ctx.getImageData(0, 0, w, h).data;
    let transparent = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] < 255) transparent += 1;
    results.push({src, w, h, alphas, transparent});
  }
  const shown = figures.map((img) => {
    const style = getComputedStyle(img);
    return {src: img.currentSrc, opacity: style.opacity, visible: img.offsetWidth > 0};
  });
  return {theme: document.body.dataset.theme, results, shown};
}
"""


@pytest.fixture(scope="session")
def dark_lessons(browser, server, site: Path, screenshots: Path) -> dict:
    """Every lesson in furo's dark mode: what its figures are made of; a full-page screenshot."""
    report: dict = {"pages": {}, "screenshots": []}
    for lang in LANGUAGES:
        context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
        context.add_init_script(_THEME.format(theme="dark"))
        page = context.new_page()
        for name in _lessons(site, lang):
            page.goto(server.url(f"{lang}/{name}"))
            page.evaluate(EAGER_IMAGES_JS)  # the whole page is photographed
            _settle(page)
            report["pages"][f"{lang}/{name}"] = page.evaluate(_FIGURE_CORNERS_JS)
            target = screenshots / f"{lang}-{Path(name).stem}-dark.png"
            page.screenshot(path=str(target), full_page=True)
            report["screenshots"].append(target)
        context.close()
    return report


def test_dark_mode_figures_are_opaque(dark_lessons: dict) -> None:
    failures: list[str] = []
    figures = 0
    for path, seen in dark_lessons["pages"].items():
        if seen["theme"] != "dark":
            failures.append(f"{path}: body data-theme is {seen['theme']!r}, not dark")
        for result in seen["results"]:
            figures += 1
            where = f"{path}: {result['src'].rsplit('/', 1)[-1]}"
            if "error" in result:
                failures.append(f"{where}: did not decode: {result['error']}")
            elif result["transparent"] or set(result["alphas"]) != {255}:
                failures.append(
                    f"{where}: not opaque ({result['transparent']} of "
                    f"{result['w']}x{result['h']} pixels with alpha < 255; "
                    f"corner/centre alpha {result['alphas']})"
                )
        for shown in seen["shown"]:
            if shown["opacity"] != "1" or not shown["visible"]:
                failures.append(f"{path}: figure shown with {shown}")
    assert not failures, "\n".join(failures)
    assert figures, "no lesson figure to check"


def _too_wide(path: str, seen: dict) -> str | None:
    if seen["scrollWidth"] <= seen["width"]:
        return None
    return (
        f"{path}: page is {seen['scrollWidth']} px wide in a {seen['width']} px viewport; "
        f"too wide: {seen['offenders']}"
    )


def test_phone_viewport_has_no_sideways_scroll(browser, server, site: Path, visits: dict) -> None:
    """Lessons are loaded in a 375x812 viewport; the other pages were narrowed to it."""
    failures: list[str] = []
    for lang in LANGUAGES:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        for name in _lessons(site, lang):
            path = f"{lang}/{name}"
            page.goto(server.url(path))
            _settle(page)
            failures.append(_too_wide(path, page.evaluate(_OVERFLOW_JS)))
        context.close()
    for path, seen in visits["pages"].items():
        if not is_lesson(path.split("/", 1)[1]):
            failures.append(_too_wide(f"{path} (narrowed)", seen["phone"]))
    failures = [failure for failure in failures if failure]
    assert not failures, "\n".join(failures)


_FIGURES_JS = r"""
async () => {
  const figures = Array.from(document.querySelectorAll("[role=main] img"));
  for (const img of figures) img.loading = "eager";
  await Promise.all(figures.map((img) => img.complete ? null : new Promise((resolve) => {
    img.addEventListener("load", resolve, {once: true});
    img.addEventListener("error", resolve, {once: true});
  })));
  return figures.map((img) => {
    // the WebP source the browser goes by: the phone layout's where its media query matches
    const source = img.parentElement.tagName === "PICTURE"
      ? Array.from(img.parentElement.querySelectorAll('source[type="image/webp"]'))
        .find((s) => !s.media || window.matchMedia(s.media).matches) : null;
    const sized = source && source.media ? source : img;  // a phone layout has its own size
    const box = img.getBoundingClientRect();
    return {
      current: img.currentSrc, srcset: img.getAttribute("srcset") || "",
      webp: source ? source.getAttribute("srcset") : null, sizes: img.getAttribute("sizes"),
      width: Number(sized.getAttribute("width")), height: Number(sized.getAttribute("height")),
      shown: [box.width, box.height],
    };
  });
}
"""


def _candidate_for(srcset: str, needed: float) -> str:
    """The file name of the narrowest candidate of a srcset of widths at least *needed* device
    pixels wide (the widest when none is)."""
    entries = sorted(
        (int(width.removesuffix("w")), url.rsplit("/", 1)[-1])
        for url, width in (part.split() for part in srcset.split(","))
    )  # fmt: skip
    return next((name for width, name in entries if width >= needed), entries[-1][1])


@pytest.mark.parametrize(
    ("viewport", "scale"),
    [({"width": 390, "height": 844}, 1.75), (DESKTOP, 2)],
    ids=["phone-390px-dpr1.75", "desktop-dpr2"],
)
def test_figures_are_sized_for_the_screen(browser, server, site: Path, viewport, scale):
    """Lesson figures: WebP first, a srcset of widths with sizes. Each screen takes the
    narrowest file that covers the figure's slot in device pixels: a 390 px phone at the device
    pixel ratio of Lighthouse's phone (1.75) the 1x file of a wide figure (x descriptors sent it
    the 2x) and the 2x file of a phone layout (350 px wide, 612 device px needed); a wide hi-dpi
    screen the 2x. Width and height (the phone layout's own, on its source) reserve the space
    the figure fills (test_figure_legibility.py checks which layout is shown where)."""
    failures: list[str] = []
    checked = 0
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    for lang in LANGUAGES:
        for name in _lessons(site, lang):
            page.goto(server.url(f"{lang}/{name}"))
            for number, fig in enumerate(page.evaluate(_FIGURES_JS), start=1):
                where = f"{lang}/{name} image {number}"
                checked += 1
                if not re.fullmatch(r"([^ ,]+ \d+w)(, [^ ,]+ \d+w)+", fig["srcset"]) or not fig[
                    "sizes"
                ]:
                    failures.append(f"{where}: srcset {fig['srcset']!r} sizes {fig['sizes']!r}")
                    continue
                if not fig["webp"]:
                    failures.append(f"{where}: no WebP <source> in a <picture>")
                    continue
                slot = min(fig["width"], viewport["width"] - 40, 736)  # FIGURE_SLOT, in px
                wanted = _candidate_for(fig["webp"], slot * scale)
                if fig["current"].rsplit("/", 1)[-1] != wanted:
                    failures.append(f"{where}: took {fig['current']}, expected {wanted}")
                shown_w, shown_h = fig["shown"]
                if not fig["width"] or not fig["height"]:
                    failures.append(f"{where}: width/height {fig['width']}x{fig['height']}")
                elif abs(shown_h - shown_w * fig["height"] / fig["width"]) > 2:
                    failures.append(f"{where}: shown {shown_w:.0f}x{shown_h:.0f}, not in the "
                                    f"proportion {fig['width']}x{fig['height']}")
                elif shown_w > viewport["width"]:
                    failures.append(f"{where}: {shown_w:.0f} px wide in {viewport['width']} px")
    context.close()
    assert checked >= 2 * len(LANGUAGES), f"only {checked} figures found"
    assert not failures, "\n".join(failures)


def test_every_image_has_a_size_and_later_ones_load_lazily(site: Path, visits: dict) -> None:
    """width and height on every image (so the page does not jump as images arrive); every
    image after the first of a page waits until the reader comes near it."""
    failures: list[str] = []
    for path, seen in visits["pages"].items():
        # Sphinx's module-index toggler (an 11 px icon from its template, not the page's
        # content) is the one image the pages do not size.
        for image in (image for image in seen["images"] if not image["toggler"]):
            natural = image["natural"]
            size = [int(image["width"] or 0), int(image["height"] or 0)]
            if not all(size) or (
                natural[0] and abs(size[1] / size[0] - natural[1] / natural[0]) > 0.01
            ):
                failures.append(f"{path}: {image['src']} has width/height {size} for {natural}")
        html_text = (site / path).read_text(encoding="utf-8")
        tags = [tag for tag in re.findall(r"<img\s[^>]*>", html_text) if "toggler" not in tag]
        lazy = ['loading="lazy"' in tag for tag in tags]
        if tags and (lazy[0] or not all(lazy[1:])):
            failures.append(f"{path}: loading=lazy on images {lazy}, expected all but the first")
    assert not failures, "\n".join(failures)


def test_screenshots_of_the_lessons(site: Path, visits: dict, dark_lessons: dict) -> None:
    expected = {
        SCREENSHOTS / f"{lang}-{Path(name).stem}-{theme}.png"
        for lang in LANGUAGES
        for name in _lessons(site, lang)
        for theme in ("light", "dark")
    }
    assert set(visits["screenshots"]) | set(dark_lessons["screenshots"]) == expected
    for target in sorted(expected):
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, target


# ---- crawl: every internal link, anchor and asset of the built site (no browser) ----------------


class _Links(html.parser.HTMLParser):
    """The ids and the outgoing references of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []
        self.icon = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "link" and "icon" in (attributes.get("rel") or "").split():
            self.icon = True
        rel = (attributes.get("rel") or "").split()
        if tag == "link" and ("alternate" in rel or "canonical" in rel):
            tag = "link-page"  # names a page (an absolute URL under the base), loads nothing
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        wanted = {
            "a": "href",
            "link": "href",
            "link-page": "href",
            "img": "src",
            "script": "src",
            "source": "src",
            "form": "action",
        }
        if tag in wanted and attributes.get(wanted[tag]) is not None:
            self.refs.append((tag, attributes[wanted[tag]]))
        for srcset in (attributes.get("srcset"),):
            if srcset and tag in ("img", "source"):
                for candidate in srcset.split(","):
                    if candidate.strip():
                        self.refs.append((tag, candidate.split()[0]))


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}")


def _broken_css_urls(sheet: Path, site: Path) -> list[str]:
    """url() references of a local style sheet that are missing or leave the site.

    In an ``@font-face`` the formats are alternatives: one existing file per face is enough
    (KaTeX lists woff2, woff and ttf; the site ships woff2, which every current browser reads).
    """
    text = sheet.read_text(encoding="utf-8", errors="replace")
    where = sheet.relative_to(site).as_posix()
    broken = []

    def exists(ref: str) -> bool:
        return (sheet.parent / unquote(urlsplit(ref).path)).is_file()

    def local(refs: list[str]) -> list[str]:
        kept = []
        for ref in refs:
            parts = urlsplit(ref)
            if parts.scheme == "data" or ref.startswith("#"):
                continue
            if parts.scheme or parts.netloc:
                broken.append(f"{where}: url() loads from the network: {ref}")
            else:
                kept.append(ref)
        return kept

    for face in _FONT_FACE.findall(text):
        refs = local(_CSS_URL.findall(face))
        if refs and not any(exists(ref) for ref in refs):
            broken.append(f"{where}: @font-face with no file present: {refs}")
    for ref in local(_CSS_URL.findall(_FONT_FACE.sub("", text))):
        if not exists(ref):
            broken.append(f"{where}: url({ref}) missing")
    return broken


def _parse_site(site: Path) -> dict[Path, _Links]:
    parsed: dict[Path, _Links] = {}
    for path in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        parsed[path] = parser
    return parsed


def test_every_page_declares_an_icon(site: Path) -> None:
    """Without a declared icon, browsers request /favicon.ico: a 404 and a console error."""
    site = site.resolve()
    parsed = _parse_site(site)
    missing = [path.relative_to(site).as_posix() for path, seen in parsed.items() if not seen.icon]
    assert not missing, f"pages without <link rel=icon>: {missing}"


def test_every_page_is_linked(site: Path) -> None:
    """Every page can be reached by following links from the root page.

    A page nothing links to is usually the stale output of a deleted source that an
    incremental build left behind. Sphinx's own index pages (genindex, py-modindex, search)
    are exempt: themes need not link them all.
    """
    site = site.resolve()
    parsed = _parse_site(site)
    seen: set[Path] = set()
    todo = [site / "index.html"]
    while todo:
        path = todo.pop()
        if path in seen or path not in parsed:
            continue
        seen.add(path)
        for _tag, ref in parsed[path].refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or not parts.path.endswith((".html", "/")):
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            todo.append(target / "index.html" if target.is_dir() else target)
    orphans = sorted(
        path.relative_to(site).as_posix()
        for path in set(parsed) - seen
        if path.name not in SPECIAL_PAGES
    )
    assert not orphans, f"pages no link leads to (stale build output?): {orphans}"


def test_crawl_finds_no_broken_internal_link(site: Path) -> None:
    site = site.resolve()
    parsed = _parse_site(site)
    assert len(parsed) >= 5, f"only {len(parsed)} pages under {site}"
    broken: list[str] = []
    stylesheets: set[Path] = set()
    base = _base_url(site)
    for path, links in parsed.items():
        where = path.relative_to(site).as_posix()
        for tag, ref in links.refs:
            if tag == "link-page" and base and ref.startswith(base):
                ref = posixpath.relpath(ref[len(base):], path.parent.relative_to(site).as_posix())
            parts = urlsplit(ref)
            if parts.scheme in ("mailto", "data", "javascript"):
                continue
            if parts.scheme or parts.netloc:
                if tag != "a":
                    broken.append(f"{where}: <{tag}> loads from the network: {ref}")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_relative_to(site):
                broken.append(f"{where}: <{tag}> {ref} points outside the site")
                continue
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{where}: <{tag}> {ref}: {target.relative_to(site)} missing")
                continue
            if tag == "link" and target.suffix == ".css":
                stylesheets.add(target)
            if parts.fragment and target.suffix == ".html":
                anchor = unquote(parts.fragment)
                ids = parsed[target].ids if target in parsed else set()
                if anchor not in ids:
                    broken.append(f"{where}: <a> {ref}: no id {anchor!r} in {target.name}")
    for sheet in sorted(stylesheets):
        broken += _broken_css_urls(sheet, site)
    assert not broken, f"{len(broken)} broken reference(s):\n" + "\n".join(broken)
