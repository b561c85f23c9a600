"""Benchmark the site build: clean, side by side vs one after the other, no-op and partial rebuilds.

Runs in a temporary copy of the project (docs, gallery, build driver), so the working tree's own
build is left alone. Prints a table of medians and which lessons each rebuild executed, then the
bare run time of each lesson script.

Usage: ``python benchmarks/bench_build.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gdguide.languages import CODES as LANGUAGES

ROOT = Path(__file__).resolve().parents[1]


def make_copy(where: Path) -> Path:
    project = where / "project"
    project.mkdir()
    ignore = shutil.ignore_patterns("auto_examples", "__pycache__")
    shutil.copytree(ROOT / "docs", project / "docs", ignore=ignore)
    shutil.copytree(ROOT / "gallery", project / "gallery", ignore=ignore)
    shutil.copytree(ROOT / "tools", project / "tools", ignore=ignore)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


def clean(project: Path) -> None:
    shutil.rmtree(project / "build", ignore_errors=True)
    for lang in LANGUAGES:
        shutil.rmtree(project / "docs" / lang / "auto_examples", ignore_errors=True)


def lesson_stamps(project: Path) -> dict[str, float]:
    """Modification time of each lesson's run-time record: sphinx-gallery rewrites it per run."""
    stamps = {}
    for lang in LANGUAGES:
        for record in (project / "docs" / lang / "auto_examples").glob("plot_*.cost.json"):
            stamps[f"{lang}/{record.name.removesuffix('.cost.json')}"] = record.stat().st_mtime_ns
    return stamps


def timed_build(project: Path, *extra: str) -> tuple[float, list[str]]:
    before = lesson_stamps(project)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "tools/build_site.py", *extra], cwd=project,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    after = lesson_stamps(project)
    ran = sorted(name for name, stamp in after.items() if before.get(name) != stamp)
    return elapsed, ran


def touch_text(path: Path, addition: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")


def bare_lesson_times(repeats: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    env = {**os.environ, "MPLBACKEND": "agg", "OMP_NUM_THREADS": "1"}
    for lang in LANGUAGES:
        for script in sorted((ROOT / "gallery" / lang).glob("plot_*.py")):
            for _ in range(repeats):
                with tempfile.TemporaryDirectory() as tmp:
                    started = time.perf_counter()
                    subprocess.run([sys.executable, str(script)], cwd=tmp, env=env, check=True,
                                   capture_output=True)
                    times.setdefault(f"{lang}/{script.stem}", []).append(
                        time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[float]] = {}
    executed: dict[str, set[str]] = {}

    def record(name: str, elapsed: float, ran: list[str]) -> None:
        rows.setdefault(name, []).append(elapsed)
        executed.setdefault(name, set()).update(ran)

    with tempfile.TemporaryDirectory() as tmp:
        project = make_copy(Path(tmp))
        prose = sorted((project / "docs" / "en").glob("*.md"))[-1]
        lesson = sorted((project / "gallery" / "ja").glob("plot_*.py"))[0]
        for repeat in range(args.repeats):
            clean(project)
            record("clean build, one language after the other", *timed_build(project, "--serial"))
            clean(project)
            record("clean build, languages side by side", *timed_build(project))
            record("no-op rebuild", *timed_build(project))
            touch_text(prose, f"\n<!-- benchmark edit {repeat} -->\n")
            record(f"rebuild after editing en/{prose.name}", *timed_build(project))
            touch_text(lesson, f"\n# benchmark edit {repeat}\n")
            record(f"rebuild after editing ja/{lesson.name}", *timed_build(project))

    print(f"cores: {os.cpu_count()}   repeats: {args.repeats}   python {sys.version.split()[0]}")
    print()
    print(f"{'build':<52} {'median s':>9}  lessons run")
    print("-" * 100)
    for name, values in rows.items():
        ran = ", ".join(sorted(executed[name])) or "none"
        print(f"{name:<52} {statistics.median(values):>9.1f}  {ran}")
    serial = statistics.median(rows["clean build, one language after the other"])
    parallel = statistics.median(rows["clean build, languages side by side"])
    noop = statistics.median(rows["no-op rebuild"])
    print()
    print(f"side by side / one after the other: {parallel / serial:.2f}  (target <= 0.70)")
    print(f"no-op / clean (side by side):       {noop / parallel:.2f}  (target <= 0.10)")
    print()
    print(f"{'lesson script (bare python, agg backend)':<52} {'median s':>9}")
    print("-" * 64)
    for name, values in bare_lesson_times(args.repeats).items():
        print(f"{name:<52} {statistics.median(values):>9.2f}")


if __name__ == "__main__":
    main()
