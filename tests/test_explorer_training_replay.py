"""The training replay explorer on the built lesson page, driven in Chromium, in both languages.

The numbers it shows are compared with the losses of the lesson's run, recorded here again with
gdguide (the flow of the page: seed, data; seed, setup; one manual step; seed, train).
"""

from __future__ import annotations

import math

import pytest
import torch
from browser_support import LANGUAGES, SCREENSHOTS, PageWatch

from gdguide.languages import LANGUAGES as REGISTRY
from gdguide.reproducibility import SEED, set_seed
from gdguide.training import (
    TRAINING_EPOCHS,
    TrainingSnapshots,
    log_spaced_epochs,
    make_sine_data,
    make_training_setup,
    train,
    training_step,
)

pytestmark = [pytest.mark.build, pytest.mark.browser]

PAGE = "auto_examples/plot_5_training_loop.html"
ROOT = '[data-explorer="training_replay"]'
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# the viewBox of the loss panel and its margins, as static/training_replay.js draws it
VIEW_W, LEFT, RIGHT = 320, 48, 10


@pytest.fixture(scope="module")
def run() -> dict:
    inputs, targets = make_sine_data(seed=SEED)
    model, loss_fn, optimizer = make_training_setup(seed=SEED)
    training_step(inputs, targets, model, loss_fn, optimizer)
    set_seed(SEED)
    epochs = log_spaced_epochs(TRAINING_EPOCHS, count=48)
    snapshots = TrainingSnapshots(torch.linspace(-1, 1, 61).reshape(-1, 1), epochs)
    losses = train(inputs, targets, model, loss_fn, optimizer, TRAINING_EPOCHS, snapshots=snapshots)
    return {"epochs": epochs, "losses": losses}


def _expected(lang: str, run: dict, index: int) -> tuple[str, str]:
    """The readout and the announcement for the *index*-th recorded epoch, as gdguide says."""
    language = REGISTRY[lang]
    epoch = run["epochs"][index]
    loss = f"{run['losses'][epoch - 1]:.4f}"
    return (
        language.text("replay_readout", epoch=epoch, loss=loss),
        language.text("replay_announce", epoch=epoch, total=TRAINING_EPOCHS, loss=loss),
    )


class _Explorer:
    """The explorer on one open page: its state, and waiting for a redraw."""

    def __init__(self, page) -> None:
        self.page = page
        self.root = page.locator(ROOT)
        page.wait_for_selector(f"{ROOT}[data-gdx-ready]")
        self.slider = self.root.locator("input[type=range]")

    def frame(self) -> int:
        return int(self.root.get_attribute("data-gdx-frame") or 0)

    def after(self, action) -> None:
        """Do *action* and wait until the explorer has drawn a new frame."""
        before = self.frame()
        action()
        self.page.wait_for_function(
            f"document.querySelector('{ROOT}').getAttribute('data-gdx-frame') !== '{before}'"
        )

    def state(self) -> dict:
        return {
            "index": int(self.slider.input_value()),
            "readout": self.root.locator("output").inner_text(),
            "valuetext": self.slider.get_attribute("aria-valuetext"),
            "live": self.root.locator(".gdx-live").inner_text(),
        }


def _check(state: dict, lang: str, run: dict, index: int, spoken: bool = True) -> None:
    readout, announcement = _expected(lang, run, index)
    assert state["index"] == index
    assert state["readout"] == readout == state["valuetext"]
    if spoken:
        assert state["live"] == announcement


