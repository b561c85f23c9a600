"""Failure-safe and reproducible builds, exercised on a small copy of the project.

Each test copies the real build machinery (conf.py, extension, templates, build driver) into a
temporary folder with one or two tiny lessons, so a deliberately broken lesson never touches the
real tree and a whole build takes seconds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from site_sources import ROOT

pytestmark = pytest.mark.slow

GOOD_LESSON = {
    "en": '''\
"""
A small lesson
==============

The square of a number, :math:`x^2`.
"""

# %%
import matplotlib.pyplot as plt
from gdguide.language import use_language

LANG = use_language("en")
fig, ax = plt.subplots()
ax.plot([0, 1, 2], [0, 1, 4])
ax.set_title("squares")
print(f"2 squared is {2**2}")
''',
    "ja": '''\
"""
小さなレッスン
==============

数の2乗 :math:`x^2` です。
"""

# %%
import matplotlib.pyplot as plt
from gdguide.language import use_language

LANG = use_language("ja")
fig, ax = plt.subplots()
ax.plot([0, 1, 2], [0, 1, 4])
ax.set_title("2乗")
print(f"2の2乗は {2**2} です")
''',
}


def write_lesson(project: Path, lang: str, text: str, name: str = "plot_small.py") -> Path:
    path = project / "gallery" / lang / name
    path.write_text(text, encoding="utf-8")
    return path


def copy_library(root: Path) -> None:
    """The build tools and what the site publishes besides the pages: the library's sources."""
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("tools", "gdguide"):
        shutil.copytree(ROOT / folder, root / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "constraints.txt"):
        shutil.copy2(ROOT / name, root / name)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal copy of the project: real build machinery, tiny pages and lessons."""
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    for item in ("conf.py", "docutils.conf", "_ext", "_static", "_templates", "_root", "_kit"):
        source = ROOT / "docs" / item
        if source.is_dir():
            shutil.copytree(source, root / "docs" / item,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / "docs" / item)
    copy_library(root)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    for lang in ("en", "ja"):
        (root / "docs" / lang).mkdir()
        (root / "docs" / lang / "index.md").write_text(
            "# Index\n\n```{toctree}\nauto_examples/index\nrun-locally\n```\n", encoding="utf-8"
        )
        # every lesson page links the page that explains its downloads
        (root / "docs" / lang / "run-locally.md").write_text("# Run\n", encoding="utf-8")
        (root / "gallery" / lang).mkdir(parents=True)
        (root / "gallery" / lang / "GALLERY_HEADER.rst").write_text(
            "Lessons\n=======\n", encoding="utf-8"
        )
        write_lesson(root, lang, GOOD_LESSON[lang])
    return root


def build(project: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "tools/build_site.py"], cwd=project, capture_output=True, text=True,
        env={**os.environ, **env}, timeout=600,
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def test_a_good_build_publishes_both_languages(project):
    result = build(project, GDGUIDE_SITE_URL="")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "build" / "html"
    assert (site / "index.html").is_file()
    for lang in ("en", "ja"):
        assert (site / lang / "auto_examples" / "plot_small.html").is_file()
        assert list((site / lang / "_images").glob("*.png"))
        # without a base URL the build works, leaves out what needs one, and says so
        assert not (site / lang / "sitemap.xml").exists()
        assert 'rel="canonical"' not in (site / lang / "index.html").read_text(encoding="utf-8")
    assert not (site / "robots.txt").exists()
    said = [line for line in result.stdout.splitlines() if "GDGUIDE_SITE_URL" in line]
    assert said == [
        "no base URL (GDGUIDE_SITE_URL): left out canonical links, absolute hreflang alternates "
        "and sitemap.xml"
    ], result.stdout


def test_unchanged_inputs_skip_the_build_and_an_edit_rebuilds_only_its_language(project):
    assert build(project).returncode == 0
    again = build(project)
    assert again.returncode == 0
    assert "[en] up to date" in again.stdout and "[ja] up to date" in again.stdout
    page = project / "docs" / "en" / "index.md"
    page.write_text(page.read_text() + "\nAn edited sentence.\n", encoding="utf-8")
    edited = build(project)
    assert edited.returncode == 0
    assert "[ja] up to date" in edited.stdout and "[en] building" in edited.stdout
    assert "An edited sentence." in (project / "build" / "html" / "en" / "index.html").read_text()
    # a shared input (configuration, library) may change what every lesson prints: all re-run
    # sphinx-gallery rewrites this record of the run time each time the lesson runs
    generated = project / "docs" / "ja" / "auto_examples" / "plot_small.cost.json"
    before = generated.stat().st_mtime_ns
    css = project / "docs" / "_static" / "gdguide.css"
    css.write_text(css.read_text() + "\n/* edited */\n", encoding="utf-8")
    assert build(project).returncode == 0
    assert generated.stat().st_mtime_ns != before


def test_a_changed_extension_reaches_pages_whose_sources_did_not_change(project):
    assert build(project).returncode == 0
    # a read-time transform added to an extension: index.md itself is unchanged, so only a
    # build that drops the pickled doctrees applies it there
    extension = project / "docs" / "_ext" / "gdguide_a11y.py"
    extension.write_text(
        extension.read_text(encoding="utf-8").replace(
            "    return {",
            "    app.connect('doctree-read', lambda app, doctree: doctree.append(\n"
            "        __import__('docutils.nodes').nodes.paragraph(text='EXTENSION-MARK')))\n"
            "    return {",
        ),
        encoding="utf-8",
    )
    assert build(project).returncode == 0
    for lang in ("en", "ja"):
        page = project / "build" / "html" / lang / "index.html"
        assert "EXTENSION-MARK" in page.read_text(encoding="utf-8"), lang


def test_a_deleted_lesson_leaves_the_site(project):
    write_lesson(project, "en", GOOD_LESSON["en"], name="plot_extra.py")
    write_lesson(project, "ja", GOOD_LESSON["ja"], name="plot_extra.py")
    assert build(project).returncode == 0
    site = project / "build" / "html"
    assert (site / "en" / "auto_examples" / "plot_extra.html").is_file()
    for lang in ("en", "ja"):
        (project / "gallery" / lang / "plot_extra.py").unlink()
    result = build(project)
    assert result.returncode == 0, result.stdout
    for lang in ("en", "ja"):
        assert not (site / lang / "auto_examples" / "plot_extra.html").exists()
        assert not list((site / lang / "_images").glob("*plot_extra*"))
        assert (site / lang / "auto_examples" / "plot_small.html").is_file()


def test_a_raising_lesson_fails_with_language_file_and_line_and_keeps_the_old_site(project):
    assert build(project).returncode == 0
    before = tree_digest(project / "build" / "html")
    broken = GOOD_LESSON["ja"].replace(
        'print(f"2の2乗は', 'raise RuntimeError("わざと壊したレッスン")\nprint(f"2の2乗は'
    )
    path = write_lesson(project, "ja", broken)
    line = broken.splitlines().index('raise RuntimeError("わざと壊したレッスン")') + 1
    result = build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "build failed for: ja" in output
    assert str(path) in output or "plot_small.py" in output
    assert f"line {line}" in output, output[-3000:]
    assert "わざと壊したレッスン" in output
    assert tree_digest(project / "build" / "html") == before


def test_an_exercise_without_a_solution_fails_with_file_and_line_and_keeps_the_old_site(project):
    assert build(project).returncode == 0
    before = tree_digest(project / "build" / "html")
    exercise = (
        "\n# %%\n# Write it yourself.\n\n"
        "def double_mine(x):\n"
        '    raise NotImplementedError("double x")\n\n\n'
        "print(double_mine)\n"
    )
    path = write_lesson(project, "en", GOOD_LESSON["en"] + exercise)
    line = (GOOD_LESSON["en"] + exercise).splitlines().index("def double_mine(x):") + 1
    result = build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "build failed for: en" in output
    assert f"{path}, line {line}" in output, output[-3000:]
    assert "double_mine" in output
    assert tree_digest(project / "build" / "html") == before


def test_a_lesson_over_its_time_limit_is_stopped_with_a_clear_message(project):
    slow = GOOD_LESSON["en"].replace("print(f", "import time\ntime.sleep(60)\nprint(f")
    write_lesson(project, "en", slow)
    started = time.monotonic()
    result = build(project, GDGUIDE_LESSON_TIMEOUT="3")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert time.monotonic() - started < 50
    assert "time limit of 3 s" in output
    assert "build failed for: en" in output


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_leaves_the_old_site_and_the_next_build_is_correct(project, signum):
    assert build(project).returncode == 0
    before = tree_digest(project / "build" / "html")
    slow = GOOD_LESSON["en"].replace("print(f", "import time\ntime.sleep(30)\nprint(f")
    write_lesson(project, "en", slow)
    proc = subprocess.Popen([sys.executable, "tools/build_site.py"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(8)  # well inside the sleeping lesson
    proc.send_signal(signum)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "interrupted" in output
    assert tree_digest(project / "build" / "html") == before
    fixed = GOOD_LESSON["en"].replace("2 squared is", "two squared is")
    write_lesson(project, "en", fixed)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "build" / "html" / "en" / "auto_examples" / "plot_small.html").read_text()
    assert "two squared is 4" in page


def _outputs(project: Path) -> dict[str, bytes]:
    """Figures, printed output and downloads of the built lessons (timings aside), and the
    published library files and kits."""
    found: dict[str, bytes] = {}
    site = project / "build" / "html"
    for published in sorted((site / "downloads").iterdir()):
        found[f"downloads/{published.name}"] = published.read_bytes()
    for lang in ("en", "ja"):
        for image in sorted((site / lang / "_images").glob("*.*")):  # PNG and WebP
            found[f"{lang}/{image.name}"] = image.read_bytes()
        if (site / lang / "sitemap.xml").is_file():
            found[f"{lang}/sitemap.xml"] = (site / lang / "sitemap.xml").read_bytes()
        for download in sorted((site / lang / "_downloads").rglob("*")):
            if download.is_file():
                found[f"{lang}/{download.relative_to(site / lang)}"] = download.read_bytes()
        for rst in sorted((project / "docs" / lang / "auto_examples").glob("plot_*.rst")):
            text = rst.read_text(encoding="utf-8")
            found[f"{lang}/{rst.name}"] = "\n".join(
                line for line in text.splitlines() if "running time" not in line
            ).encode()
    return found


def test_two_clean_builds_give_identical_figures_outputs_and_downloads(tmp_path):
    """The whole real site, built twice from clean copies of the tree."""
    project = tmp_path / "full"
    project.mkdir()
    ignore = shutil.ignore_patterns("auto_examples", "__pycache__")
    for folder in ("docs", "gallery"):
        shutil.copytree(ROOT / folder, project / folder, ignore=ignore)
    copy_library(project)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    result = build(project)
    assert result.returncode == 0, result.stdout[-3000:]
    first = _outputs(project)
    shutil.rmtree(project / "build")
    for lang in ("en", "ja"):
        shutil.rmtree(project / "docs" / lang / "auto_examples")
    assert build(project).returncode == 0
    second = _outputs(project)
    assert sorted(first) == sorted(second)
    downloads = [name.removeprefix("downloads/") for name in first if "downloads/" == name[:10]]
    assert {Path(name).suffix for name in downloads} == {".whl", ".gz", ".zip", ".txt"}, downloads
    assert len([name for name in downloads if name.endswith(".zip")]) == 2  # a kit per language
    for lang in ("en", "ja"):  # every lesson's figures, outputs and downloads were compared
        for lesson in (ROOT / "gallery" / lang).glob("plot_*.py"):
            assert f"{lang}/{lesson.stem}.rst" in first
            assert any(name.startswith(f"{lang}/sphx_glr_{lesson.stem}") for name in first)
            for kind in ("exercises.ipynb", "solutions.ipynb", "py"):
                assert any(name.endswith(f"/{lesson.stem}.{lang}.{kind}") for name in first)
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"differ between two clean builds: {different}"
