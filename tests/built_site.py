"""Read the built site: lesson pages, their images, downloads and printed output."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from site_sources import SITE


def require_site() -> Path:
    """Fail (never skip) when the site has not been built: the test command builds it first."""
    if not (SITE / "index.html").is_file():
        pytest.fail("build/html is missing: run `make html` first (`make test` does it)")
    return SITE


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.links: list[str] = []
        self.outputs: list[str] = []
        self._in_output = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "img":
            self.images.append(attributes)
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag == "pre" and self._in_output:
            self._in_output += 1
        if tag == "div" and "sphx-glr-script-out" in attributes.get("class", ""):
            self._in_output = 1
            self._buffer = []
        elif tag == "div" and self._in_output:
            self._in_output += 1

    def handle_endtag(self, tag: str) -> None:
        if self._in_output and tag in ("div", "pre"):
            self._in_output -= 1
            if self._in_output == 0:
                self.outputs.append("".join(self._buffer))

    def handle_data(self, data: str) -> None:
        if self._in_output:
            self._buffer.append(data)


def parse_page(path: Path) -> _PageParser:
    """Images, links and printed-output blocks of one built page."""
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def printed_output(path: Path) -> str:
    """Everything a lesson page shows as printed output, one block after another."""
    return "\n".join(parse_page(path).outputs)


def numbers_in(text: str) -> list[float]:
    """Every decimal number in *text*, in order."""
    text = text.replace("−", "-")
    return [float(match) for match in re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", text)]
