#!/usr/bin/env python3
"""Save to serving, side by side: `reload-doctor run` (default and --fast) against air.

For each project (the Gin fixture, and a generated module of ~50 packages) and each
reloader, the project is copied to a temp folder and the reloader started on a free port.
Then, SAVES times: handlers/version.go is saved with a new version, and the clock runs until
GET / answers with that version (the build included: what a person waits for). Prints the
median and p95 per row, as a Markdown table.

air runs with the .air.toml that `air init` writes; reload-doctor with its own defaults (no
.air.toml). Usage (from the repository root, after `cargo build --release`):

    python3 bench/save_to_serving.py --air "$(go env GOPATH)/bin/air" [--saves 20]
"""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = 50


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
            return r.read().decode()
    except OSError:
        return None


def set_version(project, version):
    path = os.path.join(project, "handlers", "version.go")
    with open(path, "w") as f:
        f.write(f'package handlers\n\nconst Version = "{version}"\n')


def gin_fixture(into):
    shutil.copytree(os.path.join(ROOT, "fixtures", "gin-healthy"), into)
    os.remove(os.path.join(into, ".air.toml"))


def generated(into):
    """A stdlib-only module: main imports p00..p49, each importing the one before and
    handlers; the saved file is in handlers, so every package that imports it recompiles."""
    os.makedirs(os.path.join(into, "handlers"))
    with open(os.path.join(into, "go.mod"), "w") as f:
        f.write("module example.com/bench\n\ngo 1.25\n")
    set_version(into, "v0")
    imports = []
    for i in range(PACKAGES):
        name = f"p{i:02d}"
        os.makedirs(os.path.join(into, "pkgs", name))
        prev = f'\t"example.com/bench/pkgs/p{i - 1:02d}"\n' if i else ""
        call = f"p{i - 1:02d}.Sum(n) + " if i else ""
        for j in range(4):
            extra = f'{prev}\t"example.com/bench/handlers"\n' if j == 0 else ""
            with open(os.path.join(into, "pkgs", name, f"f{j}.go"), "w") as f:
                f.write(
                    f'package {name}\n\nimport (\n\t"fmt"\n\t"strings"\n{extra})\n\n'
                    f"type T{j} struct{{ A, B int; S string }}\n\n"
                    f"func (t T{j}) String() string {{ return fmt.Sprintf(\"%d %d %s\", t.A, t.B, strings.ToUpper(t.S)) }}\n\n"
                    + (
                        f"func Sum(n int) int {{ return {call}n + len(handlers.Version) + len(T0{{S: \"x\"}}.String()) }}\n"
                        if j == 0
                        else ""
                    )
                )
        imports.append(f'\t"example.com/bench/pkgs/{name}"\n')
    with open(os.path.join(into, "main.go"), "w") as f:
        f.write(
            'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\t"os"\n\n\t"example.com/bench/handlers"\n'
            + f'\t"example.com/bench/pkgs/p{PACKAGES - 1:02d}"\n)\n\n'
            'func main() {\n\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {\n'
            f'\t\tfmt.Fprint(w, "version "+handlers.Version, " ", p{PACKAGES - 1:02d}.Sum(1))\n\t}})\n'
            '\tpanic(http.ListenAndServe(":"+os.Getenv("PORT"), nil))\n}\n'
        )
    subprocess.run(["go", "build", "-o", os.devnull, "."], cwd=into, check=True)


def start(reloader, project, port, args):
    env = dict(os.environ, PORT=str(port), NO_COLOR="1")
    if reloader == "air":
        subprocess.run([args.air, "init"], cwd=project, check=True, capture_output=True)
        cmd = [args.air]
    else:
        cmd = [args.bin, "run", "--no-checks", "--port", str(port)]
        if reloader == "ours --fast":
            cmd.append("--fast")
    return subprocess.Popen(
        cmd,
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_for(port, text, timeout, every):
    """Ask GET / every `every` seconds until it answers with `text`. Each ask costs the
    machine a request, and it costs the reloaders unequally: ours keeps the old app answering
    during the build, air stops it first (connection refused is cheaper than a Gin response).
    Asked every 2 ms, that load added 100-250 ms to our Gin reloads on 2 cores."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        b = body(port)
        if b is not None and text in b:
            return True
        time.sleep(every)
    return False


def measure(reloader, make, args):
    with tempfile.TemporaryDirectory(prefix="rd-bench-") as tmp:
        project = os.path.join(tmp, "app")
        make(project)
        port = free_port()
        proc = start(reloader, project, port, args)
        try:
            if not wait_for(port, "version ", 120, args.poll_ms / 1000):
                sys.exit(f"{reloader}: the app never served on :{port}")
            times = []
            for i in range(1, args.saves + 1):
                version = f"bench{i}"
                t0 = time.monotonic()
                set_version(project, version)
                if not wait_for(port, f"version {version}", 60, args.poll_ms / 1000):
                    sys.exit(f"{reloader}: save {i} not served within 60 s")
                times.append((time.monotonic() - t0) * 1000)
                time.sleep(0.3)
            return times
        finally:
            stop(proc)


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--air", required=True, help="air v1.67.4's binary")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "reload-doctor"))
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--poll-ms", type=float, default=10, help="how often GET / is asked")
    ap.add_argument("--reloaders", default="air,ours,ours --fast", help="comma-separated, air first")
    args = ap.parse_args()
    args.bin, args.air = os.path.abspath(args.bin), os.path.abspath(args.air)
    print("| project | reloader | median ms | p95 ms | × air's median |")
    print("|---|---|---|---|---|")
    for label, make in [("Gin fixture", gin_fixture), (f"generated, {PACKAGES} packages", generated)]:
        rows = [(r, measure(r, make, args)) for r in args.reloaders.split(",")]
        air_median = statistics.median(rows[0][1])
        for reloader, times in rows:
            median = statistics.median(times)
            print(
                f"| {label} | {reloader} | {median:.0f} | {p95(times):.0f} | {median / air_median:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
