"""One Sphinx configuration for both language trees.

Build with ``sphinx-build -c docs -t en docs/en ...`` or ``-t ja docs/ja ...``; the tag picks the
language, the source tree and the gallery (see DESIGN.md: two trees, not gettext).
"""

import os
import sys
import warnings
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

from gdguide_downloads import first_cell, project_version  # noqa: E402
from gdguide_site import KATEX_VENDOR_DIR, LANGUAGE_NAMES  # noqa: E402

from gdguide.languages import CODES  # noqa: E402

# the language whose tag is set (-t ja); the default language without one
language = next((code for code in CODES[1:] if tags.has(code)), CODES[0])  # noqa: F821 -- `tags` is injected by Sphinx

project = "gdguide"
author = "gdguide contributors"
copyright = {  # noqa: A001 -- the Sphinx setting is called so
    "en": "2026, gdguide contributors",
    "ja": "2026, gdguide の開発者一同",
}[language]
# One version, pyproject.toml's: in the footer, the wheel's name and every download's first cell.
version = release = project_version()
# Where the site is served, if known (GDGUIDE_SITE_URL, e.g. https://example.org/gdguide/): the
# downloads then print the full address of the run-locally page, pages get a canonical link and
# absolute hreflang alternates, and each language a sitemap.xml. Without it these are left out
# (tools/build_site.py says so) and the alternates are relative.
gdguide_site_url = os.environ.get("GDGUIDE_SITE_URL", "")
if gdguide_site_url:
    html_baseurl = f"{gdguide_site_url.rstrip('/')}/{language}/"
    sitemap_url_scheme = "{link}"  # html_baseurl already ends in the language
    sitemap_locales = [None]  # the pages themselves carry the alternates
    sitemap_excludes = ["search.html", "genindex.html", "py-modindex.html"]
# No date or version churn in the pages: two builds of one commit must be identical.
html_last_updated_fmt = None
html_title = {
    "en": "gdguide: gradient descent and autograd",
    "ja": "gdguide: 勾配降下法と自動微分",
}[language]

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_gallery.gen_gallery",
    "sphinxcontrib.katex",
    "katex_server_patch",
    "sphinx_copybutton",
    "sphinx_design",
    "gdguide_site",
    "gdguide_downloads",
    "gdguide_locale",
    "gdguide_api_lang",
    "gdguide_copybutton",
    "gdguide_a11y",
    "gdguide_pages",
    # sphinx-sitemap warns (an error under -W) without a base URL: only with one
    *(["sphinx_sitemap"] if gdguide_site_url else []),
]

# ---- the reader's language around the lessons (see gdguide_locale) ----
# Interface strings and the Japanese API reference: Sphinx message catalogs, docs/locale/<lang>/
# LC_MESSAGES/*.po, compiled at build time; one catalog per top-level page (api.po for api.md).
locale_dirs = [str(DOCS / "locale")]
gettext_compact = True
gettext_location = False
gettext_uuid = False
# Index entries are translated too (Sphinx writes "module; gdguide.x" in English).
gettext_additional_targets = ["index"]
# Japanese search: words are split by a morphological analyser (janome), and compounds of nouns
# are words of the index too (see gdguide_search).
html_search_options = {"ja": {"type": "gdguide_search.JanomeCompoundSplitter"}}.get(language, {})

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["auto_examples/*.ipynb", "auto_examples/*.py", "auto_examples/*.zip"]
templates_path = [str(DOCS / "_templates")]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# Warnings are errors (-W on the command line); nitpicky references, except the third-party
# types in signatures, which cannot resolve without fetching other projects' inventories.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(np|numpy|torch|nn|matplotlib|mpl|collections\.abc|typing|tqdm)\..*"),
    (r"py:.*", r"(Figure|Axes|ndarray|Tensor|ArrayLike|Callable|Sequence|Iterator|Any|Path)"),
    (r"py:.*", r"(optional|array-like|float|int|str|bool|tuple|list|dict|None|Number)"),
    (r"py:.*", r"(str\.format|random|contextlib\..*|True|False)"),
    # numpydoc prose inside type fields ("sequence of 4 floats", "default SEED")
    (r"py:class", r".*\s.*|\(str|str\)|SEED|LEARNING_RATE|MOMENTUM"),
    # glossary terms of the Python docs used in numpydoc types
    (r"std:term", r"(callable|sequence|array_like)"),
]

