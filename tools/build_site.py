"""Build the English and Japanese sites side by side, then publish them whole.

First the gdguide library is packaged (``python -m build``: a wheel and an sdist, byte-identical
for one SOURCE_DATE_EPOCH), unless its files did not change. Then each language is one
``sphinx-build`` with its own doctree and output folder under ``build/work/<lang>/`` (so rebuilds
are incremental). A language whose inputs (its pages and
lessons, plus the shared configuration, library and pinned versions) have not changed since its
last successful build is not rebuilt at all. Only when every language succeeded is ``build/html``
replaced, by building the new tree aside and swapping it in: a failed or interrupted build leaves
the previous site whole. The new tree gets ``downloads/``, shared by both languages: the wheel, the
sdist, the constraints file and one offline kit (a zip) per language.

Usage: ``python tools/build_site.py [--serial] [--force] [--lang en --lang ja]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from string import Template

from gdguide.languages import CODES as LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = ROOT / "build"
WORK = BUILD / "work"
SITE = BUILD / "html"
DIST = WORK / "dist"
#: What the wheel and the sdist are made of, and what is published beside them (the constraints
#: file, the kits' READMEs): a change to any of these publishes the site again.
LIBRARY_INPUTS = ("pyproject.toml", "README.md", "gdguide", "constraints.txt", "docs/_kit")
#: 2026-01-01: the date of every file in the published archives; no build dates in pages.
DEFAULT_SOURCE_DATE_EPOCH = "1767225600"

sys.path.insert(0, str(DOCS / "_ext"))
from gdguide_downloads import (  # noqa: E402 -- the names the pages link to, in one place
    DOWNLOADS,
    lesson_files,
    project_version,
    site_files,
)

#: Inputs every language's pages depend on, besides its own docs/<lang> and gallery/<lang>.
SHARED_INPUTS = (
    "docs/conf.py", "docs/docutils.conf", "docs/_ext", "docs/_static", "docs/_templates",
    "docs/_data", "docs/locale", "gdguide", "tools", "pyproject.toml", "constraints.txt",
    "package-lock.json",
)  # fmt: skip


#: What Sphinx and gdguide_locale compile from docs/locale/**/*.po during a build: outputs.
COMPILED_CATALOGS = (".mo", ".js")
LOCALE = DOCS / "locale"


def language_inputs(lang: str | None, shared: tuple[str, ...] = SHARED_INPUTS) -> list[Path]:
    """Every file whose content can change the pages of *lang* (None: only the shared ones)."""
    roots = [ROOT / item for item in shared]
    if lang is not None:
        roots += [DOCS / lang, ROOT / "gallery" / lang]
    files = []
    for root in roots:
        candidates = [root] if root.is_file() else sorted(root.rglob("*"))
        files += [
            path for path in candidates
            if path.is_file() and "__pycache__" not in path.parts
            and "auto_examples" not in path.parts
            and not (path.is_relative_to(LOCALE) and path.suffix in COMPILED_CATALOGS)
        ]  # fmt: skip
    return files


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_state(lang: str) -> dict[str, object]:
    """Return what a build of *lang* depends on: digests of its inputs, and its sources."""
    sources = sorted(
        str(path.relative_to(ROOT)) for path in language_inputs(lang)
        if path.is_relative_to(DOCS / lang) or path.is_relative_to(ROOT / "gallery" / lang)
    )  # fmt: skip
    # the base URL is in every page (canonical link, alternates) and in the downloads
    site_url = os.environ.get("GDGUIDE_SITE_URL", "")
    return {
        "digest": _digest(language_inputs(lang)) + site_url,
        "shared": _digest(language_inputs(None)) + site_url,
        "sources": sources,
    }


def state_file(lang: str) -> Path:
    """Where the state of the last successful build of *lang* is kept."""
    return WORK / lang / "state.json"


def saved_state(lang: str) -> dict[str, object] | None:
    """Return the state of the last successful build of *lang*, if there was one."""
    try:
        return json.loads(state_file(lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def sphinx_command(lang: str) -> list[str]:
    """Return the sphinx-build command line for one language."""
    return [
        sys.executable, "-m", "sphinx",
        "-b", "html",
        "-c", str(DOCS),
        "-t", lang,
        "-d", str(WORK / lang / "doctrees"),
        # -a: write every page, so that the sitemap (written from the pages written) is whole
        "-W", "--keep-going", "-n", "-q", "-a",
        str(DOCS / lang),
        str(WORK / lang / "html"),
    ]  # fmt: skip


def child_environment(n_parallel: int) -> dict[str, str]:
    """Environment of a language build: non-interactive plots, fixed thread count."""
    env = dict(os.environ)
    env["MPLBACKEND"] = "agg"
    # One BLAS/OpenMP thread per build whatever the core count: the numbers the lessons print
    # must not depend on the machine, and two builds side by side must not fight for cores.
    env["OMP_NUM_THREADS"] = "1"
    env["MKL_NUM_THREADS"] = "1"
    env.setdefault("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    env["PYTHONHASHSEED"] = "0"
    return env


def remove_stale_lesson_output(lang: str) -> list[Path]:
    """Delete what sphinx-gallery generated for lessons whose script no longer exists.

    sphinx-gallery never removes the pages, figures and downloads of a deleted lesson, and
    Sphinx would keep building the orphaned page.
    """
    lessons = [path.stem for path in (ROOT / "gallery" / lang).glob("plot_*.py")]
    generated = DOCS / lang / "auto_examples"
    stale = [
        path for path in generated.rglob("*")
        if path.is_file() and "plot_" in path.name
        and not any(f"{stem}." in path.name or f"{stem}_" in path.name for stem in lessons)
    ]  # fmt: skip
    for path in stale:
        path.unlink()
    return stale


def run_builds(langs: list[str], serial: bool) -> dict[str, int]:
    """Run the language builds (side by side unless *serial*) and return their exit codes."""
    (BUILD / "logs").mkdir(parents=True, exist_ok=True)
    parallel = 1 if serial else min(len(langs), os.cpu_count() or 1)
    env = child_environment(parallel)
    running: dict[str, tuple[subprocess.Popen, object]] = {}
    codes: dict[str, int] = {}
    states: dict[str, dict[str, object]] = {}
    pending = list(langs)

    def start(lang: str) -> None:
        for path in remove_stale_lesson_output(lang):
            print(f"[{lang}] removed the output of a deleted lesson: {path.relative_to(ROOT)}")
        # Sphinx never deletes the page of a removed source: when a page or lesson was removed
        # since the last build, start the output afresh (the doctrees are kept).
        previous = saved_state(lang)
        current = build_state(lang)
        if previous and set(previous["sources"]) - set(current["sources"]):
            shutil.rmtree(WORK / lang / "html", ignore_errors=True)
        # Nor does it delete a download no page links to any more: when the configuration or
        # the extensions changed (what the pages offer may have changed), start afresh too.
        # The doctrees go too: Sphinx keeps a pickled doctree for every unchanged source, so a
        # transform changed in docs/_ext would otherwise never reach those pages.
        if previous and previous.get("shared") != current["shared"]:
            shutil.rmtree(WORK / lang / "html", ignore_errors=True)
            shutil.rmtree(WORK / lang / "doctrees", ignore_errors=True)
        # sphinx-gallery re-runs a lesson only when the lesson itself changed; when the library
        # or the configuration changed, every lesson's output may be stale: run them all again.
        if previous is None or previous.get("shared") != current["shared"]:
            for stamp in (DOCS / lang / "auto_examples").glob("*.md5"):
                stamp.unlink()
        states[lang] = current
        log = open(BUILD / "logs" / f"{lang}.log", "w", encoding="utf-8")  # noqa: SIM115
        print(f"[{lang}] building docs/{lang} -> build/html/{lang}", flush=True)
        proc = subprocess.Popen(
            sphinx_command(lang), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        running[lang] = (proc, log)

    def stop_all(signum: int, frame: object) -> None:
        for proc, _ in running.values():
            proc.terminate()
        for proc, _ in running.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        print(f"build interrupted (signal {signum}); build/html was left as it was", flush=True)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGINT, stop_all)
    signal.signal(signal.SIGTERM, stop_all)
    while pending or running:
        while pending and len(running) < parallel:
            start(pending.pop(0))
        for lang, (proc, log) in list(running.items()):
            if proc.poll() is not None:
                log.close()
                codes[lang] = proc.returncode
                del running[lang]
                if proc.returncode == 0:  # remember what this output was built from
                    state_file(lang).write_text(json.dumps(states[lang]), encoding="utf-8")
                status = "ok" if proc.returncode == 0 else f"FAILED (exit {proc.returncode})"
                print(f"[{lang}] {status}", flush=True)
        time.sleep(0.1)
    return codes


def report_failure(lang: str) -> None:
    """Print the failing language's log, each line prefixed with the language."""
    text = (BUILD / "logs" / f"{lang}.log").read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()[-200:]
    print(f"\n[{lang}] ---- the {lang} build failed; its log (build/logs/{lang}.log) ends:")
    for line in lines:
        print(f"[{lang}] {line}")


