"""The English notation of the API reference is marked English on a page in another language.

The Japanese API reference translates every message of its docstrings (api.po), but two things
stay as they are, because they are Python, not prose:

* The head of each item of a field list: the parameter's name and, in brackets, its numpydoc type,
  which napoleon and Sphinx's Python domain put together from the docstring: ``lr (float,
  default 0.1)``, ``rows (sequence of BackwardRow)``, ``fn (callable, optional)``. A type is
  technical notation read in English ("or", "of", "default", "optional", "callable",
  "array-like"); the same words in Japanese type grammar would be a notation nobody else uses.
* Parameter and attribute names in the prose (``*lang*``, the numpydoc way to name a parameter).

Both get ``lang="en"`` (docutils' ``language-en`` class), so a screen reader reads them in English
and the visible-language check of tests/test_accessibility.py accepts them as a marked passage.
Only names the page documents are marked in prose: an emphasised word of a translation is not.
Nothing changes on English pages.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

ENGLISH = "language-en"
_IDENTIFIER = re.compile(r"\*{0,2}([A-Za-z_][A-Za-z0-9_]*)")


def _mark_head(paragraph: nodes.paragraph) -> None:
    """Wrap ``name (type)`` at the start of a field item in one English inline."""
    children = paragraph.children
    start = next(
        (
            i
            for i, child in enumerate(children)
            if not (isinstance(child, nodes.Text) and not child.astext())
        ),
        None,
    )
    if start is None or not isinstance(children[start], nodes.strong):
        return
    end = start + 1  # the name alone, when the item has no type
    after = children[end] if end < len(children) else None
    if isinstance(after, nodes.Text) and after.startswith(" ("):
        for index in range(end + 1, len(children)):
            child = children[index]
            if isinstance(child, nodes.Text) and child.startswith(")"):
                # Sphinx writes ")" alone; napoleon's returns, through the catalog, ") -- …"
                if len(child) > 1:
                    paragraph[index] = nodes.Text(")")
                    paragraph.insert(index + 1, nodes.Text(child[1:]))
                end = index + 1
                break
    head = children[start:end]
    del paragraph[start:end]
    paragraph.insert(start, nodes.inline("", "", *head, classes=[ENGLISH]))


def _in_description(node: nodes.Node) -> bool:
    """Whether the node is inside the description of a Python object."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.desc_content):
            return True
        parent = parent.parent
    return False


def _documented_names(doctree: nodes.document) -> set[str]:
    """The names of the objects, parameters and attributes the page documents."""
    names = {node.astext() for node in doctree.findall(addnodes.desc_name)}
    for parameter in doctree.findall(addnodes.desc_parameter):
        for name in parameter.findall(addnodes.desc_sig_name):
            names.add(name.astext())
            break
    for field_list in doctree.findall(nodes.field_list):
        names.update(
            node.astext().lstrip("*") for node in field_list.findall(addnodes.literal_strong)
        )
    return names


def mark_english_notation(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Mark the field heads and the names in the prose of every object description."""
    if app.config.language == "en":
        return
    names = _documented_names(doctree)
    if not names:
        return
    for body in doctree.findall(nodes.field_body):
        if not _in_description(body):
            continue
        for holder in [body, *body.findall(nodes.list_item)]:
            if holder.children and isinstance(holder[0], nodes.paragraph):
                _mark_head(holder[0])
    for emphasis in doctree.findall(nodes.emphasis):
        match = _IDENTIFIER.fullmatch(emphasis.astext())
        if match and match[1] in names and _in_description(emphasis):
            if ENGLISH not in emphasis["classes"]:
                emphasis["classes"].append(ENGLISH)


def setup(app: Sphinx) -> dict[str, Any]:
    """Mark the notation once the references are resolved, before the page is written."""
    app.connect("doctree-resolved", mark_english_notation)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
