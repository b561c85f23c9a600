"""The downloads run with nothing but the files the built site publishes.

One new virtual environment per test session is made from ``build/html`` alone: the published
wheel installed with the published constraints file (plus the pinned ipykernel, for the notebooks),
outside the repository and without PYTHONPATH, so the source tree is never importable. In it,
every exercise and solution notebook of both languages runs in a fresh kernel from an empty
folder, and every script in a fresh interpreter, with the expected verdicts. The offline kits,
the first cell's messages and the published packages are checked here too.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest
from built_site import parse_page, require_site
from nbclient import NotebookClient
from site_sources import LANGUAGES, ROOT, lesson_blocks, lesson_names
from test_notebooks import exercise_cells

pytestmark = [pytest.mark.build, pytest.mark.slow]
LESSONS = [name.removesuffix(".py") for name in lesson_names()]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
WHEEL = f"gdguide-{VERSION}-py3-none-any.whl"
SDIST = f"gdguide-{VERSION}.tar.gz"
#: The explorers each lesson shows (gdguide.explorers), by their kind.
EXPLORERS = {
    "plot_2_gradient_descent": ("learning_rate", "descent_basin"),
    "plot_3_chain_rule": ("backward_pass",),
    "plot_5_training_loop": ("training_replay",),
}
#: The run-locally page as the first cell names it, per language.
PAGE_NAME = {
    "en": "Run the lessons on your computer",
    "ja": "手元のコンピューターでレッスンを動かす",
}


def downloads() -> Path:
    return require_site() / "downloads"


def clean_environment() -> dict[str, str]:
    """The test's environment minus what would make the repository or its venv importable."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV",
                          "JUPYTER_PATH", "PYTHONSAFEPATH"}}
    env["MPLBACKEND"] = "agg"
    return env


def lesson_links(lang: str, lesson: str) -> dict[str, Path]:
    """File name -> published file, for every download link of a lesson page."""
    page = require_site() / lang / "auto_examples" / f"{lesson}.html"
    links = [link for link in parse_page(page).links if "_downloads/" in link]
    return {Path(link).name: (page.parent / link).resolve() for link in links}


def download(lang: str, lesson: str, kind: str) -> Path:
    name = {"exercises": f"{lesson}.{lang}.exercises.ipynb",
            "solutions": f"{lesson}.{lang}.solutions.ipynb", "script": f"{lesson}.{lang}.py"}[kind]
    links = lesson_links(lang, lesson)
    assert name in links, f"{lang}/{lesson}: the page offers no {name}; it offers {sorted(links)}"
    return links[name]


def n_exercises(lang: str, lesson: str) -> int:
    """How many starter definitions (raising NotImplementedError) the lesson's code has."""
    count = 0
    for kind, text in lesson_blocks(lang, f"{lesson}.py"):
        if kind == "code":
            for node in ast.parse(text).body:
                if isinstance(node, ast.FunctionDef | ast.ClassDef) and any(
                    isinstance(inner, ast.Raise) and "NotImplementedError" in ast.unparse(inner)
                    for inner in ast.walk(node)
                ):
                    count += 1
    return count


