#!/usr/bin/env python3
"""Reload benchmark for `reload-doctor run`, side by side with air v1.67.4.

Both reloaders run on a private copy of fixtures/stdlib-healthy with the same .air.toml
(bench/air.toml). The build command is bench/timed-build.sh, which records when each
`go build` starts and ends, so the overhead of a reloader is measured the same way for both:

    overhead = (save -> new response served) - (go build time)

The save is a plain write of handlers/version.go; "served" is the first `GET /` that returns
the new version (polled every millisecond). reload-doctor's own --json events give a second,
internal figure (total_ms - build_ms).

Also measured for reload-doctor: watch set-up time for 20,000 directories, idle CPU over
10 s, and resident memory.

Usage: bench/reload.py [--saves 20] [--no-air] [--binary target/release/reload-doctor]
air is installed with `go install github.com/air-verse/air@v1.67.4` into a temporary GOBIN
(needs the network; not part of CI).
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        c.request("GET", "/")
        body = c.getresponse().read().decode()
        c.close()
        return body
    except OSError:
        return None


def wait_for_body(port, want, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if get(port) == want:
            return time.monotonic()
        time.sleep(0.001)
    raise SystemExit(f"timed out waiting for {want!r} on :{port}")


def project():
    d = tempfile.mkdtemp(prefix="rd-bench-")
    shutil.copytree(os.path.join(REPO, "fixtures", "stdlib-healthy"), d, dirs_exist_ok=True)
    shutil.copy(os.path.join(HERE, "air.toml"), os.path.join(d, ".air.toml"))
    shutil.copy(os.path.join(HERE, "timed-build.sh"), os.path.join(d, "timed-build.sh"))
    return d


def save(d, version):
    with open(os.path.join(d, "handlers", "version.go"), "w") as f:
        f.write(f'package handlers\n\nconst Version = "{version}"\n')


def last_build(d):
    with open(os.path.join(d, "tmp", "build-times")) as f:
        start, end = f.read().split("\n")[-2].split()
    return float(end) - float(start)


def measure(name, argv, saves, events=None):
    d = project()
    port = free_port()
    env = dict(os.environ, PORT=str(port), NO_COLOR="1")
    proc = subprocess.Popen(argv, cwd=d, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    internal = []
    if events:
        threading.Thread(target=events, args=(proc.stdout, internal), daemon=True).start()
    else:
        threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()
    try:
        wait_for_body(port, "version v1")
        time.sleep(0.5)
        overheads, totals = [], []
        for i in range(saves):
            version = f"{name}-{i}"
            t0 = time.monotonic()
            save(d, version)
            t1 = wait_for_body(port, f"version {version}")
            build = last_build(d)
            totals.append((t1 - t0) * 1000)
            overheads.append((t1 - t0 - build) * 1000)
            time.sleep(0.3)
        return {
            "reloader": name,
            "saves": saves,
            "median_total_ms": round(statistics.median(totals), 1),
            "median_overhead_ms": round(statistics.median(overheads), 1),
            "min_overhead_ms": round(min(overheads), 1),
            "max_overhead_ms": round(max(overheads), 1),
            **internal_figures(internal),
        }
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        shutil.rmtree(d, ignore_errors=True)


def read_events(stream, internal):
    for line in stream:
        e = json.loads(line)
        if e.get("event") == "serving" and not e.get("first"):
            internal.append((e["total_ms"] - e["build_ms"], e["wait_ms"], e["stop_ms"], e["start_ms"]))


def internal_figures(internal):
    """Medians of the runner's own per-reload timings (--json `serving` events)."""
    if not internal:
        return {}
    names = ["internal_overhead_ms", "debounce_ms", "stop_ms", "start_ms"]
    return {n: round(statistics.median(x[i] for x in internal), 1) for i, n in enumerate(names)}


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    return ticks, rss


