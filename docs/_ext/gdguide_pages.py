"""Pages that are quick on a phone and described to search engines, in the page's language.

Everything here works through Sphinx's public ``html-page-context`` event, on the page's own
context (``css_files``, ``script_files``, ``body``, ``metatags``):

* only the style sheets and scripts that a page uses (sphinx-design's only where there is a
  dropdown, KaTeX's only where there is math, the copy button only where there is code, ...);
* every figure and thumbnail served from ``_images/`` gets its pixel ``width`` and ``height``, a
  ``srcset`` of widths with ``sizes`` (a phone takes the 1x file, a wide hi-dpi screen the 2x),
  a lossless WebP copy offered first through ``<picture>`` (PNG stays the fallback), and
  ``loading="lazy"`` after the first image of the page;
* a ``<meta name="description">`` from the page's own first paragraph;
* ``hreflang`` alternates for every language plus ``x-default``: absolute URLs from the one base
  URL (``gdguide_site_url``) when it is set, relative links otherwise. The canonical link
  (``html_baseurl``) and the sitemap (sphinx-sitemap) are configured in conf.py from the same URL.
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from pathlib import Path
from typing import Any

from docutils import nodes
from PIL import Image
from sphinx.application import Sphinx

from gdguide.languages import CODES

#: Style sheets and scripts (by file name) a page loads only when its body has the marker.
USED_WHEN = {
    "sphinx-design.min.css": 'class="sd-',
    "design-tabs.js": "sd-tab-set",
    "katex/katex.min.css": 'class="katex',
    "katex-math.css": 'class="katex',
    "sg_gallery.css": "sphx-glr",
    "sg_gallery-binder.css": "sphx-glr-binder",
    "sg_gallery-dataframe.css": "dataframe",
    "sg_gallery-rendered-html.css": "rendered_html",
    "sg-tags.js": "sphx-glr-tag",
    "copybutton.css": 'class="highlight',
    "copybutton.js": 'class="highlight',
    "gdguide_copybutton.js": 'class="highlight',
    "clipboard.min.js": 'class="highlight',
    "pygments.css": 'class="highlight',
}
#: How wide a figure is shown at most: the content column's width less its padding, or the
#: figure's own 1x width (images are never scaled up).
FIGURE_SLOT = "min({width}px, 100vw - 2.5rem, 46rem)"
#: Meta descriptions stop after the sentence that reaches this width (a CJK character counts 2).
DESCRIPTION_WIDTH = 160

_IMG = re.compile(r"<img\s[^>]*?/?>")
_ATTR = re.compile(r'([a-zA-Z_:][-\w:.]*)\s*=\s*"([^"]*)"')
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


# ---- style sheets and scripts ------------------------------------------------------------------


def _filename(asset: Any) -> str:
    return str(getattr(asset, "filename", asset))


def drop_unused_assets(context: dict) -> None:
    """Leave out of *context* the style sheets and scripts the page's body does not use."""
    body = context.get("body", "")

    def used(asset: Any) -> bool:
        name = _filename(asset)
        marker = next(
            (mark for file, mark in USED_WHEN.items() if name in (file, f"_static/{file}")
             or name.endswith("/" + file)), None,
        )  # fmt: skip
        return marker is None or marker in body

    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if used(asset)]


# ---- figures ----------------------------------------------------------------------------------


def _attributes(tag: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in _ATTR.findall(tag)}


def _candidates(attrs: dict[str, str]) -> list[str]:
    """The image files an ``<img>`` offers, smallest first (its src, then its srcset's)."""
    files = [attrs["src"]]
    for entry in attrs.get("srcset", "").split(","):
        url = entry.strip().split(" ")[0]
        if url and url not in files:
            files.append(url)
    return files