def _open(browser, server, lang: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    watch = PageWatch(server.netloc)
    watch.attach(context)
    page = context.new_page()
    watch.page_url = f"{lang}/{PAGE}"
    page.goto(server.url(f"{lang}/{PAGE}"))
    return context, watch, page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_and_mouse_show_the_runs_losses(browser, server, lang: str, run: dict) -> None:
    context, watch, page = _open(browser, server, lang, DESKTOP)
    try:
        explorer = _Explorer(page)
        last = len(run["epochs"]) - 1
        assert int(explorer.slider.get_attribute("max")) == last
        _check(explorer.state(), lang, run, 0, spoken=False)  # the first epoch, nothing said yet
        assert explorer.state()["live"] == ""

        # keyboard: Tab reaches the slider (from the explorer's start), the arrows walk every
        # recorded epoch, End and Home jump to the ends
        page.evaluate(f"(() => {{ const r = document.querySelector('{ROOT}'); "
                      "r.tabIndex = -1; r.focus(); })()")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "range"
        assert page.evaluate("document.activeElement.hasAttribute('data-gdx-primary')")
        for index in range(1, last + 1):
            explorer.after(lambda: page.keyboard.press("ArrowRight"))
            _check(explorer.state(), lang, run, index)
        explorer.after(lambda: page.keyboard.press("Home"))
        _check(explorer.state(), lang, run, 0)
        explorer.after(lambda: page.keyboard.press("End"))
        state = explorer.state()
        _check(state, lang, run, last)
        assert state["readout"].endswith("0.0673")  # the page prints losses[-1] = 0.0673
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # for the closing note of issue 11
        explorer.root.screenshot(path=SCREENSHOTS / f"explorer-training_replay-{lang}.png")
        explorer.after(lambda: page.keyboard.press("ArrowLeft"))
        _check(explorer.state(), lang, run, last - 1)

        # mouse: a click on the slider's track, then a drag to its left end
        box = explorer.slider.bounding_box()
        y = box["y"] + box["height"] / 2
        explorer.after(lambda: page.mouse.click(box["x"] + 0.5 * box["width"], y))
        state = explorer.state()
        assert 0.3 * last < state["index"] < 0.7 * last
        _check(state, lang, run, state["index"])
        start = explorer.frame()
        page.mouse.move(box["x"] + 0.5 * box["width"], y)
        page.mouse.down()
        page.mouse.move(box["x"] + 0.25 * box["width"], y, steps=5)
        page.mouse.move(box["x"] - 20, y, steps=5)
        page.mouse.up()
        page.wait_for_function(
            f"document.querySelector('{ROOT} output').textContent === "
            f"{_expected(lang, run, 0)[0]!r}"
        )
        assert explorer.frame() - start >= 3  # redrawn while dragging, not only at the end
        _check(explorer.state(), lang, run, 0)

        # mouse: a click on the loss panel picks the recorded epoch under the pointer
        panel = explorer.root.locator("svg").nth(1).bounding_box()
        for index in (20, last, 5):
            fraction = math.log10(run["epochs"][index]) / math.log10(TRAINING_EPOCHS)
            x = (LEFT + fraction * (VIEW_W - LEFT - RIGHT)) / VIEW_W
            explorer.after(lambda x=x: page.mouse.click(
                panel["x"] + x * panel["width"], panel["y"] + 0.5 * panel["height"]))
            _check(explorer.state(), lang, run, index)
    finally:
        context.close()
    assert not watch.problems, watch.problems
    assert not watch.external, watch.external


_FITS_JS = """
(selector) => {
  const root = document.querySelector(selector);
  const box = root.getBoundingClientRect();
  const panels = Array.from(root.querySelectorAll("svg"), (svg) => svg.getBoundingClientRect());
  return {width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
          left: box.left, right: box.right,
          panels: panels.map((p) => [p.left, p.right, p.width].map(Math.round))};
}
"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_usable_at_390_px(browser, server, lang: str, run: dict) -> None:
    context, watch, page = _open(browser, server, lang, PHONE)
    try:
        explorer = _Explorer(page)
        seen = page.evaluate(_FITS_JS, ROOT)
        assert seen["scrollWidth"] <= seen["width"], seen
        assert 0 <= seen["left"] and seen["right"] <= seen["width"], seen
        for left, right, width in seen["panels"]:
            assert 0 <= left and right <= seen["width"] and width >= 250, seen  # stacked, wide
        slider = explorer.slider.bounding_box()
        assert slider["width"] >= 250 and slider["height"] >= 44  # a thumb to hit with a finger
        explorer.slider.focus()
        explorer.after(lambda: page.keyboard.press("End"))
        _check(explorer.state(), lang, run, len(run["epochs"]) - 1)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        explorer.root.screenshot(path=SCREENSHOTS / f"explorer-training_replay-{lang}-390px.png")
    finally:
        context.close()
    assert not watch.problems, watch.problems
    assert not watch.external, watch.external