def watch_setup(binary, dirs=20000):
    d = tempfile.mkdtemp(prefix="rd-bench-tree-")
    with open(os.path.join(d, "go.mod"), "w") as f:
        f.write("module example.com/tree\n\ngo 1.25\n")
    for i in range(dirs // 100):
        for j in range(100):
            os.makedirs(os.path.join(d, f"pkg{i}", f"sub{j}"))
    port = free_port()
    argv = [binary, "run", "--json", "--no-checks", "--port", str(port),
            "--build.cmd", "true", "--build.full_bin", f"python3 -m http.server --bind 127.0.0.1 {port}"]
    proc = subprocess.Popen(argv, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        setup = watched = None
        for line in proc.stdout:
            e = json.loads(line)
            if e["event"] == "watching":
                setup, watched = e["setup_ms"], e["dirs"]
            if e["event"] == "serving":
                break
            if e["event"] == "app_exited":
                raise SystemExit(f"the benchmark app exited: {e}")
        time.sleep(1)
        t0, _ = proc_stat(proc.pid)
        time.sleep(10)
        t1, rss = proc_stat(proc.pid)
        # Each reload keeps a snapshot of the tree: memory after a few must stay flat.
        for i in range(5):
            with open(os.path.join(d, "pkg0", "sub0", "x.go"), "w") as f:
                f.write(f"package sub0 // {i}\n")
            for line in proc.stdout:
                if json.loads(line)["event"] == "serving":
                    break
        _, rss_after = proc_stat(proc.pid)
        hz = os.sysconf("SC_CLK_TCK")
        return {
            "dirs_watched": watched,
            "watch_setup_ms": setup,
            "idle_cpu_percent_over_10s": round((t1 - t0) / hz / 10 * 100, 2),
            "rss_kb": rss,
            "rss_kb_after_5_reloads": rss_after,
        }
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        shutil.rmtree(d, ignore_errors=True)


def install_air():
    gobin = tempfile.mkdtemp(prefix="rd-bench-air-")
    subprocess.run(["go", "install", "github.com/air-verse/air@v1.67.4"],
                   env=dict(os.environ, GOBIN=gobin), check=True)
    return os.path.join(gobin, "air")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--no-air", action="store_true")
    ap.add_argument("--no-tree", action="store_true", help="skip the 20,000-directory run")
    ap.add_argument("--air", help="an air binary to use instead of installing v1.67.4")
    ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "reload-doctor"))
    a = ap.parse_args()
    argv = [a.binary, "run", "--json", "--no-checks"]
    ours = measure("reload-doctor", argv, a.saves, read_events)
    print(json.dumps(ours), flush=True)
    # Issue 5's targets, read from the runner's own timings (see BENCHMARKS.md for what the
    # outside figure adds); printed to stderr so stdout stays one JSON object per line.
    figure = ours.get("internal_overhead_ms")
    if figure is not None:
        verdict = "met" if figure < 60 else "MISSED"
        print(f"save to serving minus build: {figure} ms median (target < 60 ms: {verdict})",
              file=sys.stderr)
    if not a.no_air:
        air = a.air or install_air()
        print(json.dumps(measure("air", [air], a.saves)), flush=True)
    if not a.no_tree:
        tree = watch_setup(a.binary)
        print(json.dumps({"reloader": "reload-doctor", **tree}), flush=True)
        for what, ok in [
            (f"watch set-up for {tree['dirs_watched']} dirs: {tree['watch_setup_ms']} ms (target < 1 s)",
             tree["watch_setup_ms"] < 1000),
            (f"idle CPU: {tree['idle_cpu_percent_over_10s']} % (target near zero)",
             tree["idle_cpu_percent_over_10s"] < 1),
            (f"resident memory: {max(tree['rss_kb'], tree['rss_kb_after_5_reloads'])} kB (target < 30 MB)",
             max(tree["rss_kb"], tree["rss_kb_after_5_reloads"]) < 30 * 1024),
        ]:
            print(f"{what}: {'met' if ok else 'MISSED'}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
