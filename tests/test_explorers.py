"""The explorer frame shared by every explorer (gdguide/explorers/_base.py).

Each explorer has its own tests; these check what all of them rely on: the data reaches the
browser unchanged and cannot break out of its element, ids are unique, and the frame carries the
language, the live region and the shared runtime.
"""

from __future__ import annotations

import json
import re

import pytest

from gdguide.explorers import MAX_EXPLORER_BYTES, Explorer


class _Probe(Explorer):
    kind = "probe"

    def __init__(self, payload, lang="en"):
        super().__init__(lang)
        self.payload = payload

    def data(self):
        return self.payload

    def strings(self):
        return {"title": self.text("epoch_axis")}

    def body(self, uid):
        return f'<svg id="{uid}-svg" role="img" aria-label="probe"></svg>'

    def script(self):
        return "gdguideExplorer.define('probe', function (root, ctx) { ctx.rendered(); });"


def _payload(page: str) -> dict:
    found = re.search(r'<script type="application/json" class="gdx-data">(.*?)</script>', page)
    assert found, page[:200]
    return json.loads(found.group(1))


def test_numbers_round_trip_exactly() -> None:
    values = [0.1, 1 / 3, -2.5e-17, 123456.789, 2.0**-1074]
    page = _Probe({"values": values})._repr_html_()
    assert _payload(page)["data"]["values"] == values  # the same doubles, not rounded text


def test_strings_cannot_close_the_data_element() -> None:
    page = _Probe({"label": "</script><script>alert(1)</script>"})._repr_html_()
    assert page.count("</script>") == 2  # the data element's and the code's, nothing injected
    assert _payload(page)["data"]["label"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), [1.0, float("-inf")]])
def test_non_finite_data_is_refused(bad) -> None:
    with pytest.raises(ValueError, match="finite"):
        _Probe({"value": bad})._repr_html_()


def test_ids_are_unique_for_the_same_explorer_twice() -> None:
    first, second = (_Probe({"n": 1})._repr_html_() for _ in range(2))
    ids = [re.search(r'id="([^"]+)"', page).group(1) for page in (first, second)]
    assert ids[0] != ids[1]


@pytest.mark.parametrize("lang, title", [("en", "epoch"), ("ja", "エポック")])
def test_frame_carries_language_live_region_and_runtime(lang: str, title: str) -> None:
    page = _Probe({"n": 1}, lang=lang)._repr_html_()
    assert f'lang="{lang}"' in page.split(">", 1)[0]
    assert 'aria-live="polite"' in page
    assert "window.gdguideExplorer" in page and "document.currentScript" in page
    assert _payload(page)["strings"] == {"title": title}
    assert _Probe({"n": 1}).html_size() < MAX_EXPLORER_BYTES


def test_language_is_checked() -> None:
    with pytest.raises(ValueError, match="lang"):
        _Probe({}, lang="fr")
