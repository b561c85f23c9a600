"""The English and Japanese trees must stay in step (DESIGN.md: two trees, so parity is tested)."""

from __future__ import annotations

import pytest
from site_sources import (
    DOCS,
    code_shape,
    gallery_files,
    lesson_blocks,
    lesson_names,
    md_display_math,
    page_names,
    rst_display_math,
    text_code_blocks,
)

LESSONS = lesson_names()


def test_there_are_at_least_five_lessons():
    assert len(LESSONS) >= 5, LESSONS


def test_same_page_names():
    assert page_names("en") == page_names("ja")
    assert "index" in page_names("en")


def test_same_gallery_file_names():
    assert gallery_files("en") == gallery_files("ja")


@pytest.mark.parametrize("name", LESSONS)
def test_same_block_structure(name):
    en = [kind for kind, _ in lesson_blocks("en", name)]
    ja = [kind for kind, _ in lesson_blocks("ja", name)]
    assert en == ja, f"{name}: text/code blocks differ between en and ja"


@pytest.mark.parametrize("name", LESSONS)
def test_same_code_once_comments_and_strings_are_stripped(name):
    en = lesson_blocks("en", name)
    ja = lesson_blocks("ja", name)
    for index, ((kind, en_text), (_, ja_text)) in enumerate(zip(en, ja, strict=True)):
        if kind == "code":
            assert code_shape(en_text) == code_shape(ja_text), f"{name}: code block {index} differs"


@pytest.mark.parametrize("name", LESSONS)
def test_same_code_in_text_blocks(name):
    """Solutions and snippets shown in text blocks (dropdowns) are the same code too."""
    en = [code for kind, text in lesson_blocks("en", name) if kind == "text"
          for code in text_code_blocks(text)]
    ja = [code for kind, text in lesson_blocks("ja", name) if kind == "text"
          for code in text_code_blocks(text)]
    assert len(en) == len(ja), f"{name}: {len(en)} code snippets in en, {len(ja)} in ja"
    for en_code, ja_code in zip(en, ja, strict=True):
        assert code_shape(en_code) == code_shape(ja_code)


@pytest.mark.parametrize("name", LESSONS)
def test_same_display_math_in_lessons(name):
    en = [m for kind, text in lesson_blocks("en", name) if kind == "text"
          for m in rst_display_math(text)]
    ja = [m for kind, text in lesson_blocks("ja", name) if kind == "text"
          for m in rst_display_math(text)]
    assert en == ja


@pytest.mark.parametrize("page", page_names("en"))
def test_same_display_math_in_pages(page):
    def math(lang: str) -> list[str]:
        path = next((DOCS / lang).glob(f"{page}.*"))
        return md_display_math(path.read_text(encoding="utf-8"))

    assert math("en") == math("ja")


def test_code_shape_ignores_strings_and_comments_but_not_code():
    assert code_shape('print("a")  # x') == code_shape("print('ありがとう')")
    assert code_shape('print(f"{a:.3f} b")') == code_shape('print(f"損失 {a}")')
    assert code_shape("f(1)") != code_shape("f(2)")
    assert code_shape("f(a)") != code_shape("f(b)")


def test_helpers_find_math_and_code_in_text():
    text = (
        ".. math::\n\n   a = b\n\nx\n\n"
        ".. dropdown:: S\n\n   .. code-block:: python\n\n      x = 1\n"
    )
    assert rst_display_math(text) == ["a = b"]
    assert text_code_blocks(text) == ["x = 1"]
    assert md_display_math("t $$ a\n = b $$ u") == ["a = b"]
