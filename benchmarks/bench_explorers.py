"""Speed and size of every explorer on the built site, in Chromium.

For each explorer on each lesson page (both languages): its size in bytes (the explorer's element
as the server sends it -- HTML, style, script and data; limit ``MAX_EXPLORER_BYTES``), and the
time from a key press to the redrawn frame, over ``--presses`` real key presses (Playwright's
keyboard, so the browser sees trusted input) on the explorer's primary control
(``[data-gdx-primary]``):

- *input -> drawn*: from the keydown event's timestamp until the explorer's script has finished
  redrawing (its ``gdx-render`` event);
- *input -> frame*: until the frame showing the new drawing has been produced (a message posted
  from the next ``requestAnimationFrame`` callback runs after that frame's paint). The goal is a
  median under 16 ms, one frame at 60 Hz.

The keys pressed are the control's ``data-gdx-primary`` value (space-separated key names) when it
has one, else ArrowRight; when a press changes nothing (the end of a slider), the direction turns
(ArrowLeft). Prints a table with medians and exits 1 when an explorer is over its size limit or
misses the frame goal.

Usage: ``python benchmarks/bench_explorers.py [--site build/html] [--lang en] [--presses 40]``
(build the site first: ``make html``; needs Chromium at /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser_support import (  # noqa: E402 -- the helpers live with the browser tests
    EXPLORERS_AS_SENT_JS,
    LANGUAGES,
    SITE,
    browser_bench_problem,
    launch_chromium,
    lesson_pages,
    served_site,
    snapshot_site,
)

from gdguide.explorers import MAX_EXPLORER_BYTES  # noqa: E402

FRAME_GOAL_MS = 16.0
OPPOSITE = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight", "ArrowUp": "ArrowDown",
            "ArrowDown": "ArrowUp", "PageUp": "PageDown", "PageDown": "PageUp"}  # fmt: skip


# Arms the measurement of one press: the keydown's timestamp, the end of the redraw, and the
# moment after the next frame (a MessageChannel task posted from requestAnimationFrame).
ARM_JS = """(id) => {
  const root = document.getElementById(id);
  window.__gdxBench = null;
  let input = null;
  const once = { capture: true, once: true };
  document.addEventListener("keydown", (e) => { input = e.timeStamp; }, once);
  root.addEventListener("gdx-render", () => {
    const drawn = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        window.__gdxBench = { input, drawn, frame: performance.now() };
      };
      channel.port2.postMessage(0);
    });
  }, { once: true });
}"""


@dataclass
class ExplorerTiming:
    """One explorer on one page: its size and the timings of its key presses (ms)."""

    page: str
    kind: str
    size: int
    drawn: list[float] = field(default_factory=list)
    frame: list[float] = field(default_factory=list)


def _press_once(page, element_id: str, key: str) -> tuple[float, float] | None:
    """Press *key* on the focused control; (input->drawn, input->frame) or None if no redraw."""
    page.evaluate(ARM_JS, element_id)
    page.keyboard.press(key)
    try:
        page.wait_for_function("window.__gdxBench !== null", timeout=1500)
    except Exception:  # noqa: BLE001 -- Playwright's TimeoutError: the press changed nothing
        return None
    times = page.evaluate("window.__gdxBench")
    return times["drawn"] - times["input"], times["frame"] - times["input"]


def measure(browser, server, path: str, presses: int) -> list[ExplorerTiming]:
    """Time *presses* key presses on every explorer of *path*."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server.url(path), wait_until="load")
    results = []
    for element_id, kind, size in page.evaluate(EXPLORERS_AS_SENT_JS):
        timing = ExplorerTiming(path, kind, size)
        control = page.locator(f"#{element_id} [data-gdx-primary]").first
        page.wait_for_selector(f"#{element_id}[data-gdx-ready]", timeout=10_000)
        control.scroll_into_view_if_needed()
        control.focus()
        keys = (control.get_attribute("data-gdx-primary") or "").split() or ["ArrowRight"]
        step = 0
        misses = 0
        while len(timing.frame) < presses and misses < 4:
            key = keys[step % len(keys)]
            times = _press_once(page, element_id, key)
            step += 1
            if times is None:  # the end of the range: go the other way
                misses += 1
                keys = [OPPOSITE.get(name, name) for name in keys]
                continue
            misses = 0
            timing.drawn.append(times[0])
            timing.frame.append(times[1])
        results.append(timing)
    context.close()
    return results


def report(timings: list[ExplorerTiming]) -> bool:
    """Print the table; whether every explorer met its size limit and the frame goal."""
    width = max(len("page"), *(len(t.page) for t in timings))
    print(f"{'page':<{width}} | explorer           |  bytes | presses | input->drawn ms | "
          "input->frame ms")  # fmt: skip
    print(f"{'-' * width}-|--------------------|--------|---------|-----------------|"
          "----------------")  # fmt: skip
    passed = True
    for t in timings:
        drawn = statistics.median(t.drawn) if t.drawn else float("nan")
        frame = statistics.median(t.frame) if t.frame else float("nan")
        ok = t.size <= MAX_EXPLORER_BYTES and bool(t.frame) and frame < FRAME_GOAL_MS
        passed &= ok
        print(f"{t.page:<{width}} | {t.kind:<18} | {t.size:6d} | {len(t.frame):7d} | "
              f"{drawn:15.2f} | {frame:14.2f}{'' if ok else '  FAIL'}")  # fmt: skip
    print(f"\nlimits: {MAX_EXPLORER_BYTES} bytes per explorer; median input->frame under "
          f"{FRAME_GOAL_MS:g} ms (medians over the presses of each explorer)")  # fmt: skip
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (build/html)")
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="only this language")
    parser.add_argument("--presses", type=int, default=40, help="key presses per explorer")
    args = parser.parse_args(argv)
    problem = browser_bench_problem(args.site)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-explorers-") as tmp:
        site = snapshot_site(Path(tmp) / "html", args.site)
        langs = args.lang or LANGUAGES
        paths = [f"{lang}/{name}" for lang in langs for name in lesson_pages(site, lang)]
        with sync_playwright() as playwright, served_site(site) as server:
            browser = launch_chromium(playwright)
            try:
                timings = [
                    timing
                    for path in paths
                    for timing in measure(browser, server, path, args.presses)
                ]
            finally:
                browser.close()
    if not timings:
        print("no explorer found on the lesson pages", file=sys.stderr)
        return 1
    passed = report(timings)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