class FreshEnvironment:
    """A virtual environment with only the site's wheel (and ipykernel) installed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.python = root / "venv" / "bin" / "python"
        self.env = clean_environment()
        self.jupyter_path = root / "jupyter"  # holds kernels/site-wheel/kernel.json

    def run(self, *args: str | Path, cwd: Path, timeout: float = 600,
            python: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(python or self.python), *map(str, args)], cwd=cwd,
                              env=self.env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> FreshEnvironment:
    """One environment for the whole session, made from the published files only."""
    published = downloads()
    root = tmp_path_factory.mktemp("fresh")
    empty = root / "empty"
    empty.mkdir()
    env = FreshEnvironment(root)
    made = subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], cwd=empty,
                          env=env.env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    installed = env.run("-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-c", published / "constraints.txt", published / WHEEL, "ipykernel",
                        cwd=empty, timeout=900)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    spec = env.jupyter_path / "kernels" / "site-wheel"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(env.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "site wheel", "language": "python",
    }), encoding="utf-8")
    return env


def test_the_fresh_environment_imports_the_wheel_not_the_sources(fresh, tmp_path):
    result = fresh.run("-c", "import gdguide, importlib.metadata as m; "
                       "print(gdguide.__file__); print(m.version('gdguide'))", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    location, version = result.stdout.split()
    assert Path(location).is_relative_to(fresh.root / "venv"), location
    assert not Path(location).is_relative_to(ROOT)
    assert version == VERSION


def run_notebook(fresh: FreshEnvironment, path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
                 edit=None) -> tuple[nbformat.NotebookNode, list]:
    """Copy the notebook into an empty folder and run it there in a kernel of the fresh venv."""
    monkeypatch.setenv("JUPYTER_PATH", str(fresh.jupyter_path))  # where the kernel is found
    folder.mkdir(exist_ok=True)
    assert not any(folder.iterdir())
    copy = Path(shutil.copy(path, folder))
    notebook = nbformat.read(copy, as_version=4)
    expectations = edit(notebook) if edit else []
    client = NotebookClient(notebook, kernel_name="site-wheel", timeout=600,
                            resources={"metadata": {"path": str(folder)}})
    client.execute(env=fresh.env)  # raises CellExecutionError, with the traceback, on any error
    return notebook, expectations


def cell_text(cell: nbformat.NotebookNode) -> str:
    text = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            text.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            text.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            text.append("\n".join(output.traceback))
    return "\n".join(text)


def assert_verdict(output: str, mark: str, what: str) -> None:
    assert output.strip().startswith(mark) or f"\n{mark}" in output, (
        f"{what}: expected a verdict starting with {mark}, got:\n{output}"
    )
    assert "Traceback" not in output, f"{what}: {output}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS)
def test_exercise_notebook_runs_with_not_yet_verdicts_and_checks_answers(fresh, lang, lesson,
                                                                         tmp_path, monkeypatch):
    path = download(lang, lesson, "exercises")
    notebook, expectations = run_notebook(
        fresh, path, tmp_path / "empty", monkeypatch,
        edit=lambda nb: exercise_cells(nb, lang, lesson),
    )
    assert cell_text(notebook.cells[0]) == "", "the first cell prints nothing when all is well"
    starters = [cell for cell in notebook.cells if "exercise" in cell.metadata.get("tags", [])]
    assert len(starters) == n_exercises(lang, lesson)
    assert len(expectations) == 3 * n_exercises(lang, lesson)
    for cell, mark, what in expectations:
        assert_verdict(cell_text(cell), mark, f"{lang}/{lesson} {what}")


def starter_names(lang: str, lesson: str) -> set[str]:
    return {
        node.name
        for kind, text in lesson_blocks(lang, f"{lesson}.py") if kind == "code"
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and "NotImplementedError" in
        ast.unparse(node)
    }


def defined_in_text(text: str, names: set[str]) -> set[str]:
    """The names among *names* that a ``def``/``class`` line in *text* defines."""
    return {name for name in names if re.search(rf"^\s*(?:#\s*)?(?:def|class) {name}\b[(:]",
                                                 text, re.M)}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS)
def test_the_files_to_hand_out_hold_no_solution(lang, lesson):
    names = starter_names(lang, lesson)
    exercises = nbformat.read(download(lang, lesson, "exercises"), as_version=4)
    markdown = "\n".join(cell.source for cell in exercises.cells if cell.cell_type == "markdown")
    code = [cell.source for cell in exercises.cells if cell.cell_type == "code"]
    solutions_name = f"{lesson}.{lang}.solutions.ipynb"
    assert not defined_in_text(markdown, names), "a solution is shown in the exercise notebook"
    assert all("NotImplementedError" in cell for cell in code if defined_in_text(cell, names))
    assert (solutions_name in markdown) == bool(names), "where the solutions are is not said"
    script = download(lang, lesson, "script").read_text(encoding="utf-8")
    for name in names:  # the script defines each exercise once: its starter
        assert len(re.findall(rf"^(?:def|class) {name}\b", script, re.M)) == 1, name
        assert not re.search(rf"^#\s+(?:def|class) {name}\b", script, re.M), name
    assert (solutions_name in script) == bool(names)
    # the solutions notebook still explains the answers where the page does
    solved = nbformat.read(download(lang, lesson, "solutions"), as_version=4)
    solved_markdown = "\n".join(c.source for c in solved.cells if c.cell_type == "markdown")
    assert defined_in_text(solved_markdown, names) == names


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS)
def test_solution_notebook_runs_with_passed_verdicts(fresh, lang, lesson, tmp_path, monkeypatch):
    path = download(lang, lesson, "solutions")
    notebook, _ = run_notebook(fresh, path, tmp_path / "empty", monkeypatch)
    solved = [cell for cell in notebook.cells if "solution" in cell.metadata.get("tags", [])]
    assert len(solved) == n_exercises(lang, lesson)
    for cell in solved:
        assert "NotImplementedError" not in cell.source
        assert_verdict(cell_text(cell), "✅", f"{lang}/{lesson} solution")
    everything = "\n".join(cell_text(cell) for cell in notebook.cells)
    assert "❌" not in everything, f"{lang}/{lesson}: a check did not pass in the solutions"
    html = [output.data.get("text/html", "") for cell in notebook.cells
            for output in cell.get("outputs", []) if "data" in output]
    if lesson == "plot_3_chain_rule":  # the backward pass shows itself as an HTML table
        assert any('<table class="gdguide-backward-table">' in item for item in html)
    for kind in EXPLORERS.get(lesson, ()):  # the page's explorers, live in the notebook too
        assert any(
            f'data-explorer="{kind}"' in item and "gdguideExplorer.define" in item for item in html
        ), (lang, lesson, kind)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS)
def test_script_runs_from_an_empty_folder_with_not_yet_verdicts(fresh, lang, lesson, tmp_path):
    script = Path(shutil.copy(download(lang, lesson, "script"), tmp_path))
    result = fresh.run(script.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert result.stdout.count("❌") >= n_exercises(lang, lesson)


def first_cell(lang: str) -> str:
    path = download(lang, LESSONS[0], "exercises")
    return nbformat.read(path, as_version=4).cells[0].source


@pytest.fixture(scope="session")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Python without gdguide: a virtual environment with nothing installed."""
    root = tmp_path_factory.mktemp("bare")
    made = subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")],
                          env=clean_environment(), capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return root / "venv" / "bin" / "python"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_gdguide_a_script_prints_the_install_commands_and_stops(fresh, bare_python, lang,
                                                                        tmp_path):
    script = Path(shutil.copy(download(lang, LESSONS[-1], "script"), tmp_path))
    result = fresh.run(script.name, cwd=tmp_path, python=bare_python)
    assert result.returncode == 1
    assert result.stderr == "", result.stderr  # no traceback, no error at all
    for expected in (f"pip install -c constraints.txt {WHEEL}", "python -m venv .venv",
                     "constraints.txt", PAGE_NAME[lang], f"{lang}/run-locally.html"):
        assert expected in result.stdout, f"{expected!r} missing from:\n{result.stdout}"
    if lang == "ja":
        assert "インストールされていません" in result.stdout


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_gdguide_a_notebook_first_cell_prints_the_commands_without_error(
        fresh, bare_python, lang, tmp_path):
    # in a kernel, ipykernel is loaded: the cell must print and not stop the kernel
    source = "import sys, types\nsys.modules['ipykernel'] = types.ModuleType('ipykernel')\n"
    result = fresh.run("-c", source + first_cell(lang) + "\nprint('kernel still running')",
                       cwd=tmp_path, python=bare_python)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert f"pip install -c constraints.txt {WHEEL}" in result.stdout
    assert result.stdout.rstrip().endswith("kernel still running")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_another_installed_version_is_reported(fresh, lang, tmp_path):
    cell = first_cell(lang)
    assert f'SITE_GDGUIDE_VERSION = "{VERSION}"' in cell
    older = cell.replace(f'SITE_GDGUIDE_VERSION = "{VERSION}"', 'SITE_GDGUIDE_VERSION = "0.0.1"')
    result = fresh.run("-c", older, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert VERSION in result.stdout and "0.0.1" in result.stdout and WHEEL in result.stdout
    assert fresh.run("-c", cell, cwd=tmp_path).stdout == ""  # the right version: silence


def test_twine_accepts_the_wheel_and_the_sdist():
    files = [downloads() / WHEEL, downloads() / SDIST]
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_the_wheel_is_named_with_the_one_version_and_the_site_shows_it():
    assert (downloads() / WHEEL).is_file() and (downloads() / SDIST).is_file()
    with zipfile.ZipFile(downloads() / WHEEL) as wheel:
        metadata = wheel.read(f"gdguide-{VERSION}.dist-info/METADATA").decode()
        names = wheel.namelist()
    assert f"\nVersion: {VERSION}\n" in metadata
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    for lang in LANGUAGES:
        html = (require_site() / lang / "index.html").read_text(encoding="utf-8")
        assert f"gdguide {VERSION}" in html
        assert f"../downloads/{WHEEL}" in html


_FILE_NAME = re.compile(r"(?<![\w/\\.<-])[A-Za-z0-9][\w.-]*\.(?:ipynb|py|whl|txt|tar\.gz|zip)\b")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_offline_kit_holds_everything_its_readme_names(lang, tmp_path):
    kit = downloads() / f"gdguide-{VERSION}-lessons-{lang}.zip"
    with zipfile.ZipFile(kit) as archive:
        archive.extractall(tmp_path)
    (folder,) = tmp_path.iterdir()
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    named = set(_FILE_NAME.findall(readme))
    assert len(named) >= 3 * len(LESSONS) + 3, named
    missing = sorted(name for name in named if not (folder / name).is_file())
    assert not missing, f"the {lang} kit's README names files it does not hold: {missing}"
    expected = {"README.txt", WHEEL, "constraints.txt"} | {
        f"{lesson}.{lang}.{kind}" for lesson in LESSONS
        for kind in ("exercises.ipynb", "solutions.ipynb", "py")
    }
    held = {path.name for path in folder.iterdir()}
    assert held == expected
    assert expected <= named | {"README.txt"}, "every file of the kit is named in its README"
    assert (folder / WHEEL).read_bytes() == (downloads() / WHEEL).read_bytes()
    if lang == "ja":
        assert "インストール" in readme


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_kit_is_linked_from_the_landing_page_and_the_lessons_index(lang):
    kit = f"downloads/gdguide-{VERSION}-lessons-{lang}.zip"
    site = require_site() / lang
    for page in (site / "index.html", site / "auto_examples" / "index.html"):
        targets = {(page.parent / link).resolve() for link in parse_page(page).links}
        assert (require_site() / kit).resolve() in targets, f"{page} does not link {kit}"


def test_the_package_reports_the_version_of_pyproject():
    """``gdguide.__version__`` (what a notebook run from a source folder reports) is the one."""
    import gdguide

    assert gdguide.__version__ == VERSION
