"""Helpers for the real-browser tests and the page benchmark.

Everything here works against the built site (``build/html``):

* :func:`snapshot_site` copies the published tree aside, so that a rebuild running while the
  tests run (``tools/build_site.py`` swaps ``build/html`` whole) cannot change pages under them;
* :class:`StaticServer` serves a folder on ``127.0.0.1`` on a free port from a thread;
* :func:`launch_chromium` starts the system Chromium (Playwright's own download is not used);
* :func:`discover_pages` lists the pages of one language; :class:`PageWatch` records console
  errors, failed requests and requests that try to leave the local server.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gdguide.languages import CODES

ROOT = Path(__file__).resolve().parents[1]
#: The built site; GDGUIDE_SITE points the tests and the benchmark at another built tree.
SITE = Path(os.environ.get("GDGUIDE_SITE") or ROOT / "build" / "html")
SCREENSHOTS = ROOT / "build" / "screenshots"
LANGUAGES = CODES  # from the registry of languages
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_SITE = "build/html is missing or incomplete: run make html first"
MISSING_CHROMIUM = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
#: Pages that are not content: kept in the page list (they must work too), but flagged.
SPECIAL_PAGES = ("genindex.html", "search.html", "py-modindex.html")


def site_problem(site: Path = SITE) -> str | None:
    """Return why *site* is not a usable built site, or None when it is."""
    for name in ("index.html", *(f"{lang}/index.html" for lang in LANGUAGES)):
        if not (site / name).is_file():
            return f"{MISSING_SITE} ({site / name} not found)"
    return None


def browser_bench_problem(site: Path = SITE) -> str | None:
    """Why a browser benchmark cannot run on *site* (no built site, no Chromium), or None."""
    if problem := site_problem(site):
        return problem
    return None if chromium_available() else MISSING_CHROMIUM


def snapshot_site(target: Path, site: Path = SITE, attempts: int = 3) -> Path:
    """Copy the built *site* to *target* and return *target*.

    A rebuild publishes by renaming folders; a copy that races with it is simply retried.
    """
    for attempt in range(attempts):
        shutil.rmtree(target, ignore_errors=True)
        try:
            shutil.copytree(site, target)
        except (FileNotFoundError, shutil.Error):
            if attempt == attempts - 1:
                raise
            time.sleep(1.0)
            continue
        return target
    raise AssertionError("unreachable")  # pragma: no cover


def discover_pages(site: Path, lang: str) -> list[str]:
    """Return the pages of one language as paths relative to ``site/lang``, sorted."""
    base = site / lang
    return sorted(path.relative_to(base).as_posix() for path in base.rglob("*.html"))


def is_lesson(page: str) -> bool:
    """Whether *page* (relative to a language root) is a lesson: ``auto_examples/plot_*.html``."""
    folder, _, name = page.rpartition("/")
    return folder == "auto_examples" and name.startswith("plot_")


def lesson_pages(site: Path, lang: str) -> list[str]:
    """Return the lesson pages of one language."""
    return [page for page in discover_pages(site, lang) if is_lesson(page)]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files over keep-alive HTTP/1.1, without a log line per request."""

    protocol_version = "HTTP/1.1"

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".webp": "image/webp",
        ".xml": "application/xml",
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".ttf": "font/ttf",
        ".json": "application/json",
        ".inv": "application/octet-stream",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        # Pages are always fetched afresh; within one browser context, the shared assets
        # (_static/, _images/) may come from the cache, as they would for a reader.
        shared = "/_static/" in self.path or "/_images/" in self.path
        self.send_header("Cache-Control", "max-age=600" if shared else "no-cache")
        super().end_headers()


class _CompressingHandler(_QuietHandler):
    """Like _QuietHandler, and text compressed with gzip when asked, as web hosts do."""

    TEXT = (".html", ".css", ".js", ".svg", ".json", ".xml", ".txt")

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wanted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wanted and path.suffix in self.TEXT and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class StaticServer:
    """Serve *directory* on ``127.0.0.1`` at a free port from a daemon thread.

    With *compress*, text is sent gzip-compressed to clients that accept it (the benchmarks'
    model of a real web host; the tests read the files as they are).
    """

    def __init__(self, directory: Path, compress: bool = False) -> None:
        handler_class = _CompressingHandler if compress else _QuietHandler
        handler = functools.partial(handler_class, directory=str(directory))
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.host, self.port = self._httpd.server_address[:2]
        self.base_url = f"http://{self.host}:{self.port}"
        self.netloc = f"{self.host}:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="gdguide-site-server", daemon=True
        )

    def __enter__(self) -> StaticServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        """Return the absolute URL of *path* (relative to the served folder)."""
        return f"{self.base_url}/{path.lstrip('/')}"


