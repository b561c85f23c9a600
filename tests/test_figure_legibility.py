"""Figure text stays legible on a 390 px phone and on a 1280 px screen, in both languages.

When the site saves a lesson figure, its scraper (docs/_ext/gdguide_figures.py) records the size
of the smallest text the figure draws, in pixels of the 1x image; the page carries it as
``data-min-text-px`` on the ``<img>`` (the wide layout) and on the ``<source media>`` of the phone
layout. Here every figure of every lesson is loaded in Chromium, and the smallest text as the
reader sees it is computed from the image the browser actually chose (``currentSrc``):

    smallest px in the chosen file × rendered width / natural width of the chosen file

where the smallest px in the chosen file is the recorded 1x size scaled by the chosen file's
natural width over the 1x width. It must be at least 10 CSS px; at 390 px the phone layout must
be the one chosen, at 1280 px the wide one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import LANGUAGES, lesson_pages

from gdguide.figure_variants import LEGIBLE_TEXT_PX

pytestmark = [pytest.mark.build, pytest.mark.browser]

#: viewport and device pixel ratio: a phone (its 2x files) and a plain desktop screen (1x)
VIEWPORTS = {
    "390px": ({"width": 390, "height": 844}, 3),
    "1280px": ({"width": 1280, "height": 800}, 1),
}
WANTED_LAYOUT = {"390px": "phone", "1280px": "wide"}

_FIGURES_JS = r"""
async () => {
  const figures = Array.from(document.querySelectorAll(
    '[role="main"] img.sphx-glr-single-img, [role="main"] img.sphx-glr-multi-img'));
  for (const img of figures) img.loading = "eager";
  await Promise.all(figures.map((img) => img.complete ? null : new Promise((resolve) => {
    img.addEventListener("load", resolve, {once: true});
    img.addEventListener("error", resolve, {once: true});
  })));
  const urls = (element) => (element.getAttribute("srcset") || "").split(",")
    .map((part) => part.trim().split(/\s+/)[0]).filter(Boolean)
    .map((url) => new URL(url, document.baseURI).href);
  return figures.map((img) => {
    const picture = img.parentElement.tagName === "PICTURE" ? img.parentElement : null;
    const sources = picture ? Array.from(picture.querySelectorAll("source")) : [];
    const chosen = sources.find((source) => urls(source).includes(img.currentSrc));
    const phone = chosen && chosen.media ? chosen : null;
    const layout = phone || img;  // the element that describes the layout on the screen
    return {
      name: img.getAttribute("src").split("/").pop(), alt: img.alt,
      current: img.currentSrc.split("/").pop(), natural: img.naturalWidth,
      shown: img.getBoundingClientRect().width,
      layout: phone ? "phone" : "wide",
      phoneOffered: sources.some((source) => source.media),
      minTextPx: layout.dataset.minTextPx ? Number(layout.dataset.minTextPx) : null,
      width1x: Number(layout.getAttribute("width")),
    };
  });
}
"""


@pytest.fixture(scope="module")
def seen(browser, server, site: Path) -> dict[str, dict[str, list[dict]]]:
    """Every lesson figure of both languages as shown at each viewport, by viewport and page."""
    report: dict[str, dict[str, list[dict]]] = {}
    for name, (viewport, scale) in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, device_scale_factor=scale)
        page = context.new_page()
        report[name] = {}
        for lang in LANGUAGES:
            lessons = lesson_pages(site, lang)
            assert lessons, f"no lesson pages under {site / lang}"
            for lesson in lessons:
                path = f"{lang}/{lesson}"
                page.goto(server.url(path), wait_until="load")
                report[name][path] = page.evaluate(_FIGURES_JS)
        context.close()
    return report


def rendered_text_px(figure: dict) -> float:
    """The smallest text of *figure* in CSS px, as shown, from the file the browser chose."""
    in_chosen_file = figure["minTextPx"] * figure["natural"] / figure["width1x"]
    return in_chosen_file * figure["shown"] / figure["natural"]


def _where(viewport: str, path: str, figure: dict) -> str:
    return f"{viewport} {path}: figure {figure['name']} ({figure['alt']!r}, {figure['current']})"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_smallest_text_of_every_figure_is_at_least_10_css_px(seen, viewport):
    failures = []
    checked = 0
    for path, figures in seen[viewport].items():
        for figure in figures:
            checked += 1
            where = _where(viewport, path, figure)
            if figure["minTextPx"] is None or not figure["width1x"] or not figure["natural"]:
                failures.append(f"{where}: no record of its smallest text (data-min-text-px)")
                continue
            size = rendered_text_px(figure)
            if size < LEGIBLE_TEXT_PX:
                failures.append(
                    f"{where}: smallest text {size:.1f} CSS px < {LEGIBLE_TEXT_PX:g} "
                    f"({figure['layout']} layout shown {figure['shown']:.0f} px wide)"
                )
    assert checked >= 2 * len(LANGUAGES), f"only {checked} figures found"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_phone_layout_is_shown_on_a_phone_and_the_wide_one_on_a_desktop(seen, viewport):
    wanted = WANTED_LAYOUT[viewport]
    failures = []
    for path, figures in seen[viewport].items():
        for figure in figures:
            where = _where(viewport, path, figure)
            if wanted == "phone" and not figure["phoneOffered"]:
                failures.append(f"{where}: the page offers no phone layout")
            elif figure["layout"] != wanted:
                failures.append(f"{where}: the {figure['layout']} layout was chosen, not {wanted}")
    assert not failures, "\n".join(failures)


_PICTURE = re.compile(r"<picture>(.*?)</picture>", re.S)
_TAG = re.compile(r"<(source|img)\s([^>]*)>")
_ATTR = re.compile(r'([-\w]+)="([^"]*)"')


def test_the_phone_layout_is_offered_exactly_where_the_wide_text_would_be_too_small(site):
    """Between the breakpoint of a figure's ``<source media>`` and 1280 px the wide layout is
    shown, in furo's column (the viewport less 2 rem, at most 46 rem): its text stays legible
    from one pixel past the breakpoint on. The breakpoint is 600 px unless the wide text needs
    more; the PNG and the WebP source of the phone layout agree."""
    failures = []
    offered = 0
    for lang in LANGUAGES:
        for lesson in lesson_pages(site, lang):
            text = (site / lang / lesson).read_text(encoding="utf-8")
            for picture in _PICTURE.findall(text):
                tags = [(tag, dict(_ATTR.findall(attrs))) for tag, attrs in _TAG.findall(picture)]
                img = next(attrs for tag, attrs in tags if tag == "img")
                phones = [attrs for tag, attrs in tags if tag == "source" and "media" in attrs]
                if not phones:
                    continue
                offered += 1
                where = f"{lang}/{lesson}: {img['src'].rsplit('/', 1)[-1]}"
                if len({(p["media"], p["width"], p.get("data-min-text-px")) for p in phones}) != 1:
                    failures.append(f"{where}: the phone sources disagree: {phones}")
                match = re.fullmatch(r"\(max-width: (\d+)px\)", phones[0]["media"])
                if not match or "data-min-text-px" not in img:
                    failures.append(f"{where}: media {phones[0]['media']!r}, img {img}")
                    continue
                breakpoint, width = int(match.group(1)), int(img["width"])
                if breakpoint < 600:
                    failures.append(f"{where}: phone layout only up to {breakpoint} px")
                for viewport in (breakpoint + 1, 1280):
                    shown = min(width, viewport - 32, 736)
                    size = float(img["data-min-text-px"]) * shown / width
                    if size < LEGIBLE_TEXT_PX:
                        failures.append(f"{where}: wide text {size:.1f} px at {viewport} px")
                if breakpoint > 600:  # no later than needed
                    shown = min(width, breakpoint - 1 - 40, 736)
                    if float(img["data-min-text-px"]) * shown / width >= LEGIBLE_TEXT_PX + 0.5:
                        failures.append(f"{where}: breakpoint {breakpoint} px is later than needed")
    assert offered, "no figure offers a phone layout"
    assert not failures, "\n".join(failures)
