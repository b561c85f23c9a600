"""KaTeX's two outputs compared on the built pages: HTML + MathML (the site's) and MathML only.

KaTeX's default output (``htmlAndMathml``) writes every formula twice: a MathML copy for
assistive technology and a tree of styled ``<span>`` for the eye, drawn with KaTeX's own fonts.
Its ``mathml`` output is exactly the first copy, ``<span class="katex"><math>…</math></span>``,
which the browser lays out itself with a system math font and needs neither KaTeX's style sheet
nor its fonts. This script derives the MathML-only variant of each measured page from the built
page in Chromium (it removes ``.katex-html``, unwraps ``.katex-mathml`` and drops KaTeX's style
sheet), then prints, per page and variant: DOM elements, HTML bytes, and (``--lighthouse N``)
the median Lighthouse mobile performance, LCP and TBT over N runs. Screenshots of the first
display equations of a lesson in both variants go to ``build/screenshots/math-*.png``.

Usage: ``python benchmarks/bench_math.py [--site build/html] [--lighthouse 3]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_lighthouse import ensure_lighthouse, run_once  # noqa: E402
from browser_support import (  # noqa: E402
    SCREENSHOTS,
    SETTLE_JS,
    SITE,
    launch_chromium,
    served_site,
    site_problem,
    snapshot_site,
)

PAGES = (
    "en/index.html",
    "en/auto_examples/plot_2_gradient_descent.html",
    "en/auto_examples/plot_3_chain_rule.html",
    "ja/auto_examples/plot_2_gradient_descent.html",
    "en/api.html",
)
SCREENSHOT_PAGE = "en/auto_examples/plot_3_chain_rule.html"

_TO_MATHML_JS = r"""
() => {
  document.querySelectorAll(".katex-html").forEach((node) => node.remove());
  document.querySelectorAll(".katex-mathml")
    .forEach((node) => node.replaceWith(...node.childNodes));
  document.querySelectorAll('link[href*="katex"]').forEach((node) => node.remove());
  return "<!doctype html>\n" + document.documentElement.outerHTML;
}
"""
_COUNT_JS = "() => document.getElementsByTagName('*').length"


def main(argv: list[str] | None = None) -> int:
    """Build the MathML-only variant of the pages, measure both, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (build/html)")
    parser.add_argument("--lighthouse", type=int, default=0, help="Lighthouse runs per page")
    args = parser.parse_args(argv)
    problem = site_problem(args.site)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-math-") as tmp:
        site = snapshot_site(Path(tmp) / "html", args.site)
        with sync_playwright() as playwright, served_site(site, compress=True) as server:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 390, "height": 844})
            variants = {}
            for path in PAGES:
                page.goto(server.url(path))
                page.evaluate(SETTLE_JS)
                html_count = page.evaluate(_COUNT_JS)
                mathml = page.evaluate(_TO_MATHML_JS)
                mathml_path = path.replace(".html", ".mathml.html")
                (site / mathml_path).write_text(mathml, encoding="utf-8")
                page.goto(server.url(mathml_path))
                page.evaluate(SETTLE_JS)
                variants[path] = mathml_path
                rows.append([path, "html+mathml", html_count, (site / path).stat().st_size])
                rows.append([path, "mathml", page.evaluate(_COUNT_JS), len(mathml.encode())])
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            for label, path in (("html", SCREENSHOT_PAGE), ("mathml", variants[SCREENSHOT_PAGE])):
                page.goto(server.url(path))
                page.evaluate(SETTLE_JS)
                blocks = page.locator(".math-wrapper, div.math")
                for index in range(min(3, blocks.count())):
                    blocks.nth(index).screenshot(
                        path=str(SCREENSHOTS / f"math-{index + 1}-{label}.png")
                    )
            browser.close()
            if args.lighthouse:
                ensure_lighthouse()
                for row in rows:
                    path = row[0] if row[1] == "html+mathml" else variants[row[0]]
                    runs = [
                        run_once(server.url(path), Path(tmp) / "report.json")
                        for _ in range(args.lighthouse)
                    ]
                    row += [
                        statistics.median(run["scores"]["performance"] for run in runs),
                        statistics.median(run["lcp"] for run in runs) / 1000,
                        statistics.median(run["tbt"] for run in runs),
                    ]
                    print(f"  measured {path}", file=sys.stderr, flush=True)
    width = max(len(row[0]) for row in rows)
    extra = " | perf | LCP s | TBT ms" if args.lighthouse else ""
    print(f"{'page':<{width}} | output      | DOM elements |   HTML KB{extra}")
    for row in rows:
        line = f"{row[0]:<{width}} | {row[1]:<11} | {row[2]:12d} | {row[3] / 1000:9.1f}"
        if args.lighthouse:
            line += f" | {row[4]:4.0f} | {row[5]:5.1f} | {row[6]:6.0f}"
        print(line)
    print(f"screenshots: {SCREENSHOTS.relative_to(ROOT)}/math-*-html.png, math-*-mathml.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
