"""The built site holds every lesson in both languages, with figures, downloads and numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from built_site import numbers_in, parse_page, printed_output, require_site
from site_sources import GALLERY, LANGUAGES, lesson_names, page_names

pytestmark = pytest.mark.build
LESSONS = [name.removesuffix(".py") for name in lesson_names()]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def lesson_page(lang: str, lesson: str) -> Path:
    return require_site() / lang / "auto_examples" / f"{lesson}.html"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_page_shows_its_figures(lang, lesson):
    page = lesson_page(lang, lesson)
    assert page.is_file(), f"{page} was not built"
    images = [img for img in parse_page(page).images if "sphx_glr_" in img.get("src", "")
              and "thumb" not in img.get("src", "")]
    assert images, f"{lang}/{lesson}: no figure on the page"
    for img in images:
        png = (page.parent / img["src"]).resolve()
        assert png.suffix == ".png" and png.is_file() and png.stat().st_size > 1000, png
        for candidate in img.get("srcset", "").split(","):
            if candidate.strip():
                source = candidate.split()[0]
                assert (page.parent / source).resolve().is_file(), source


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_downloads_exist_in_the_page_language(lang, lesson):
    page = lesson_page(lang, lesson)
    links = parse_page(page).links
    targets = {Path(link).name: (page.parent / link).resolve() for link in links
               if "_downloads/" in link}
    # the exercise and solution notebooks and the script, named so both languages fit one folder
    names = {kind: f"{lesson}.{lang}.{kind}" for kind in ("exercises.ipynb", "solutions.ipynb")}
    names["py"] = f"{lesson}.{lang}.py"
    assert set(targets) == set(names.values()), links
    for target in targets.values():
        assert target.is_file() and target.stat().st_size > 0, target
    kit = [link for link in links if link.endswith(f"-lessons-{lang}.zip")]
    assert kit and (page.parent / kit[0]).resolve().is_file(), "no offline kit linked"
    wheel = next((require_site() / "downloads").glob("gdguide-*-py3-none-any.whl")).name
    notebooks = {kind: json.loads(targets[names[kind]].read_text(encoding="utf-8"))
                 for kind in ("exercises.ipynb", "solutions.ipynb")}
    for kind, notebook in notebooks.items():
        markdown = "".join("".join(cell["source"]) for cell in notebook["cells"]
                           if cell["cell_type"] == "markdown")
        first_code = "".join(
            next(c for c in notebook["cells"] if c["cell_type"] == "code")["source"]
        )
        # the first cell checks for gdguide and knows how to install the site's wheel
        assert f"pip install -c constraints.txt {wheel}" in first_code, kind
        assert 'find_spec("gdguide")' in first_code, kind
        # dropdowns are folded (the exercise notebook drops the solutions among them), and no
        # raw reST is left for the reader
        assert ".. dropdown::" not in markdown and ".. code-block::" not in markdown
        assert not re.search(r":(func|class|mod|data|doc|ref|meth|attr):`", markdown), "raw role"
        source = (GALLERY / lang / f"{lesson}.py").read_text(encoding="utf-8")
        if kind == "solutions.ipynb" and ".. dropdown::" in source:
            assert "<details><summary>" in markdown
        if lang == "ja":
            assert len(JAPANESE.findall(markdown)) > 200, "the Japanese notebook is not Japanese"
            assert JAPANESE.search(first_code), "the first cell should speak Japanese"
        else:
            assert not JAPANESE.search(markdown), "the English notebook contains Japanese text"
    script = targets[names["py"]].read_text(encoding="utf-8")
    assert f'use_language("{lang}")' in script
    assert script.index('find_spec("gdguide")') < script.index("use_language(")

    def code(kind: str) -> str:
        return "\n".join("".join(cell["source"]) for cell in notebooks[kind]["cells"]
                         if cell["cell_type"] == "code")

    if "raise NotImplementedError" in code("exercises.ipynb"):
        assert "raise NotImplementedError" not in code("solutions.ipynb"), "starter left"


def _sidebar_links(page: Path) -> set[Path]:
    """Pages linked from the table of contents in the sidebar (furo's sidebar-tree)."""
    html = page.read_text(encoding="utf-8")
    tree = html.split('<div class="sidebar-tree">', 1)[1].split("</div>", 1)[0]
    return {(page.parent / link.split("#")[0]).resolve()
            for link in re.findall(r'href="([^"#][^"]*)"', tree) if not link.startswith("http")}


def _footer_links(page: Path) -> set[Path]:
    html = page.read_text(encoding="utf-8")
    footer = html.split('<div class="gdguide-footer">', 1)[1].split("</div>", 1)[0]
    return {(page.parent / link).resolve() for link in re.findall(r'href="([^"]+)"', footer)}


#: Pages for the curious, kept out of the learner's table of contents: linked from every footer.
FOOTER_PAGES = ("about",)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_reachable_from_the_table_of_contents(lang):
    site = require_site() / lang
    index = site / "index.html"
    linked = _sidebar_links(index)
    expected = [site / f"{name}.html" for name in page_names(lang)
                if name != "index" and name not in FOOTER_PAGES]
    expected += [site / "auto_examples" / f"{lesson}.html" for lesson in LESSONS]
    expected.append(site / "auto_examples" / "index.html")
    missing = [str(p.relative_to(site)) for p in expected
               if not p.is_file() or p.resolve() not in linked]
    assert not missing, f"{lang}: missing or not linked from the navigation: {missing}"
    for name in FOOTER_PAGES:
        target = (site / f"{name}.html").resolve()
        assert target not in linked, f"{lang}: {name} should stay out of the table of contents"
        for page in [index, *(site / "auto_examples").glob("plot_*.html")]:
            assert target in _footer_links(page), f"{lang}: no footer link to {name} on {page}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_root_page_and_both_languages_are_published(lang):
    site = require_site()
    assert (site / "index.html").is_file()
    html = (site / lang / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<html[^>]* lang="{lang}"', html)


def test_numbers_helper_reads_unicode_minus():
    assert numbers_in("grad −14.0 and 0.889") == [-14.0, 0.889]


def _output(lang: str, lesson: str) -> str:
    return printed_output(lesson_page(lang, lesson))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_autograd_lesson_prints_the_neuron_numbers_of_content_md(lang):
    import torch

    # the lesson's example, computed here: w = -0.5, b = 0.5, x = 1, target 7
    w = torch.tensor([-0.5], requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    prediction = torch.tanh(w * torch.tensor([1.0]) + b)
    loss = (torch.tensor([7.0]) - prediction) ** 2
    c = torch.tensor([1.0], requires_grad=True) + torch.tensor([-1.0], requires_grad=True)
    names = [c.grad_fn.name(), prediction.grad_fn.name(), loss.grad_fn.name()]
    loss.backward()
    # CONTENT.md: prediction 0.0, loss 49.0, both gradients -14.0
    assert prediction.item() == pytest.approx(0.0, abs=1e-12)
    assert loss.item() == pytest.approx(49.0)
    assert [w.grad.item(), b.grad.item()] == pytest.approx([-14.0, -14.0])

    out = _output(lang, "plot_4_autograd")
    # the line after the inputs: "prediction = ..., loss = ..." (labels in the page's language)
    match = re.search(r"x = 1\.0, y_t = 7\.0\n[^\n]*= (-?\d+\.\d+), [^\n]*= (-?\d+\.\d+)\n", out)
    assert match, out[:2000]
    assert float(match[1]) == pytest.approx(prediction.item(), abs=0.05)
    assert float(match[2]) == pytest.approx(loss.item(), abs=0.05)
    # the first gradients printed are those of the first backward pass
    grads = re.search(r"w\.grad = (-?\d+\.\d+), b\.grad = (-?\d+\.\d+)", out)
    assert grads, out[:2000]
    assert [float(g) for g in grads.groups()] == pytest.approx(
        [w.grad.item(), b.grad.item()], abs=0.05
    )
    printed_names = re.findall(r"-> (\w+)$", out, flags=re.MULTILINE)
    assert printed_names == names
    assert names == ["AddBackward0", "TanhBackward0", "PowBackward0"]  # CONTENT.md


@pytest.fixture(scope="module")
def training_flow() -> tuple[float, list[float]]:
    """The lesson's flow through gdguide: seed -> data; seed -> model; one step; seed -> train.

    The lesson builds its own ``WideNet`` class, loss and optimiser on the page; its numbers must
    be those of :func:`gdguide.training.make_training_setup` followed by ``train``.
    """
    from gdguide.reproducibility import SEED, set_seed
    from gdguide.training import (
        TRAINING_EPOCHS,
        make_sine_data,
        make_training_setup,
        train,
        training_step,
    )

    inputs, targets = make_sine_data(seed=SEED)
    model, loss_fn, optimizer = make_training_setup(seed=SEED)
    one_step = training_step(inputs, targets, model, loss_fn, optimizer)
    set_seed(SEED)
    return one_step, train(inputs, targets, model, loss_fn, optimizer, TRAINING_EPOCHS)


def _printed_values(out: str) -> dict[str, list[float]]:
    """Lines of the form ``name = number`` printed by a lesson, by name, in order."""
    values: dict[str, list[float]] = {}
    for name, number in re.findall(r"^(\S+) = (-?\d+(?:\.\d+)?)$", out, flags=re.MULTILINE):
        values.setdefault(name, []).append(float(number))
    return values


@pytest.mark.parametrize("lang", LANGUAGES)
def test_training_lesson_prints_the_one_step_and_final_losses(lang, training_flow):
    from gdguide.training import TRAINING_EPOCHS

    one_step, losses = training_flow
    assert one_step == pytest.approx(0.889, abs=5e-4)  # CONTENT.md: printed loss ≈ 0.889
    assert 0 < losses[-1] < losses[0] / 2
    printed = _printed_values(_output(lang, "plot_5_training_loop"))
    # the manual step: its loss (3 decimals), then the loss after its update
    assert printed["one_step_loss"] == [pytest.approx(one_step, abs=5e-4)]
    assert printed["loss_after"] == [pytest.approx(losses[0], abs=5e-4)]
    # training: the epoch count, the first and the last epoch's loss (4 decimals); the last
    # loss is printed a second time beside the noise
    assert printed["len(losses)"] == [TRAINING_EPOCHS]
    assert printed["losses[0]"] == [pytest.approx(losses[0], abs=5e-5)]
    assert printed["losses[-1]"] == [pytest.approx(losses[-1], abs=5e-5)] * 2
