"""Pages that are quick on a phone and described to search engines, in the page's language.

Everything here works through Sphinx's public ``html-page-context`` event, on the page's own
context (``css_files``, ``script_files``, ``body``, ``metatags``):

* only the style sheets and scripts that a page uses (sphinx-design's only where there is a
  dropdown, KaTeX's only where there is math, the copy button only where there is code, ...);
* every figure and thumbnail served from ``_images/`` gets its pixel ``width`` and ``height``, a
  ``srcset`` of widths with ``sizes`` (a phone takes the 1x file, a wide hi-dpi screen the 2x),
  a lossless WebP copy offered first through ``<picture>`` (PNG stays the fallback), and
  ``loading="lazy"`` after the first image of the page;
* a lesson figure with a phone layout (saved beside it by the scraper, gdguide_figures) offers
  it first, through ``<source media>``, below the viewport width at which the wide figure's
  smallest text would drop under 10 CSS px (600 px at least); the ``<img>`` and the phone's
  ``<source>`` carry the size of that text in pixels of their 1x file (``data-min-text-px``),
  for the legibility test;
* a ``<meta name="description">`` from the page's own first paragraph;
* ``hreflang`` alternates for every language plus ``x-default``: absolute URLs from the one base
  URL (``gdguide_site_url``) when it is set, relative links otherwise. The canonical link
  (``html_baseurl``) and the sitemap (sphinx-sitemap) are configured in conf.py from the same URL.
"""

from __future__ import annotations

import html
import json
import math
import posixpath
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

from docutils import nodes
from gdguide_figures import RECORD_SUFFIX
from PIL import Image
from sphinx.application import Sphinx

from gdguide.figure_variants import LEGIBLE_TEXT_PX
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
#: The 2.5rem of FIGURE_SLOT in CSS pixels (16 px a rem).
SLOT_MARGIN_PX = 40
#: A figure's phone layout is shown up to this viewport width at least...
PHONE_BREAKPOINT = 600
# ... and up to the width below which the wide layout's smallest text would be under
# LEGIBLE_TEXT_PX: a figure W px wide whose smallest text is s px is shown at W * 10 / s px or
# wider from a viewport of W * 10 / s + SLOT_MARGIN_PX px on.
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


def phone_breakpoint(width: int, min_text_px: float | None) -> int:
    """The widest viewport (CSS px) that gets the phone layout of a figure *width* px wide."""
    if not min_text_px:
        return PHONE_BREAKPOINT
    legible_from = math.ceil(LEGIBLE_TEXT_PX * width / min_text_px + SLOT_MARGIN_PX)
    return max(PHONE_BREAKPOINT, legible_from)


class FigureWriter:
    """Rewrites the ``<img>`` tags of one language build; writes the WebP copies."""

    def __init__(self, app: Sphinx) -> None:
        self.outdir = Path(app.outdir)
        self.srcdir = Path(app.srcdir)
        self.builder = app.builder
        self._records: dict[str, Path] | None = None

    def record_of(self, target: str) -> tuple[dict, Path] | None:
        """What the scraper recorded for the image at site path *target*, and where."""
        if self._records is None:  # the gallery has been generated by the time pages are written
            self._records = {
                path.name.removesuffix(RECORD_SUFFIX): path
                for path in sorted(self.srcdir.rglob(f"*{RECORD_SUFFIX}"))
            }
        path = self._records.get(posixpath.splitext(posixpath.basename(target))[0])
        if path is None:
            return None
        return json.loads(path.read_text(encoding="utf-8")), path.parent

    def publish(self, source: Path) -> str:
        """Copy *source* (an image of the gallery) into the site's images; return its site path."""
        target = f"{self.builder.imagedir}/{source.name}"
        out = self.outdir / target
        if not out.is_file() or out.stat().st_mtime < source.stat().st_mtime:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, out)
        return target

    def phone_sources(self, record: dict, folder: Path, width: int, to_page: Any) -> str:
        """The ``<source media>`` tags (WebP, then PNG) of a figure's phone layout."""
        phone = record.get("phone")
        if not phone:
            return ""
        files = []
        for name in phone["files"].values():
            source = folder / name
            with Image.open(source) as image:
                files.append((source, self.publish(source), image.size))
        files.sort(key=lambda item: item[2][0])
        (phone_w, phone_h) = files[0][2]
        wide_px = (record.get("wide") or {}).get("min_text_px")
        media = f"(max-width: {phone_breakpoint(width, wide_px)}px)"
        shared = {"media": media, "sizes": FIGURE_SLOT.format(width=phone_w),
                  "width": str(phone_w), "height": str(phone_h)}  # fmt: skip
        if phone.get("min_text_px") is not None:
            shared["data-min-text-px"] = f"{phone['min_text_px']:g}"
        tags = []
        for kind, path_of in (
            ("image/webp", lambda source, target: self.webp(source, target)),
            ("image/png", lambda source, target: target),
        ):
            srcset = ", ".join(
                f"{to_page(path_of(source, target))} {w}w" for source, target, (w, _) in files
            )
            attrs = {"media": media, "type": kind, "srcset": srcset, **shared}
            tags.append("<source " + " ".join(
                f'{k}="{html.escape(v)}"' for k, v in attrs.items()) + ">")  # fmt: skip
        return "".join(tags)

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
            phone = ""
            found = self.record_of(files[0][1][1])
            if found is not None:
                record, folder = found
                wide_px = (record.get("wide") or {}).get("min_text_px")
                if wide_px is not None:
                    img["data-min-text-px"] = f"{wide_px:g}"
                phone = self.phone_sources(record, folder, width, to_page)
            text = " ".join(f'{k}="{html.escape(v)}"' for k, v in img.items())
            return (
                f'<picture>{phone}<source type="image/webp" srcset="{webp}" sizes="{sizes}">'
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
