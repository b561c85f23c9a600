"""Lessons 1.1 and 1.2 print the numbers their prose relies on, and those numbers are right.

Each expected value is computed here (with NumPy / gdguide), never typed in; the printed text is
read from the built pages of both languages.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from built_site import numbers_in, printed_output, require_site
from site_sources import LANGUAGES

from gdguide.descent import gradient_descent, quadratic_bowl, quadratic_bowl_gradient
from gdguide.functions import h, h_gradient

pytestmark = pytest.mark.build

POINT = (2.0, 0.5)  # the point of lesson 1.1 whose arrow points to the farther crest
INWARDS = {"en": "the arrow points inwards", "ja": "矢印の向き: 内向き"}


def _output(lang: str, lesson: str) -> str:
    page = require_site() / lang / "auto_examples" / f"{lesson}.html"
    assert page.is_file(), f"{page} was not built"
    return printed_output(page).replace("−", "-")


def _lines_from(out: str, start: str, count: int) -> list[str]:
    """The *count* printed lines beginning with the line that starts with *start*."""
    lines = out.splitlines()
    index = next((i for i, line in enumerate(lines) if line.startswith(start)), None)
    assert index is not None, f"no printed line starts with {start!r}:\n{out[:3000]}"
    return lines[index : index + count]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gradient_field_lesson_prints_where_the_arrow_at_2_05_points(lang):
    x, y = POINT
    lines = _lines_from(_output(lang, "plot_1_gradient_field"), f"(x, y) = ({x}, {y}):", 6)
    first, radial_line, direction, trough_line, *crest_lines = lines

    r = math.hypot(x, y)
    dz_dx, dz_dy = h_gradient(x, y)
    radial = (dz_dx * x + dz_dy * y) / r
    assert numbers_in(first) == pytest.approx([x, y, r, dz_dx, dz_dy], abs=6e-5)
    # the radial component is 2 r cos(r²), and it is negative: the arrow points inwards
    assert radial == pytest.approx(2 * r * math.cos(r**2))
    assert radial < 0
    assert numbers_in(radial_line) == pytest.approx([radial, radial], abs=6e-5)
    assert direction.strip() == INWARDS[lang]

    # the point lies just inside the trough sqrt(3π/2) ...
    trough = math.sqrt(3 * math.pi / 2)
    assert numbers_in(trough_line) == pytest.approx([trough], abs=6e-5)
    assert r < trough
    assert h(x, y) > h(trough, 0.0)
    # ... so the arrow goes to the inner crest, although the outer one is nearer
    crests = [math.sqrt(math.pi / 2 + 2 * k * math.pi) for k in range(2)]
    printed = [numbers_in(line) for line in crest_lines]
    expected = [[crest, abs(crest - r)] for crest in crests]
    assert printed == [pytest.approx(row, abs=6e-5) for row in expected]
    inner, outer = crests
    assert inner < r < outer and outer - r < r - inner
    # a small step along the gradient goes up; along it, r shrinks towards the inner crest
    step = 1e-3 * np.array([dz_dx, dz_dy])
    assert h(x + step[0], y + step[1]) > h(x, y)
    assert math.hypot(x + step[0], y + step[1]) < r


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gradient_field_lesson_checks_the_library_gradient_and_the_starter_fails(lang):
    out = _output(lang, "plot_1_gradient_field")
    assert "❌" in out  # the starter of exercise 1.1 is not written yet
    for x, y in [(0.5, -1.0), (1.2, 0.3), (-2.0, 1.5)]:
        (line,) = [ln for ln in out.splitlines() if ln.startswith(f"(x, y) = ({x:+.1f}, {y:+.1f})")]
        numbers = numbers_in(line)
        expected = [*h_gradient(x, y)]
        assert numbers[2:4] == pytest.approx(expected, abs=1e-8)  # by hand
        assert numbers[4:6] == pytest.approx(expected, abs=1e-8)  # numerical gradient
        assert 0 < numbers[6] < 1e-7  # their largest difference, within the tolerance


def _h_of_w(w):
    return h(w[..., 0], w[..., 1])


def _h_gradient_of_w(w):
    return np.stack(h_gradient(w[..., 0], w[..., 1]), axis=-1)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gradient_descent_lesson_prints_the_basins_of_h(lang):
    out = _output(lang, "plot_2_gradient_descent")
    crest = math.sqrt(math.pi / 2)
    lines = out.splitlines()
    (crest_line,) = [lines[i - 1] for i, ln in enumerate(lines) if "[0.5, 0.5]" in ln]
    assert numbers_in(crest_line) == pytest.approx([crest], abs=6e-5)
    ends = []
    for start in ([0.5, 0.5], [1.0, 1.2]):
        (line,) = [ln for ln in out.splitlines() if f"{start}" in ln]
        run = gradient_descent(_h_of_w, _h_gradient_of_w, start, 0.1, 50)
        end = run.final_point
        expected = [*start, math.hypot(*start), *end, float(end @ end), run.final_value]
        assert numbers_in(line) == pytest.approx(expected, abs=6e-5)
        ends.append((math.hypot(*start), float(end @ end), run.final_value))
    (inside, bowl, h_bowl), (outside, trough, h_trough) = ends
    # one start on each side of the first crest, each ends in the valley of its own side
    assert inside < crest < outside
    assert bowl == pytest.approx(0.0, abs=1e-6) and h_bowl == pytest.approx(0.0, abs=1e-6)
    assert trough == pytest.approx(3 * math.pi / 2, abs=1e-3)
    assert h_trough == pytest.approx(-1.0, abs=1e-6)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gradient_descent_lesson_prints_the_four_runs_the_prose_describes(lang):
    out = _output(lang, "plot_2_gradient_descent")
    start = [-2.5, 1.0]
    runs = [
        gradient_descent(quadratic_bowl, quadratic_bowl_gradient, start, lr, 30)
        for lr in (0.05, 0.15, 0.19, 0.21)
    ]
    for run in runs:
        assert run.message(lang).replace("−", "-") in out
    # "the last one goes up, from about 8 to over 1500"; the good rate ends lowest
    assert round(quadratic_bowl(start)) == 8
    assert runs[-1].final_value > 1500 and runs[-1].diverged_at is None
    assert min(runs, key=lambda run: run.final_value) is runs[1]
    # the factor per step along w1 and w2 is 1 - lr * curvature (curvatures 1 and 10)
    for lr in (0.05, 0.15, 0.19, 0.21):
        lines = [numbers_in(ln) for ln in out.splitlines() if f"{lr:.2f}:" in ln]
        assert [lr, 1 - lr, 1 - 10 * lr] in [pytest.approx(n, abs=6e-3) for n in lines]
