"""Tests of the language registry and the catalogs: every language has every key with the same
placeholders, every key is used, the strings read as their language, and no library code branches
on a language."""

from __future__ import annotations

import ast
import csv
import re
import string
from pathlib import Path

import pytest
from site_sources import LANGUAGES as SITE_LANGUAGES

from gdguide import catalogs
from gdguide.i18n import text
from gdguide.languages import CODES, LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gdguide"
GLOSSARY = ROOT / "docs" / "_data" / "glossary.csv"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
#: Strings that are formulas, the same in every language.
FORMULAS = {"x_axis", "y_axis", "w1_axis", "w2_axis", "h_colorbar", "lr_legend"}
DEFAULT = LANGUAGES[CODES[0]]


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def catalog_problems(reference: dict[str, str], other: dict[str, str]) -> list[str]:
    """What makes *other* not a translation of *reference*: missing or extra keys, placeholders
    that differ, empty strings."""
    problems = [f"missing key {key!r}" for key in sorted(reference.keys() - other.keys())]
    problems += [f"extra key {key!r}" for key in sorted(other.keys() - reference.keys())]
    for key in sorted(reference.keys() & other.keys()):
        if _placeholders(reference[key]) != _placeholders(other[key]):
            problems.append(
                f"{key!r}: placeholders {sorted(_placeholders(other[key]))} instead of "
                f"{sorted(_placeholders(reference[key]))}"
            )
        if not other[key].strip():
            problems.append(f"{key!r} is empty")
    return problems


# --- the registry ----------------------------------------------------------------------------


def test_the_registry_lists_the_site_languages_default_first():
    assert CODES == ("en", "ja")
    assert [language.code for language in LANGUAGES.values()] == list(CODES)
    assert {code: language.name for code, language in LANGUAGES.items()} == {
        "en": "English",
        "ja": "日本語",
    }
    assert LANGUAGES["en"].sentence_joiner == " "
    assert LANGUAGES["ja"].sentence_joiner == ""


def test_figure_fonts():
    assert LANGUAGES["en"].font is None  # matplotlib's default family, which has bold
    assert LANGUAGES["en"].bold
    font = LANGUAGES["ja"].font
    assert (font.family, font.package, font.file) == (
        "IPAexGothic",
        "matplotlib_fontja",
        "fonts/ipaexg.ttf",
    )
    assert not LANGUAGES["ja"].bold  # IPAexGothic has no bold weight


def test_the_registry_is_read_only():
    with pytest.raises(TypeError):
        LANGUAGES["fr"] = LANGUAGES["en"]  # type: ignore[index]
    with pytest.raises(TypeError):
        LANGUAGES["en"].catalog["x_axis"] = "X"  # type: ignore[index]


def test_the_site_takes_its_languages_from_the_registry():
    assert SITE_LANGUAGES == CODES
    for path in ("docs/conf.py", "docs/_ext/gdguide_site.py", "tools/build_site.py",
                 "tests/site_sources.py", "tests/browser_support.py"):
        source = (ROOT / path).read_text(encoding="utf-8")
        assert "gdguide.languages" in source, path
        assert not re.search(r"""\(\s*["']en["']\s*,\s*["']ja["']\s*\)""", source), path


# --- the catalogs ----------------------------------------------------------------------------


def test_every_language_has_a_catalog_module():
    assert sorted(CODES) == sorted(
        path.stem for path in Path(catalogs.__file__).parent.glob("*.py") if path.stem != "__init__"
    )


@pytest.mark.parametrize("code", CODES[1:])
def test_every_language_has_every_key_with_the_same_placeholders(code):
    problems = catalog_problems(dict(DEFAULT.catalog), dict(LANGUAGES[code].catalog))
    assert not problems, "\n".join(problems)


def test_the_parity_check_catches_a_missing_key_and_different_placeholders():
    reference = {"a": "η = {lr}", "b": "two", "c": "{n} epochs"}
    assert catalog_problems(reference, {"a": "η = {lr}", "b": "2", "c": "{n} エポック"}) == []
    problems = catalog_problems(reference, {"a": "η = {rate}", "c": "{n}{m}", "d": " "})
    assert problems == [
        "missing key 'b'",
        "extra key 'd'",
        "'a': placeholders ['rate'] instead of ['lr']",
        "'c': placeholders ['m', 'n'] instead of ['n']",
    ]


def test_strings_read_as_their_language():
    for key, english in LANGUAGES["en"].catalog.items():
        assert not JAPANESE.search(english), key
    for key, japanese in LANGUAGES["ja"].catalog.items():
        if key in FORMULAS:
            assert japanese == LANGUAGES["en"].catalog[key], key
        else:
            assert JAPANESE.search(japanese), key