def build_library() -> bool:
    """Build gdguide's wheel and sdist into build/work/dist unless their inputs are unchanged.

    ``--no-isolation`` builds with the pinned flit_core of this environment, without the network.
    Returns whether build/work/dist holds the library of the current sources.
    """
    digest = _digest(language_inputs(None, LIBRARY_INPUTS))
    stamp = DIST / "state.json"
    try:
        if json.loads(stamp.read_text(encoding="utf-8"))["digest"] == digest:
            print("[dist] up to date: the library's files did not change")
            return True
    except (OSError, ValueError, KeyError):
        pass
    staging = WORK / "dist.new"
    shutil.rmtree(staging, ignore_errors=True)
    (BUILD / "logs").mkdir(parents=True, exist_ok=True)
    env = child_environment(1)
    command = [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--sdist",
               "--outdir", str(staging), str(ROOT)]
    print("[dist] building the gdguide wheel and sdist", flush=True)
    with open(BUILD / "logs" / "dist.log", "w", encoding="utf-8") as log:
        code = subprocess.run(command, cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT).returncode
    if code != 0:
        print(f"[dist] FAILED (exit {code})", flush=True)
        return False
    (staging / "state.json").write_text(json.dumps({"digest": digest}), encoding="utf-8")
    shutil.rmtree(DIST, ignore_errors=True)
    staging.rename(DIST)
    print("[dist] ok", flush=True)
    return True