def chromium_available() -> bool:
    """Whether the system Chromium is installed where the tests expect it."""
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def launch_chromium(playwright: Any) -> Any:
    """Start headless system Chromium through Playwright and return the Browser."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def local_prefixes(netloc: str | None) -> tuple[str, ...]:
    """URL prefixes that count as local: the server at *netloc*, or the disk when None."""
    inline = ("data:", "blob:", "about:")
    if netloc is None:
        return ("file:", *inline)
    return (f"http://{netloc}/", *inline)


#: The explorers of the open page as the server sent them, ``[id, kind, bytes]`` each: the page is
#: fetched again and parsed without running scripts, so the size is what travels, not the DOM
#: the scripts grew (tests/test_explorers_on_pages.py, benchmarks/bench_explorers.py).
EXPLORERS_AS_SENT_JS = """async () => {
  const text = await (await fetch(location.href)).text();
  const doc = new DOMParser().parseFromString(text, "text/html");
  return [...doc.querySelectorAll("[data-explorer]")].map(
    (el) => [el.id, el.dataset.explorer, new Blob([el.outerHTML]).size]);
}"""


class PageWatch:
    """Record what goes wrong while pages load in one browser context.

    :meth:`attach` (before the first navigation) routes every request that does not start with
    one of the local prefixes (the server at *netloc*; or, with ``netloc=None``, the disk) to a
    handler that records and aborts it: matching is a regular expression evaluated by the
    browser driver, so local requests are not slowed by a round trip through Python. It also
    records console errors, uncaught exceptions, failed requests and HTTP errors.
    """

    def __init__(self, netloc: str | None) -> None:
        self.prefixes = local_prefixes(netloc)
        self.page_url = ""
        self.external: list[str] = []
        self.problems: list[str] = []

    def _where(self) -> str:
        return self.page_url or "?"

    def _route(self, route: Any) -> None:
        self.external.append(f"{self._where()} -> {route.request.url}")
        route.abort("blockedbyclient")

    def attach(self, context: Any, route: bool = True) -> None:
        """Listen on *context* (a Playwright BrowserContext); route it unless *route* is False.

        Routing turns the browser's HTTP cache off; without it, requests that leave are not
        blocked, only recorded.
        """
        if route:
            local = "|".join(re.escape(prefix) for prefix in self.prefixes)
            context.route(re.compile(f"^(?!(?:{local}))"), self._route)
        else:
            context.on("request", self._record_external)
        context.on("page", self.watch_page)

    def _record_external(self, request: Any) -> None:
        if not request.url.startswith(self.prefixes):
            self.external.append(f"{self._where()} -> {request.url}")

    def watch_page(self, page: Any) -> None:
        """Listen on one page (called for every page of an attached context)."""

        def on_console(msg: Any) -> None:
            if msg.type == "error":
                source = (msg.location or {}).get("url") or "?"
                self.problems.append(f"{self._where()}: console error: {msg.text} [{source}]")

        def on_pageerror(error: Any) -> None:
            self.problems.append(f"{self._where()}: uncaught exception: {error}")

        def on_failed(request: Any) -> None:
            url = request.url
            if not url.startswith(self.prefixes):
                return  # recorded as external (and aborted on purpose)
            if request.is_navigation_request() and "ERR_ABORTED" in (request.failure or ""):
                return  # a page that sent the browser on (the root page) before it finished
            if request.resource_type == "image" and "ERR_ABORTED" in (request.failure or ""):
                # the browser cancelled it itself: it chose another source of a <picture> or
                # srcset while the first was loading (a viewport change, a full-page screenshot).
                # An image that really fails to load is caught by the pages' broken-image check.
                return
            self.problems.append(f"{self._where()}: request failed: {url} ({request.failure})")

        def on_response(response: Any) -> None:
            if response.status >= 400:
                self.problems.append(f"{self._where()}: HTTP {response.status} for {response.url}")

        page.on("console", on_console)
        page.on("pageerror", on_pageerror)
        page.on("requestfailed", on_failed)
        page.on("response", on_response)


@contextlib.contextmanager
def served_site(directory: Path, compress: bool = False) -> Iterator[StaticServer]:
    """Serve *directory* for the duration of the ``with`` block (gzip with *compress*)."""
    with StaticServer(directory, compress) as server:
        yield server


#: JavaScript: resolves once the page has loaded, its web fonts are ready and every image has
#: finished (successfully or not); images with loading="lazy" only if they are not deferred (a
#: deferred one loads when the reader scrolls near it, and would never finish here).
SETTLE_JS = """
async () => {
  if (document.readyState !== "complete") {
    await new Promise((resolve) => window.addEventListener("load", resolve, {once: true}));
  }
  await document.fonts.ready;
  const fold = window.innerHeight;
  await Promise.all(Array.from(document.images).map((img) =>
    img.complete || (img.loading === "lazy" && (!img.getClientRects().length
                                                || img.getBoundingClientRect().top > fold))
      ? null : new Promise((resolve) => {
      img.addEventListener("load", resolve, {once: true});
      img.addEventListener("error", resolve, {once: true});
    })));
  return performance.now();
}
"""

#: JavaScript: load every image now, lazy ones included (for full-page screenshots).
EAGER_IMAGES_JS = """
() => { for (const img of document.images) { if (img.loading === "lazy") img.loading = "eager"; } }
"""
