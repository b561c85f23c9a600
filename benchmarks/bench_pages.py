"""Page weight and load time of every page of the built site, in Chromium, from a local server.

For each page of both languages, in a fresh browser context (nothing cached): the number of
requests, the bytes transferred (sum of the response bodies: HTML, CSS, JavaScript, fonts,
images) and the time from navigation start until the page has loaded with its math typeset
(load event, then ``document.fonts.ready`` and every image decoded).

Two passes: a desktop window (1280 x 720, device pixel ratio ``--scale``), then a 390 x 844 phone
at device pixel ratio 3. Images with ``loading="lazy"`` count when the browser fetched them for
the first screen (the weight a reader pays on opening the page, before scrolling). Each pass
prints a table (page | requests | KB | ms), then the heaviest and the median page checked against
its budget: desktop heaviest <= 1.5 MB, median <= 0.6 MB; phone heaviest < 0.8 MB, median <
0.4 MB (1 MB = 1,000,000 bytes, 1 KB = 1,000 bytes). Exits 1 when a budget is exceeded or a page
fails to load.

Usage: ``python benchmarks/bench_pages.py [--site build/html] [--lang en --lang ja] [--scale 2]
[--phone-only]``
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
    SETTLE_JS,
    SITE,
    browser_bench_problem,
    discover_pages,
    launch_chromium,
    served_site,
    snapshot_site,
)

HEAVIEST_BUDGET = 1_500_000  # bytes
MEDIAN_BUDGET = 600_000  # bytes
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}
PHONE_HEAVIEST_BUDGET = 800_000  # bytes
PHONE_MEDIAN_BUDGET = 400_000  # bytes


@dataclass
class PageCost:
    """What one page costs a reader on a first visit."""

    page: str
    requests: int
    size: int
    ms: float
    failed: list[str]


def measure(browser, server, path: str, device: dict) -> PageCost:
    """Load *path* in a fresh context emulating *device*; add up its requests."""
    context = browser.new_context(**device)
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
        help="device pixel ratio of the desktop pass (2: hi-dpi screens, the 2x figures)",
    )
    parser.add_argument("--phone-only", action="store_true", help="only the phone pass")
    args = parser.parse_args(argv)
    problem = browser_bench_problem(args.site)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    langs = args.lang or list(LANGUAGES)
    passes = [] if args.phone_only else [
        (f"desktop 1280 px, device pixel ratio {args.scale:g}",
         {"viewport": {"width": 1280, "height": 720}, "device_scale_factor": args.scale},
         HEAVIEST_BUDGET, MEDIAN_BUDGET),
    ]  # fmt: skip
    passes.append(("phone 390 px, device pixel ratio 3", PHONE, PHONE_HEAVIEST_BUDGET,
                   PHONE_MEDIAN_BUDGET))
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        site = snapshot_site(Path(tmp) / "html", args.site)
        paths = [f"{lang}/{name}" for lang in langs for name in discover_pages(site, lang)]
        with sync_playwright() as playwright, served_site(site) as server:
            browser = launch_chromium(playwright)
            try:
                results = [
                    (title, [measure(browser, server, path, device) for path in paths], *budget)
                    for title, device, *budget in passes
                ]
            finally:
                browser.close()
    passed = True
    for title, costs, heaviest_budget, median_budget in results:
        passed &= report(title, costs, heaviest_budget, median_budget)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def report(title: str, costs: list[PageCost], heaviest_budget: int, median_budget: int) -> bool:
    """Print one pass's table and budget check; whether it passed."""
    width = max(len("page"), *(len(cost.page) for cost in costs))
    print(f"\n{title}")
    print(f"{'page':<{width}} | requests |      KB |     ms")
    print(f"{'-' * width}-|----------|---------|-------")
    for cost in costs:
        kb = cost.size / 1000
        print(f"{cost.page:<{width}} | {cost.requests:8d} | {kb:7.1f} | {cost.ms:6.0f}")
    heaviest = max(costs, key=lambda cost: cost.size)
    median = statistics.median(cost.size for cost in costs)
    median_ms = statistics.median(cost.ms for cost in costs)
    print()
    print(f"pages: {len(costs)}; {title}; median load {median_ms:.0f} ms")
    ok_heaviest = heaviest.size <= heaviest_budget
    ok_median = median <= median_budget
    print(
        f"heaviest: {heaviest.page} {heaviest.size / 1e6:.3f} MB "
        f"(budget {heaviest_budget / 1e6:.1f} MB) {'PASS' if ok_heaviest else 'FAIL'}"
    )
    print(
        f"median:   {median / 1e6:.3f} MB (budget {median_budget / 1e6:.1f} MB) "
        f"{'PASS' if ok_median else 'FAIL'}"
    )
    failures = [f"{cost.page}: {url}" for cost in costs for url in cost.failed]
    if failures:
        print("requests that failed:\n  " + "\n  ".join(failures))
    return ok_heaviest and ok_median and not failures


if __name__ == "__main__":
    sys.exit(main())
