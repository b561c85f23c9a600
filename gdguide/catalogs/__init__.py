"""The reader-facing strings of gdguide: one module per language, each a plain ``CATALOG`` dict.

:mod:`gdguide.languages` attaches each catalog to its language; look strings up with
:func:`gdguide.i18n.text`.
"""
__all__: list[str] = []
