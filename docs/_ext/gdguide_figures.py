"""The image scraper of the lessons: sphinx-gallery's matplotlib scraper, plus phone layouts.

``sphinx_gallery_conf["image_scrapers"]`` names :func:`scraper`. It lets sphinx-gallery's own
``matplotlib_scraper`` save every open figure as usual (the image, its ``image_srcset`` copies,
the reST), then, for each of those figures:

* measures the smallest text it draws (:func:`gdguide.figure_variants.smallest_text`), in
  pixels of the 1x image;
* if the figure has a phone layout (:func:`gdguide.figure_variants.phone_variant`), saves it
  beside the image, as ``<image>_phone.png`` and one copy per ``image_srcset`` factor, with the
  same savefig arguments, and measures it too;
* writes what it measured and saved to ``<image>.figure.json`` (:data:`RECORD_SUFFIX`), which
  ``gdguide_pages`` reads when it writes the page: it offers the phone layout below a breakpoint
  in the ``<picture>`` of the figure and puts the sizes on the tags (``data-min-text-px``).

This module is no Sphinx extension; conf.py names it by its dotted path (a string, so the
configuration stays picklable).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
from sphinx_gallery.scrapers import matplotlib_scraper
from sphinx_gallery.utils import optipng

from gdguide.figure_variants import phone_variant, smallest_text

#: The record of a saved figure: ``<image stem>`` + this, beside the image.
RECORD_SUFFIX = ".figure.json"
#: The phone layout of ``x.png`` is ``x_phone.png`` (its 2x copy ``x_phone_2_00x.png``).
PHONE_SUFFIX = "_phone"


def _srcset_name(path: Path, mult: float) -> Path:
    """sphinx-gallery's name of the *mult* copy of *path* (``x_2_00x.png``)."""
    return path.with_name(f"{path.stem}_{f'{mult:.2f}'.replace('.', '_')}x{path.suffix}")


def _measure(figure: Any, dpi: float) -> dict[str, Any]:
    found = smallest_text(figure)
    if found is None:
        return {"min_text_px": None, "smallest_text": None}
    text, points = found
    return {"min_text_px": round(points * dpi / 72, 3), "smallest_text": text}


def _save_phone(variant: Any, path: Path, dpi: float, gallery_conf: dict, kwargs: dict) -> dict:
    """Save *variant* as *path* and its srcset copies, as matplotlib_scraper saves a figure."""
    to_rgba = matplotlib.colors.to_rgba
    arguments = dict(kwargs)
    for attr in ("facecolor", "edgecolor"):
        own = getattr(variant, f"get_{attr}")()
        if to_rgba(own) != to_rgba(matplotlib.rcParams[f"figure.{attr}"]) and attr not in kwargs:
            arguments[attr] = own
    variant.savefig(path, **arguments)
    files = {"1": path.name}
    for mult in gallery_conf["image_srcset"]:
        copy = _srcset_name(path, mult)
        variant.savefig(copy, **{**arguments, "dpi": mult * dpi})
        files[f"{mult:g}"] = copy.name
    if "images" in gallery_conf["compress_images"]:
        for name in files.values():
            optipng(path.with_name(name), gallery_conf["compress_images_args"])
    return {"files": files, **_measure(variant, dpi)}


def scraper(block: Any, block_vars: dict, gallery_conf: dict, **kwargs: Any) -> str:
    """Scrape the figures of one code block (sphinx-gallery's scraper interface)."""
    paths = block_vars["image_path_iterator"]
    first = len(paths)
    # matplotlib_scraper closes them: keep the figures, in the order it saves them
    figures = [plt.figure(number) for number in plt.get_fignums()]
    rst = matplotlib_scraper(block, block_vars, gallery_conf, **kwargs)
    rc_dpi = matplotlib.rcParams["savefig.dpi"]
    for figure, saved in zip(figures, paths.paths[first:], strict=False):
        image = Path(saved)
        if "format" in kwargs:
            image = image.with_suffix("." + kwargs["format"])
        dpi = float(kwargs.get("dpi", figure.dpi if rc_dpi == "figure" else rc_dpi))
        record: dict[str, Any] = {"wide": _measure(figure, dpi)}
        variant = phone_variant(figure)
        if variant is not None:
            try:
                phone = image.with_name(f"{image.stem}{PHONE_SUFFIX}{image.suffix}")
                record["phone"] = _save_phone(variant, phone, dpi, gallery_conf, kwargs)
            finally:
                plt.close(variant)
        text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        image.with_name(image.stem + RECORD_SUFFIX).write_text(text, encoding="utf-8")
    return rst
