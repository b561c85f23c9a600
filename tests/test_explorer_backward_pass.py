"""The backward-pass explorer of lesson 1.3 (gdguide.explorers.BackwardPassExplorer).

The unit tests check its data against gdguide.chain_rule.backward_table, its size and its
arguments. The browser tests (marks build and browser) drive it on the built lesson page in both
languages, with the keyboard and with the mouse, and read every step's numbers back.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from browser_support import SCREENSHOTS, PageWatch

from gdguide.chain_rule import backward_table, forward_values
from gdguide.explorers import MAX_EXPLORER_BYTES, BackwardPassExplorer
from gdguide.graph import chain_rule_graph, graph_layout
from gdguide.i18n import text

POINT = (1.0, 0.5, 0.5)  # the lesson's point
LANGS = ("en", "ja")
PAGE = "auto_examples/plot_3_chain_rule.html"
ROOT = '[data-explorer="backward_pass"]'


def _payload(page: str) -> dict:
    found = re.search(r'<script type="application/json" class="gdx-data">(.*?)</script>', page)
    return json.loads(found.group(1))


def _table_text(value: float) -> str:
    return f"{value:.6g}"  # the precision of the lesson's table (BackwardTable)


# --- unit ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_data_is_the_backward_table(lang):
    data = _payload(BackwardPassExplorer(*POINT, lang=lang)._repr_html_())["data"]
    rows = backward_table(*POINT)
    assert [step["node"] for step in data["backward"]] == [row.node for row in rows]
    for step, row in zip(data["backward"], rows, strict=True):
        assert step["gradient"] == row.gradient  # the same doubles
        assert step["upstream"] == row.upstream_gradient
        assert step["local"] == row.local_derivative
        assert step["edge"] == row.edge
        assert step["shown"] == {
            "upstream": _table_text(row.upstream_gradient),
            "local": _table_text(row.local_derivative),
            "gradient": _table_text(row.gradient),
        }
    values = forward_values(*POINT)
    assert [(s["node"], s["value"]) for s in data["forward"]] == list(values.items())


def test_layouts_are_the_figures():
    data = _payload(BackwardPassExplorer(*POINT)._repr_html_())["data"]
    graph = chain_rule_graph(*POINT)
    assert data["layouts"]["wide"] == graph_layout(graph, direction="LR")
    assert data["layouts"]["narrow"] == graph_layout(graph, direction="TB")


@pytest.mark.parametrize("lang", LANGS)
def test_size_language_and_controls(lang):
    explorer = BackwardPassExplorer(*POINT, lang=lang)
    page = explorer._repr_html_()
    assert explorer.html_size() <= MAX_EXPLORER_BYTES
    assert f'lang="{lang}"' in page.split(">", 1)[0]
    assert text(lang, "bp_next") in page and text(lang, "bp_previous") in page
    assert text(lang, "bp_step", {"k": 1, "n": 19}) in page
    assert page.count("data-gdx-primary") == 1
    assert explorer.step_count() == 19
    assert repr(explorer) == f"BackwardPassExplorer(1.0, 0.5, 0.5, lang={lang!r})"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("1", 0.5, 0.5), {}, TypeError, "x"),
        ((1.0, 0.0, 0.5), {}, ValueError, "y"),
        ((1.0, 0.5, math.inf), {}, ValueError, "z"),
        (POINT, {"lang": "fr"}, ValueError, "lang"),
    ],
)
def test_bad_arguments(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        BackwardPassExplorer(*args, **kwargs)


# --- browser ---------------------------------------------------------------------------------

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _expected_steps(lang: str) -> list[dict]:
    """What each step must show: its numbers as the table prints them."""
    rows = backward_table(*POINT)
    values = forward_values(*POINT)
    steps = [{"value": _table_text(v)} for v in values.values()]
    steps.append({"gradient": _table_text(rows[0].gradient)})
    for row in rows[1:]:
        steps.append({
            "upstream": _table_text(row.upstream_gradient),
            "local": _table_text(row.local_derivative),
            "gradient": _table_text(row.gradient),
        })  # fmt: skip
    by_node = {row.node: _table_text(row.gradient) for row in rows}
    steps.append({name: by_node[name] for name in "xyz"})
    return steps


_READ_JS = """(root) => {
  const out = {};
  for (const span of root.querySelectorAll(".gdx-readout [data-value]")) {
    out[span.dataset.value] = span.textContent;
  }
  return {
    values: out,
    counter: root.querySelector(".gdx-step").textContent,
    live: root.querySelector(".gdx-live").textContent,
    frame: root.getAttribute("data-gdx-frame"),
    highlighted: root.querySelectorAll('svg [stroke="#c2410c"]').length,
  };
}"""


def _read(page) -> dict:
    return page.eval_on_selector(ROOT, _READ_JS)


def _press(page, key: str) -> dict:
    before = page.get_attribute(ROOT, "data-gdx-frame")
    page.keyboard.press(key)
    page.wait_for_function(
        f"(f) => document.querySelector('{ROOT}').getAttribute('data-gdx-frame') !== f", arg=before
    )
    return _read(page)


def _check_step(seen: dict, expected: dict, k: int, lang: str) -> None:
    for name, shown in expected.items():
        assert seen["values"].get(name) == shown, (lang, k, name, seen["values"])
        number = float(seen["values"][name].replace("\N{MINUS SIGN}", "-"))
        assert math.isclose(number, float(shown), rel_tol=1e-12)
    assert seen["counter"] == text(lang, "bp_step", {"k": k, "n": 19})
    assert seen["highlighted"] >= 1  # a node or an edge of the step is marked


def _focus_next(page, lang: str) -> None:
    """Tab from the top of the page until the explorer's Next button has the focus."""
    page.focus("body")
    page.evaluate(f"() => document.querySelector('{ROOT}').scrollIntoView()")
    page.evaluate(f"() => document.querySelector('{ROOT} button[data-gdx-primary]')"
                  ".previousElementSibling.focus()")
    page.keyboard.press("Tab")  # from Previous, the next Tab stop is Next
    name = page.evaluate("() => document.activeElement.textContent")
    assert name == text(lang, "bp_next")


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_and_mouse_walk_every_step(site, server, browser, lang):
    expected = _expected_steps(lang)
    assert len(expected) == 19
    context = browser.new_context(viewport=DESKTOP)
    watch = PageWatch(server.netloc)
    watch.attach(context)
    page = context.new_page()
    watch.page_url = f"{lang}/{PAGE}"
    page.goto(server.url(f"{lang}/{PAGE}"), wait_until="load")
    page.wait_for_selector(f"{ROOT}[data-gdx-frame]")
    assert page.get_attribute(ROOT, "lang") == lang
    first = _read(page)
    _check_step(first, expected[0], 1, lang)
    assert first["live"] == ""  # nothing is announced before the reader acts

    # Keyboard: Tab to Next, Enter and Space press it, the arrow keys step too.
    _focus_next(page, lang)
    seen = [first]
    keys = ["Enter", "Space"] + ["ArrowRight"] * (len(expected) - 3)
    for k, key in enumerate(keys, start=2):
        seen.append(_press(page, key))
        _check_step(seen[-1], expected[k - 1], k, lang)
        assert seen[-1]["live"] and seen[-1]["live"] != seen[-2]["live"]  # announced
        assert seen[-1]["counter"] in seen[-1]["live"]
    assert _press(page, "ArrowLeft")["counter"] == text(lang, "bp_step", {"k": 18, "n": 19})
    _check_step(_press(page, "ArrowRight"), expected[-1], 19, lang)
    assert page.get_attribute(f"{ROOT} button[data-gdx-primary]", "aria-disabled") == "true"

    # Mouse: Previous back to the start, then Next once.
    previous = page.locator(f"{ROOT} button").first
    for k in range(18, 0, -1):
        frame = page.get_attribute(ROOT, "data-gdx-frame")
        previous.click()
        page.wait_for_function(
            f"(f) => document.querySelector('{ROOT}').getAttribute('data-gdx-frame') !== f",
            arg=frame,
        )
        _check_step(_read(page), expected[k - 1], k, lang)
    page.locator(f"{ROOT} button[data-gdx-primary]").click()
    page.wait_for_function(
        f"() => document.querySelector('{ROOT} .gdx-step').textContent.includes('2')"
    )
    _check_step(_read(page), expected[1], 2, lang)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(ROOT).screenshot(path=str(SCREENSHOTS / f"explorer-backward_pass-{lang}.png"))
    context.close()
    assert not watch.problems, watch.problems
    assert not watch.external, watch.external


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_phone_layout_fits(site, server, browser, lang):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    watch = PageWatch(server.netloc)
    watch.attach(context)
    page = context.new_page()
    watch.page_url = f"{lang}/{PAGE}"
    page.goto(server.url(f"{lang}/{PAGE}"), wait_until="load")
    page.wait_for_selector(f"{ROOT}[data-gdx-frame]")
    page.locator(f"{ROOT} button[data-gdx-primary]").tap()
    page.wait_for_function(f"() => document.querySelector('{ROOT}').dataset.gdxFrame === '2'")
    fit = page.evaluate(
        f"""() => {{
          const root = document.querySelector('{ROOT}');
          const svg = root.querySelector('svg');
          const box = root.getBoundingClientRect(), pic = svg.getBoundingClientRect();
          return {{
            page: document.documentElement.scrollWidth, viewport: window.innerWidth,
            right: box.right, svgRight: pic.right, svgLeft: pic.left,
            tall: svg.viewBox.baseVal.height > svg.viewBox.baseVal.width,
            readout: root.querySelector('.gdx-readout').scrollWidth
              <= root.querySelector('.gdx-readout').clientWidth,
          }};
        }}"""
    )
    assert fit["page"] <= fit["viewport"], fit  # no horizontal overflow of the page
    assert fit["right"] <= fit["viewport"] and fit["svgRight"] <= fit["right"], fit
    assert fit["tall"], "the phone gets the top-to-bottom layout"
    assert fit["readout"], "the text line wraps"
    _check_step(_read(page), _expected_steps(lang)[1], 2, lang)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(ROOT).screenshot(
        path=str(SCREENSHOTS / f"explorer-backward_pass-{lang}-390px.png")
    )
    context.close()
    assert not watch.problems, watch.problems
    assert not watch.external, watch.external
