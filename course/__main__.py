"""Command line: ``python -m course {exercises,execute,clean,bench}``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course import notebooks as nbt


def _exercises(args) -> int:
    root = Path(args.root)
    result = nbt.generate_exercises(root / "solutions", root / "exercises", check_only=args.check, force=args.force)
    if args.check:
        for p in result.out_of_sync:
            print(f"out of sync with its solution: {p} (run `make exercises`)")
        return 1 if result.out_of_sync else 0
    for p in result.unchanged:
        print(f"unchanged: {p}")
    for p in result.refused:
        print(f"NOT overwritten: {p} has been edited since it was generated. Save your work under another "
              f"name, or run `python -m course exercises --force` to replace it.")
    for p in result.written:
        print(f"generated: {p}")
        if not args.no_execute:
            seconds = nbt.execute_file(p)
            print(f"executed: {p} ({seconds:.1f} s)")
    return 1 if result.refused else 0


def _execute(args) -> int:
    paths = [Path(p) for p in args.paths] or nbt.course_notebooks(Path(args.root))
    for p in paths:
        seconds = nbt.execute_file(p, timeout=args.timeout)
        print(f"executed: {p} ({seconds:.1f} s)")
    return 0


def _clean(args) -> int:
    for p in map(Path, args.paths):
        nbt.write(nbt.clean(nbt.read(p)), p)
        print(f"cleaned: {p}")
    return 0


def _bench(args) -> int:
    from course import bench

    return bench.main(Path(args.root), calls=args.calls, execute=not args.no_execute, browser=not args.no_browser)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course", description=__doc__)
    parser.add_argument("--root", default=".", help="course folder (holds lessons/, solutions/, exercises/)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("exercises", help="generate exercises/ from solutions/ and execute them")
    p.add_argument("--check", action="store_true", help="write nothing; fail if exercises are out of sync")
    p.add_argument("--force", action="store_true", help="overwrite exercises edited by hand")
    p.add_argument("--no-execute", action="store_true", help="do not execute the generated notebooks")
    p.set_defaults(func=_exercises)
    p = sub.add_parser("execute", help="run notebooks top to bottom in a fresh kernel and save them cleaned")
    p.add_argument("paths", nargs="*", help="notebooks (default: every lesson, solution and exercise)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    p.set_defaults(func=_execute)
    p = sub.add_parser("clean", help="strip widget state and volatile metadata")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=_clean)
    p = sub.add_parser("bench", help="explainer update latency, notebook sizes and execution times")
    p.add_argument("--calls", type=int, default=200, help="update calls per explainer")
    p.add_argument("--no-execute", action="store_true", help="skip timing notebook execution")
    p.add_argument("--no-browser", action="store_true", help="skip the latency measurement in Chromium")
    p.set_defaults(func=_bench)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
