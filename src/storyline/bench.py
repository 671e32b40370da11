"""`make bench`: run every benchmarks/*.py script in order and print their figures.

    python -m storyline.bench [--only NAME] [-- ARGS for each script]

Each script runs in its own process (so each one's peak memory is its own) with this
Python; its output is printed as it comes, and a summary of exit codes and times at
the end. The exit code is 1 when any benchmark failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path


def benchmarks_dir() -> Path:
    """benchmarks/ of the source checkout (beside src/), else of the working directory."""
    beside = Path(__file__).resolve().parents[2] / "benchmarks"
    return beside if beside.is_dir() else Path.cwd() / "benchmarks"


def scripts(folder: Path, only: list[str] | None = None) -> list[Path]:
    found = sorted(p for p in folder.glob("*.py") if p.name != "corpus.py" and not p.name.startswith("_"))
    if only:
        found = [p for p in found if p.stem in only]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storyline.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", help="run only this benchmark (script name without .py)")
    parser.add_argument("args", nargs="*", help="extra arguments passed to every script (after --)")
    opts = parser.parse_args(argv)
    folder = benchmarks_dir()
    todo = scripts(folder, opts.only)
    if not todo:
        print(f"no benchmarks found in {folder}", file=sys.stderr)
        return 1
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    results = []
    for script in todo:
        print(f"== {script.stem} ({script.relative_to(folder.parent)}) ==", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *opts.args], env=env)
        results.append((script.stem, code, time.perf_counter() - started))
        print(flush=True)
    print("== summary ==")
    for name, code, seconds in results:
        print(f"  {name:<20} {'ok' if code == 0 else f'FAILED (exit {code})':<16} {seconds:8.1f}s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