# ---- HTML: furo, a language switcher in the sidebar, everything served locally ----
html_theme = "furo"
html_static_path = [str(DOCS / "_static"), str(KATEX_VENDOR_DIR)]
html_css_files = ["gdguide.css"]
html_copy_source = False
html_show_sourcelink = False
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/lang-switch.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
html_context = {
    "languages": list(LANGUAGE_NAMES.items()),
    # the footer of every page links the page for the curious, outside the table of contents
    "footer_about": {"en": "How this site is built", "ja": "このサイトの作り方"}[language],
}
html_theme_options = {"navigation_with_keys": True}
html_search_language = language

# Math is prerendered to HTML by KaTeX at build time (node), so pages need no math JavaScript;
# the KaTeX style sheet and fonts are served from the site (see gdguide_site.KATEX_VENDOR_DIR).
katex_prerender = True
katex_css_path = "katex/katex.min.css"

copybutton_exclude = ".linenos, .gp, .go"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_numpy_docstring = True
napoleon_google_docstring = False
# Read "{"en", "ja"}", "default 512", "optional" in numpydoc type fields as literals and notes,
# not as class names to cross-reference.
napoleon_preprocess_types = True
napoleon_type_aliases = {
    "callable": ":term:`callable`",
    "sequence": ":term:`sequence`",
    "array-like": ":term:`array-like <array_like>`",
    "Trajectory": ":class:`~gdguide.descent.Trajectory`",
}

# ---- the gallery of lessons: gallery/<language>/ -> docs/<language>/auto_examples/ ----
sphinx_gallery_conf = {
    "examples_dirs": os.path.relpath(ROOT / "gallery" / language, DOCS / language),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "image_srcset": ["2x"],
    # sphinx-gallery's matplotlib scraper, which also saves each figure's phone layout and the
    # size of its smallest text (docs/_ext/gdguide_figures.py; gdguide_pages puts them on the page)
    "image_scrapers": ("gdguide_figures.scraper",),
    # cards show thumbnails at 160 x 112 CSS px at most: twice that serves hi-dpi screens
    "thumbnail_size": (320, 224),
    # Timing lines and the timing page change on every run, and the timing page pulls its
    # table scripts from CDNs: both are off, for reproducible and offline pages.
    "min_reported_time": float("inf"),
    "write_computation_times": False,
    "show_memory": False,
    # every download starts by checking that gdguide is installed (gdguide_downloads writes the
    # exercise and solution notebooks and the .py from sphinx-gallery's files)
    "first_notebook_cell": first_cell(language, release, gdguide_site_url),
    # matplotlib is reset, then the lesson time limit is armed before and disarmed after each
    # lesson (a lesson that hangs fails the build with a clear message instead).
    "reset_modules": ("matplotlib", "gdguide_site.lesson_time_limit"),
    "reset_modules_order": "both",
    "junit": f"../../test-results/sphinx-gallery-{language}.xml",
    "capture_repr": ("_repr_html_", "__repr__"),
    # the "Gallery generated by Sphinx-Gallery" line, English on every page, is left out
    "show_signature": False,
}

# A Japanese label drawn in a font without the glyph is a broken figure, not a warning.
warnings.filterwarnings("error", message=r"Glyph .* missing from font", category=UserWarning)
# Examples run in this process with the non-interactive backend.
os.environ.setdefault("MPLBACKEND", "agg")
