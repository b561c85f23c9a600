"""What every explorer on the built lesson pages shares, checked in Chromium for both languages.

Each explorer has its own tests of what it shows; these check, for all of them at once, that
the page carries every explorer the lesson is meant to show (and the library exported), that
each one starts, stays within its size limit as sent, answers its keys without the page
reacting to the same press (Sphinx's ``navigation_with_keys`` turns the page on ArrowLeft /
ArrowRight), and that nothing logs a console error or leaves the server.
"""

from __future__ import annotations

import pytest
from browser_support import EXPLORERS_AS_SENT_JS, LANGUAGES, PageWatch, lesson_pages

from gdguide.explorers import MAX_EXPLORER_BYTES

pytestmark = [pytest.mark.build, pytest.mark.browser]

#: The explorers each lesson shows, by kind (issue 11): the lesson pages must show exactly these.
EXPECTED = {
    "plot_2_gradient_descent": ["learning_rate", "descent_basin"],
    "plot_3_chain_rule": ["backward_pass"],
    "plot_5_training_loop": ["training_replay"],
}



@pytest.fixture(scope="module")
def explorer_pages(browser, server, site) -> dict:
    """Visit every lesson page of both languages once; press each explorer's keys."""
    watch = PageWatch(server.netloc)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch.attach(context)
    page = context.new_page()
    found = {}
    for lang in LANGUAGES:
        for name in lesson_pages(site, lang):
            url = server.url(f"{lang}/{name}")
            watch.page_url = url
            page.goto(url, wait_until="load")
            lesson = name.rsplit("/", 1)[-1].removesuffix(".html")
            entries = []
            for element_id, kind, size in page.evaluate(EXPLORERS_AS_SENT_JS):
                root = page.locator(f"#{element_id}")
                ready = root.get_attribute("data-gdx-ready", timeout=5000)
                control = root.locator("[data-gdx-primary]").first
                control.scroll_into_view_if_needed()
                control.focus()
                frames = []
                for key in ("ArrowRight", "ArrowLeft", "ArrowRight"):
                    before = root.get_attribute("data-gdx-frame")
                    page.keyboard.press(key)
                    page.wait_for_timeout(50)
                    frames.append((before, root.get_attribute("data-gdx-frame"), page.url))
                entries.append({"kind": kind, "size": size, "ready": ready, "presses": frames})
            found[(lang, lesson)] = {"url": url, "explorers": entries}
    context.close()
    return {"pages": found, "watch": watch}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_lesson_shows_its_explorers(explorer_pages, lang: str) -> None:
    shown = {
        lesson: [entry["kind"] for entry in visit["explorers"]]
        for (page_lang, lesson), visit in explorer_pages["pages"].items()
        if page_lang == lang
    }
    expected = {lesson: EXPECTED.get(lesson, []) for lesson in shown}
    assert shown == expected


def test_every_explorer_starts_and_stays_small(explorer_pages) -> None:
    for (lang, lesson), visit in explorer_pages["pages"].items():
        for entry in visit["explorers"]:
            where = f"{lang}/{lesson} {entry['kind']}"
            assert entry["ready"] == "1", f"{where}: the script did not start"
            assert entry["size"] <= MAX_EXPLORER_BYTES, f"{where}: {entry['size']} bytes"


def test_keys_redraw_the_explorer_and_never_turn_the_page(explorer_pages) -> None:
    for (lang, lesson), visit in explorer_pages["pages"].items():
        for entry in visit["explorers"]:
            where = f"{lang}/{lesson} {entry['kind']}"
            for before, after, url in entry["presses"]:
                assert url == visit["url"], f"{where}: an arrow key sent the page to {url}"
                assert after != before, f"{where}: an arrow key did not redraw the explorer"


def test_no_console_error_and_no_external_request(explorer_pages) -> None:
    watch = explorer_pages["watch"]
    assert not watch.problems, "\n".join(watch.problems)
    assert not watch.external, "\n".join(watch.external)