def write_archive(target: Path, folder: str, files: dict[str, bytes]) -> None:
    """Write a zip whose bytes depend only on *files*: sorted entries, one fixed date.

    zipfile (and shutil.make_archive) store each file's modification time, so two builds of one
    commit would differ; every entry here gets the date of SOURCE_DATE_EPOCH instead.
    """
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH))
    date = max(time.gmtime(epoch)[:6], (1980, 1, 1, 0, 0, 0))  # zip dates start in 1980
    with zipfile.ZipFile(target, mode="w") as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=date)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, files[name])


def kit_files(lang: str, site: Path, version: str) -> dict[str, bytes]:
    """Everything the offline kit of *lang* holds, read from the assembled site."""
    names = site_files(version, lang)
    lessons = sorted(path.stem for path in (ROOT / "gallery" / lang).glob("plot_*.py"))
    published = {path.name: path for path in (site / lang / "_downloads").glob("*/*")}
    files: dict[str, bytes] = {}
    listing = []
    for lesson in lessons:
        for name in lesson_files(lesson, lang).values():
            if name not in published:
                raise FileNotFoundError(f"{lang}: the site does not publish {name}")
            files[name] = published[name].read_bytes()
            listing.append(f"    {name}")
    for kind in ("wheel", "constraints"):
        files[names[kind]] = (site / DOWNLOADS / names[kind]).read_bytes()
    readme = Template((DOCS / "_kit" / f"README.{lang}.txt").read_text(encoding="utf-8"))
    files["README.txt"] = readme.substitute(
        version=version, wheel=names["wheel"], lessons="\n".join(listing)
    ).encode("utf-8")
    return files


def publish() -> None:
    """Assemble the new site aside from the languages' outputs and swap it in for build/html."""
    staging = BUILD / "html.new"
    old = BUILD / "html.old"
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir(parents=True)
    for lang in LANGUAGES:
        source = WORK / lang / "html"
        if source.is_dir():
            shutil.copytree(source, staging / lang, ignore=shutil.ignore_patterns(".buildinfo"))
    shutil.copy2(DOCS / "_root" / "index.html", staging / "index.html")
    version = project_version(ROOT / "pyproject.toml")
    downloads = staging / DOWNLOADS
    downloads.mkdir()
    names = site_files(version, LANGUAGES[0])
    for kind in ("wheel", "sdist"):
        shutil.copyfile(DIST / names[kind], downloads / names[kind])
    shutil.copyfile(ROOT / "constraints.txt", downloads / names["constraints"])
    for lang in LANGUAGES:
        if (staging / lang).is_dir():
            kit = site_files(version, lang)["kit"]
            write_archive(downloads / kit, kit.removesuffix(".zip"),
                          kit_files(lang, staging, version))
    site_url = os.environ.get("GDGUIDE_SITE_URL", "")
    if site_url:  # tell search engines where each language's sitemap is
        base = site_url.rstrip("/") + "/"
        lines = ["User-agent: *", "Allow: /", *(f"Sitemap: {base}{lang}/sitemap.xml"
                                                for lang in LANGUAGES)]
        (staging / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if SITE.exists():
        SITE.rename(old)
    staging.rename(SITE)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Build, then publish only if every language built."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serial", action="store_true", help="one language after the other")
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="build only this one")
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not os.environ.get("GDGUIDE_SITE_URL"):
        print("no base URL (GDGUIDE_SITE_URL): left out canonical links, absolute hreflang "
              "alternates and sitemap.xml")
    langs = []
    for lang in args.lang or list(LANGUAGES):
        previous = saved_state(lang)
        unchanged = previous is not None and previous["digest"] == build_state(lang)["digest"]
        if unchanged and not args.force and (WORK / lang / "html").is_dir():
            print(f"[{lang}] up to date: no page, lesson or shared input changed")
        else:
            langs.append(lang)
    library_before = (DIST / "state.json").read_bytes() if (DIST / "state.json").is_file() else b""
    if not build_library():
        print("\nbuild failed for: the library (build/logs/dist.log); build/html was left as it "
              "was", file=sys.stderr)
        return 1
    library_changed = (DIST / "state.json").read_bytes() != library_before
    if not langs and not library_changed and (SITE / "index.html").is_file():
        print("site is up to date in build/html")
        return 0
    codes = run_builds(langs, args.serial)
    failed = [lang for lang in langs if codes.get(lang) != 0]
    if failed:
        for lang in failed:
            report_failure(lang)
        names = ", ".join(failed)
        print(f"\nbuild failed for: {names}; build/html was left as it was", file=sys.stderr)
        return 1
    publish()
    print(f"site written to {SITE.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
