"""Page weight and load time of every page of the built site, in Chromium, from a local server.

For each page of both languages, in a fresh browser context (nothing cached): the number of
requests, the bytes transferred (sum of the response bodies: HTML, CSS, JavaScript, fonts,
images) and the time from navigation start until the page has loaded with its math typeset
(load event, then ``document.fonts.ready`` and every image decoded).

Prints a table (page | requests | KB | ms), then the heaviest and the median page checked against
the budget: heaviest <= 1.5 MB, median <= 0.6 MB (1 MB = 1,000,000 bytes, 1 KB = 1,000 bytes).
Exits 1 when the budget is exceeded or a page fails to load.

Usage: ``python benchmarks/bench_pages.py [--site build/html] [--lang en --lang ja] [--scale 2]``
(build the site first: ``make html``; needs Chromium at /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (  # noqa: E402 -- the helpers live with the browser tests
    LANGUAGES,
    MISSING_CHROMIUM,
    SETTLE_JS,
    SITE,
    chromium_available,
    discover_pages,
    launch_chromium,
    served_site,
    site_problem,
    snapshot_site,
)

HEAVIEST_BUDGET = 1_500_000  # bytes
MEDIAN_BUDGET = 600_000  # bytes


@dataclass
class PageCost:
    """What one page costs a reader on a first visit."""

    page: str
    requests: int
    size: int
    ms: float
    failed: list[str]


def measure(browser, server, path: str, scale: float = 1.0) -> PageCost:
    """Load *path* in a fresh context (device pixel ratio *scale*); add up its requests."""
    context = browser.new_context(device_scale_factor=scale)
    page = context.new_page()
    requests = []
    failed: list[str] = []
    page.on("request", lambda request: requests.append(request))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on(
        "response",
        lambda response: (
            failed.append(f"HTTP {response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.goto(server.url(path), wait_until="load")
    ms = page.evaluate(SETTLE_JS)
    total = 0
    for request in requests:
        if request.url.startswith("data:") or request.failure:
            continue
        response = request.response()
        if response is None:
            continue
        response.finished()
        total += request.sizes()["responseBodySize"]
    context.close()
    return PageCost(path, len(requests), total, ms, failed)


def main(argv: list[str] | None = None) -> int:
    """Measure every page, print the table and the budget check; 1 on FAIL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (build/html)")
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="only this language")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="device pixel ratio (2: hi-dpi screens, which fetch the 2x figures)",
    )
    args = parser.parse_args(argv)
    problem = site_problem(args.site)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if not chromium_available():
        print(MISSING_CHROMIUM, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    langs = args.lang or list(LANGUAGES)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        site = snapshot_site(Path(tmp) / "html", args.site)
        paths = [f"{lang}/{name}" for lang in langs for name in discover_pages(site, lang)]
        with sync_playwright() as playwright, served_site(site) as server:
            browser = launch_chromium(playwright)
            try:
                costs = [measure(browser, server, path, args.scale) for path in paths]
            finally:
                browser.close()

    width = max(len("page"), *(len(cost.page) for cost in costs))
    print(f"{'page':<{width}} | requests |      KB |     ms")
    print(f"{'-' * width}-|----------|---------|-------")
    for cost in costs:
        kb = cost.size / 1000
        print(f"{cost.page:<{width}} | {cost.requests:8d} | {kb:7.1f} | {cost.ms:6.0f}")
    heaviest = max(costs, key=lambda cost: cost.size)
    median = statistics.median(cost.size for cost in costs)
    median_ms = statistics.median(cost.ms for cost in costs)
    print()
    print(f"pages: {len(costs)}; device pixel ratio {args.scale:g}; median load {median_ms:.0f} ms")
    ok_heaviest = heaviest.size <= HEAVIEST_BUDGET
    ok_median = median <= MEDIAN_BUDGET
    print(
        f"heaviest: {heaviest.page} {heaviest.size / 1e6:.3f} MB "
        f"(budget {HEAVIEST_BUDGET / 1e6:.1f} MB) {'PASS' if ok_heaviest else 'FAIL'}"
    )
    print(
        f"median:   {median / 1e6:.3f} MB (budget {MEDIAN_BUDGET / 1e6:.1f} MB) "
        f"{'PASS' if ok_median else 'FAIL'}"
    )
    failures = [f"{cost.page}: {url}" for cost in costs for url in cost.failed]
    if failures:
        print("requests that failed:\n  " + "\n  ".join(failures))
    passed = ok_heaviest and ok_median and not failures
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