def test_hint_strings_have_no_placeholders():
    # a check renders its hint without values
    for language in LANGUAGES.values():
        for key, template in language.catalog.items():
            if key.startswith("hint_"):
                assert not _placeholders(template), (language.code, key)


def test_verdict_frames_have_only_their_placeholders():
    for language in LANGUAGES.values():
        for key, names in {"passed": {"body"}, "failed": {"body"}, "likely": {"why"},
                           "hint": {"hint"}}.items():  # fmt: skip
            assert _placeholders(language.catalog[key]) == names, (language.code, key)


def _library_sources() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py") if "catalogs" not in path.relative_to(PACKAGE).parts
    )


def _used_keys() -> set[str]:
    """The catalog keys the library's code names: string literals, and f-strings such as
    ``f"method_{pair[0]}"`` or ``f"{exercise.name}_pass"`` completed with any string literal of
    the library."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in _library_sources()]
    nodes = [node for tree in trees for node in ast.walk(tree)]
    literals = {
        node.value
        for node in nodes
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    used = set(literals)
    for node in nodes:
        if isinstance(node, ast.JoinedStr) and len(node.values) == 2:
            first, second = node.values
            if isinstance(first, ast.Constant) and isinstance(second, ast.FormattedValue):
                used |= {first.value + literal for literal in literals}
            if isinstance(first, ast.FormattedValue) and isinstance(second, ast.Constant):
                used |= {literal + second.value for literal in literals}
    return used


def test_every_catalog_key_is_used_by_the_library():
    unused = sorted(set(DEFAULT.catalog) - _used_keys())
    assert not unused, f"catalog keys that no library code uses: {unused}"


def test_japanese_sentences_use_polite_style():
    # Every full sentence of a Japanese message ends in です・ます調 (or is a polite question).
    polite = ("です", "ます", "ました", "ません", "ください", "か")
    for key, template in LANGUAGES["ja"].catalog.items():
        for sentence in template.replace("？", "。").split("。")[:-1]:
            sentence = re.sub(r"（[^（）]*）$| \([^()]*\)$", "", sentence)  # a closing aside
            if ("：" in sentence or ": " in sentence) and not sentence.endswith(polite):
                continue  # a label followed by a formula, e.g. "…入ります：tanh(w·x + b)"
            assert sentence.endswith(polite), (key, sentence)
    plain = ("である。", "だ。", "しろ", "せよ")
    for key, template in LANGUAGES["ja"].catalog.items():
        assert not any(ending in template for ending in plain), key


def _glossary_variants() -> dict[str, str]:
    with GLOSSARY.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    column = list(rows[0])[-1]
    return {
        variant: row["日本語"]
        for row in rows
        for variant in filter(None, (v.strip() for v in row[column].split(";")))
    }


def test_japanese_strings_use_the_glossary_terms():
    avoid = {"正解": "目標値 / できました", "二乗損失": "二乗誤差", **_glossary_variants()}
    for key, template in LANGUAGES["ja"].catalog.items():
        for variant, term in avoid.items():
            assert variant not in template, (key, variant, term)


# --- text() ----------------------------------------------------------------------------------


def test_text_looks_up_and_fills_in():
    assert text("ja", "epoch_axis") == "エポック"
    assert text("en", "diverged_legend", {"lr": 0.5, "step": 7}) == "η = 0.5 (diverged at step 7)"
    assert text("ja", "diverged_legend", {"lr": 0.5, "step": 7}) == "η = 0.5（ステップ7で発散）"
    assert text("en", "zoom_title", {"n": 3, "unused": 1}) == "the first 3 epochs"
    assert text("en", "hint_xor", None) == LANGUAGES["en"].catalog["hint_xor"]


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("fr", "epoch_axis"), ValueError, "lang"),
        ((None, "epoch_axis"), TypeError, "lang"),
        (("en", 3), TypeError, "key"),
        (("en", "nope"), ValueError, "key"),
        (("en", "lr_legend"), ValueError, "values.*missing lr"),
        (("en", "lr_legend", {"rate": 1}), ValueError, "values.*missing lr"),
        (("en", "lr_legend", [("lr", 1)]), TypeError, "values"),
        (("en", "lr_legend", {1: 1}), TypeError, "values"),
    ],
)
def test_text_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        text(*args)


# --- no language branches ----------------------------------------------------------------------


def test_library_code_holds_no_language_branches():
    branch = re.compile(r"""\blang(uage)?(\.code)? *[!=]= *['"]|['"] *[!=]= *lang\b""")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _library_sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if branch.search(line)
    ]
    assert not found, "\n".join(found)


def test_japanese_text_lives_in_the_catalogs_only():
    # Docstrings may quote Japanese output; code may not hold any (the registry names languages).
    found = []
    for path in _library_sources():
        if path.name == "languages.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and JAPANESE.search(node.value)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not found, "\n".join(found)
