"""Lighthouse's mobile audit of the built site: median scores, LCP, TBT and bytes per page.

For the landing page, every lesson and the API page of both languages, Lighthouse (npm, pinned in
``benchmarks/lighthouse/package-lock.json``, installed there by this script when missing) runs
``--runs`` times (default 3) against the site served on 127.0.0.1 (text gzip-compressed, as every
web host serves it; ``--uncompressed`` sends the files as they are), driving the system Chromium
in its default mobile mode (simulated slow 4G, 4x CPU slowdown). Prints one row per page with the
median of each column: the four category scores (performance, accessibility, best practices,
SEO), largest contentful paint, total blocking time, bytes transferred and DOM elements; then the
pages that miss the goal (performance >= 90, the other three 100) with the audits that cost them
points in the last run.

Usage: ``python benchmarks/bench_lighthouse.py [--site build/html] [--lang en] [--runs 3]
[--page api.html] [--json out.json] [--uncompressed]`` (build the site first; one run of one
page takes about 20 s on a shared 2-core machine, the whole table about 15 minutes). Exits 1 when
a page misses the goal, 2 when the site, Chromium or npm is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (  # noqa: E402 -- the helpers live with the browser tests
    CHROMIUM,
    LANGUAGES,
    SITE,
    browser_bench_problem,
    discover_pages,
    served_site,
    snapshot_site,
)

LIGHTHOUSE_DIR = ROOT / "benchmarks" / "lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}
GOAL = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def ensure_lighthouse() -> Path:
    """Install the pinned Lighthouse into benchmarks/lighthouse/ (npm ci) unless it is there."""
    if not LIGHTHOUSE_BIN.is_file():
        if shutil.which("npm") is None:
            raise SystemExit("npm not found: install Node.js and npm (apt-get install npm)")
        print("installing the pinned Lighthouse into benchmarks/lighthouse/ (npm ci)", flush=True)
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return LIGHTHOUSE_BIN


def audited_pages(site: Path, lang: str) -> list[str]:
    """The landing page, every lesson and the API page of *lang* (relative to the site)."""
    pages = discover_pages(site, lang)
    lessons = [page for page in pages if page.startswith("auto_examples/plot_")]
    return [f"{lang}/{name}" for name in ["index.html", *lessons, "api.html"] if name in pages]


def run_once(url: str, out: Path) -> dict:
    """One Lighthouse run of *url*; the numbers this benchmark reports, and the failed audits."""
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    command = [
        str(LIGHTHOUSE_BIN), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}",
        "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]  # fmt: skip
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    missed = []
    for key in CATEGORIES:
        category = report["categories"][key]
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                missed.append(f"{SHORT[key]}: {ref['id']} ({audit['score']:.2f})")
    return {
        "scores": {key: round(100 * report["categories"][key]["score"]) for key in CATEGORIES},
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "dom": audits["dom-size"].get("numericValue", 0),
        "missed": missed,
    }


def summarise(runs: list[dict]) -> dict:
    """The median of every column over the runs of one page (and the last run's misses)."""
    return {
        "scores": {
            key: statistics.median(run["scores"][key] for run in runs) for key in CATEGORIES
        },
        **{col: statistics.median(run[col] for run in runs) for col in ("lcp", "tbt", "bytes")},
        "dom": statistics.median(run["dom"] for run in runs),
        "missed": runs[-1]["missed"],
    }


def main(argv: list[str] | None = None) -> int:
    """Audit the pages, print the table; 1 when a page misses the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (build/html)")
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="only this language")
    parser.add_argument("--page", action="append", help="only pages whose path ends so")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median reported)")
    parser.add_argument("--json", type=Path, help="also write every run's numbers here")
    parser.add_argument(
        "--uncompressed", action="store_true",
        help="serve the files as they are (default: text gzip-compressed, as web hosts serve it)",
    )
    args = parser.parse_args(argv)
    problem = browser_bench_problem(args.site)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    ensure_lighthouse()
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        site = snapshot_site(Path(tmp) / "html", args.site)
        paths = [path for lang in args.lang or LANGUAGES for path in audited_pages(site, lang)]
        if args.page:
            paths = [path for path in paths if path.endswith(tuple(args.page))]
        with served_site(site, compress=not args.uncompressed) as server:
            for path in paths:
                results[path] = [
                    run_once(server.url(path), Path(tmp) / "report.json")
                    for _ in range(args.runs)
                ]
                print(f"  measured {path}", file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")

    rows = {path: summarise(runs) for path, runs in results.items()}
    width = max(len("page"), *(len(path) for path in rows))
    head = " | ".join(f"{SHORT[key]:>4}" for key in CATEGORIES)
    print(f"{'page':<{width}} | {head} | LCP s | TBT ms |      KB |  DOM")
    rule = "|".join("-" * 6 for _ in CATEGORIES)
    print(f"{'-' * width}-|{rule}|-------|--------|---------|-----")
    for path, row in rows.items():
        scores = " | ".join(f"{row['scores'][key]:4.0f}" for key in CATEGORIES)
        print(
            f"{path:<{width}} | {scores} | {row['lcp'] / 1000:5.1f} | {row['tbt']:6.0f} | "
            f"{row['bytes'] / 1000:7.1f} | {row['dom']:4.0f}"
        )
    perf = [row["scores"]["performance"] for row in rows.values()]
    print()
    print(
        f"pages: {len(rows)}, {args.runs} runs each (medians), "
        f"{'uncompressed' if args.uncompressed else 'gzip'}; performance min "
        f"{min(perf):.0f}, median {statistics.median(perf):.1f}; goal: performance >= 90, "
        "accessibility, best practices and SEO 100"
    )
    misses = {
        path: row for path, row in rows.items()
        if any(row["scores"][key] < GOAL[key] for key in CATEGORIES)
    }  # fmt: skip
    for path, row in misses.items():
        print(f"MISS {path}: " + "; ".join(row["missed"]))
    print("PASS" if not misses else "FAIL")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
