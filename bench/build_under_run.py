#!/usr/bin/env python3
"""The runner never slows the user's build: paired A/B, interleaved.

A: `sh -c "go build -o ./tmp/main ."` run alone in one copy of the project.
B: the same command as `reload-doctor run` runs it, in a second copy, with the runner
   watching and the previous app serving; the time is the runner's `build_ms` (its own
   `sh -c` from spawn to exit, the same span A measures).
Before each build, handlers/version.go gets a new version, so both compile the same packages
and link (a cache hit would measure nothing). The two run in turn, A B A B ..., and the
ratio B/A is taken pair by pair, so a drift in the machine's speed cancels out.

Usage (from the repository root, after `cargo build --release`):

    python3 bench/build_under_run.py [--pairs 10] [--project gin|generated] [-- RUN ARGS]
"""

import argparse
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from save_to_serving import ROOT, free_port, generated, gin_fixture, set_version, stop

CMD = "go build -o ./tmp/main ."


def events(proc):
    """The runner's --json events, on a queue."""
    q = queue.Queue()

    def read():
        for line in proc.stdout:
            try:
                q.put(json.loads(line))
            except ValueError:
                pass

    threading.Thread(target=read, daemon=True).start()
    return q


def cpu_ms(pid):
    """The runner's own CPU time (all its threads, not its children), in ms."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def next_serving(q, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            e = q.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        if e.get("event") == "serving":
            return e
        if e.get("event") == "build_failed":
            sys.exit(f"the runner's build failed: {e}")
    sys.exit("the runner did not serve within 120 s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "reload-doctor"))
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--project", choices=["gin", "generated"], default="gin")
    ap.add_argument("run_args", nargs="*", help="more arguments for `reload-doctor run`")
    args = ap.parse_args()
    make = gin_fixture if args.project == "gin" else generated
    with tempfile.TemporaryDirectory(prefix="rd-bench-") as tmp:
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        make(a)
        make(b)
        subprocess.run(["sh", "-c", CMD], cwd=a, check=True)
        port = free_port()
        proc = subprocess.Popen(
            [args.bin, "run", "--json", "--no-checks", "--port", str(port),
             "--build.cmd", CMD, "--build.bin", "./tmp/main", *args.run_args],
            cwd=b,
            env=dict(os.environ, PORT=str(port), NO_COLOR="1"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            q = events(proc)
            next_serving(q)
            alone, under, cpu = [], [], []
            for i in range(1, args.pairs + 1):
                set_version(a, f"a{i}")
                t0 = time.monotonic()
                subprocess.run(["sh", "-c", CMD], cwd=a, check=True)
                alone.append((time.monotonic() - t0) * 1000)
                time.sleep(0.5)
                set_version(b, f"b{i}")
                before = cpu_ms(proc.pid)
                under.append(next_serving(q)["build_ms"])
                cpu.append(cpu_ms(proc.pid) - before)
                time.sleep(0.5)
        finally:
            stop(proc)
    ratios = [u / a for a, u in zip(alone, under)]
    print(
        "| project | pairs | go build alone, median ms | under run, median ms "
        "| under/alone, median (min-max) | runner's own CPU per reload, median ms |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| {args.project} | {args.pairs} | {statistics.median(alone):.0f} | "
        f"{statistics.median(under):.0f} | {statistics.median(ratios):.3f} "
        f"({min(ratios):.3f}-{max(ratios):.3f}) | {statistics.median(cpu):.0f} |"
    )


if __name__ == "__main__":
    main()