class FigureWriter:
    """Rewrites the ``<img>`` tags of one language build; writes the WebP copies."""

    def __init__(self, app: Sphinx) -> None:
        self.outdir = Path(app.outdir)
        self.srcdir = Path(app.srcdir)
        self.builder = app.builder

    def source_of(self, pagename: str, url: str) -> tuple[Path, str] | None:
        """The file behind *url* (relative to the page) and its path in the site, if local."""
        if "://" in url or url.startswith(("data:", "/")):
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(pagename), url))
        if not target.startswith(self.builder.imagedir + "/"):
            return None
        name = target.rsplit("/", 1)[1]
        written = self.outdir / target
        if written.is_file():  # sphinx-gallery's image-sg copies its files while writing
            return written, target
        for source, dest in self.builder.images.items():  # Sphinx copies the rest at the end
            if dest == name:
                return self.srcdir / source, target
        return None

    def webp(self, source: Path, target: str) -> str:
        """Write a lossless WebP copy of *source* beside *target*; return its site path."""
        webp_target = target.rsplit(".", 1)[0] + ".webp"
        out = self.outdir / webp_target
        if not out.is_file() or out.stat().st_mtime < source.stat().st_mtime:
            out.parent.mkdir(parents=True, exist_ok=True)
            with Image.open(source) as image:
                image.save(out, "WEBP", lossless=True, quality=100, method=4)
        return webp_target

    def rewrite(self, pagename: str, body: str) -> str:
        """Return *body* with every local image sized, responsive and offered as WebP."""
        seen = 0

        def replace(match: re.Match) -> str:
            nonlocal seen
            tag = match.group()
            attrs = _attributes(tag)
            if "src" not in attrs or attrs["src"].endswith(".svg") or "width" in attrs:
                return tag
            files = []
            for url in _candidates(attrs):
                found = self.source_of(pagename, url)
                if found is None:
                    return tag
                with Image.open(found[0]) as image:
                    files.append((url, found, image.size))
            files.sort(key=lambda item: item[2][0])
            seen += 1
            (src, _, (width, height)) = files[0]
            sizes = FIGURE_SLOT.format(width=width)
            relative = posixpath.relpath(".", posixpath.dirname(pagename) or ".")

            def to_page(site_path: str) -> str:
                return posixpath.normpath(posixpath.join(relative, site_path))

            png = ", ".join(f"{url} {w}w" for url, _, (w, _) in files)
            webp = ", ".join(
                f"{to_page(self.webp(source, target))} {w}w"
                for _, (source, target), (w, _) in files
            )
            kept = {k: v for k, v in attrs.items() if k not in ("src", "srcset", "width", "height")}
            img = {
                "src": src, "srcset": png, "sizes": sizes, "width": str(width),
                "height": str(height), **kept, "decoding": "async",
            }  # fmt: skip
            if seen > 1:
                img["loading"] = "lazy"
            text = " ".join(f'{k}="{html.escape(v)}"' for k, v in img.items())
            return (
                f'<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
                f"<img {text}></picture>"
            )

        return _IMG.sub(replace, body)


# ---- what the page says about itself -----------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def first_paragraph(doctree: nodes.Node | None) -> str:
    """The text of the first paragraph that is the page's own (not inside a note or a card)."""
    if doctree is None:
        return ""
    for paragraph in doctree.findall(nodes.paragraph):
        parent = paragraph.parent
        if isinstance(parent, (nodes.section, nodes.document)):
            text = " ".join(paragraph.astext().split())
            if text:
                return text
    return ""


def description(text: str, limit: int = DESCRIPTION_WIDTH) -> str:
    """Whole sentences of *text* until *limit* is reached; a longer first sentence is cut."""
    kept = ""
    for sentence in (s for s in _SENTENCE_END.split(text) if s.strip()):
        # the splitter ate the space after a Western full stop, and there is none after 。
        joined = kept + (" " if kept and kept[-1] in ".!?" else "") + sentence
        if kept and _width(joined) > limit:
            break
        kept = joined
    if _width(kept) > limit:
        cut = ""
        for ch in kept:
            if _width(cut + ch) > limit - 1:
                break
            cut += ch
        if " " in cut:  # end on a whole word where words are spaced
            cut = cut.rsplit(" ", 1)[0].rstrip(",;:")
        kept = cut.rstrip() + "…"
    return kept


def alternates(pagename: str, context: dict, site_url: str, suffix: str) -> list[str]:
    """``<link rel="alternate" hreflang>`` for every language and x-default."""
    if site_url:
        base = site_url.rstrip("/") + "/"
    else:
        base = context.get("content_root", "") + "../"
    links = [
        f'<link rel="alternate" hreflang="{code}" href="{base}{code}/{pagename}{suffix}" />'
        for code in CODES
    ]
    links.append(f'<link rel="alternate" hreflang="x-default" href="{base}index.html" />')
    return links


def on_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Trim the page's assets, rewrite its figures, describe it."""
    drop_unused_assets(context)
    if "body" in context:
        context["body"] = app.gdguide_figures.rewrite(pagename, context["body"])
    text = first_paragraph(doctree) or first_paragraph(app.env.get_doctree(app.config.root_doc))
    tags = []
    if text:
        tags.append(f'<meta name="description" content="{html.escape(description(text))}" />')
    suffix = context.get("file_suffix", ".html")
    tags += alternates(pagename, context, app.config.gdguide_site_url, suffix)
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)


def on_builder_inited(app: Sphinx) -> None:
    app.gdguide_figures = FigureWriter(app)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the page hooks."""
    app.connect("builder-inited", on_builder_inited)
    app.connect("html-page-context", on_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
