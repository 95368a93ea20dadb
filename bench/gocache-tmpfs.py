#!/usr/bin/env python3
"""Go's build cache on a RAM file system against its usual place, paired (issue 24).

A rebuild after a save, as the runner does it: handlers/version.go gets a new version, then
`go build -o ./tmp/main .` with GOCACHE in `go env GOCACHE` (A) or on /dev/shm (B), A B A B,
each cache warmed first. The ratio B/A is taken pair by pair.

Usage (from the repository root): python3 bench/gocache-tmpfs.py [--pairs 10] [--project gin|generated]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from save_to_serving import generated, gin_fixture, set_version


def build(project, cache, version):
    set_version(project, version)
    env = dict(os.environ, GOCACHE=cache, GOFLAGS="-mod=mod")
    t = time.monotonic()
    subprocess.run(["go", "build", "-o", "./tmp/main", "."], cwd=project, env=env, check=True)
    return (time.monotonic() - t) * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--project", default="gin", choices=["gin", "generated"])
    args = ap.parse_args()
    disk = subprocess.run(["go", "env", "GOCACHE"], capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="rd-gocache-") as tmp, \
            tempfile.TemporaryDirectory(prefix="rd-gocache-", dir="/dev/shm") as shm:
        project = os.path.join(tmp, "app")
        (gin_fixture if args.project == "gin" else generated)(project)
        for cache in (disk, shm):  # warm both: the dependencies compiled once
            build(project, cache, "warm")
        a, b = [], []
        for i in range(args.pairs):
            a.append(build(project, disk, f"a{i}"))
            b.append(build(project, shm, f"b{i}"))
        ratios = [y / x for x, y in zip(a, b)]
        print("| project | pairs | GOCACHE on disk, median ms | on /dev/shm, median ms | shm/disk, median (min-max) |")
        print("|---|---|---|---|---|")
        print(f"| {args.project} | {args.pairs} | {statistics.median(a):.0f} | {statistics.median(b):.0f} | "
              f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f}) |")


if __name__ == "__main__":
    main()
