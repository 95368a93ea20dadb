#!/usr/bin/env python3
"""Save to serving, side by side: `reload-doctor run` (default and --fast) against air.

For each project (the Gin fixture, and a generated module of ~50 packages) and each config,
every reloader gets its own copy of the project in a temp folder and is started on a free
port. Then, SAVES times, interleaved (each reloader in turn, the order rotating; the others
idle): handlers/version.go is saved with a new version, and the clock runs until GET /
answers with that version (the build included: what a person waits for). Prints the median
and p95 per row, as a Markdown table.

Both reloaders run the SAME .air.toml: the one `air init` writes (`delay = 1000`), and that
file with `delay = 1`. Then a burst: 50 new files and the version written at once, as a
`git checkout` does; the table counts the builds and app starts it gave and whether the last
state was served. Usage (from the repository root, after `cargo build --release`):

    python3 bench/save_to_serving.py --air "$(go env GOPATH)/bin/air" [--saves 20]
"""

import argparse
import os
import re
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


def configure(project, args, delay):
    """The .air.toml that `air init` writes, with `delay` set as given (None: as written)."""
    subprocess.run([args.air, "init"], cwd=project, check=True, capture_output=True)
    path = os.path.join(project, ".air.toml")
    with open(path) as f:
        text = f.read()
    if delay is not None:
        text, n = re.subn(r"(?m)^(\s*delay\s*=\s*)\d+", rf"\g<1>{delay}", text)
        if n != 1:
            sys.exit(f"air init's .air.toml has {n} delay lines")
    with open(path, "w") as f:
        f.write(text)


def start(reloader, project, port, args, log):
    """Start `reloader` in `project`; its output goes to the file `log` (ours: --json)."""
    env = dict(os.environ, PORT=str(port), NO_COLOR="1")
    if reloader == "air":
        cmd = [args.air]
    else:
        cmd = [args.bin, "run", "--json", "--no-checks", "--port", str(port)]
        cmd += reloader.split()[1:]
    return subprocess.Popen(
        cmd,
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        # air logs "building..." and "running..." to stderr.
        stderr=log if reloader == "air" else subprocess.DEVNULL,
        start_new_session=True,
    )


def cycles(reloader, log_path):
    """(builds started, app starts) in the reloader's output so far."""
    with open(log_path, errors="replace") as f:
        text = f.read()
    if reloader == "air":
        return text.count("building..."), text.count("running...")
    return text.count('"event":"build_started"'), text.count('"event":"serving"')


def burst(project, version, files=50):
    """`files` new sources and the version, written at once (a `git checkout`)."""
    for i in range(files):
        with open(os.path.join(project, "handlers", f"burst_{i:02d}.go"), "w") as f:
            f.write(f'package handlers\n\nconst Burst{i:02d} = "{version}"\n')
    set_version(project, version)


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


def measure(reloaders, make, delay, args):
    """Each reloader's save times and burst (builds, app starts, last state served). All of
    them run at once, each on its own copy, and the saves are interleaved: save i goes to
    each reloader in turn (the order rotating with i), so a drift in the machine's speed
    falls on all of them alike; the others sit idle while one reloads."""
    with tempfile.TemporaryDirectory(prefix="rd-bench-") as tmp:
        runs = []
        try:
            for n, reloader in enumerate(reloaders):
                project = os.path.join(tmp, f"app{n}")
                make(project)
                configure(project, args, delay)
                port = free_port()
                log_path = os.path.join(tmp, f"reloader{n}.log")
                with open(log_path, "w") as log:
                    runs.append((reloader, project, port, log_path, start(reloader, project, port, args, log)))
                if not wait_for(port, "version ", 120, args.poll_ms / 1000):
                    sys.exit(f"{reloader}: the app never served on :{port}")
            times = {r: [] for r in reloaders}
            for i in range(1, args.saves + 1):
                k = i % len(runs)
                for reloader, project, port, _, _ in runs[k:] + runs[:k]:
                    version = f"bench{i}"
                    t0 = time.monotonic()
                    set_version(project, version)
                    if not wait_for(port, f"version {version}", 60, args.poll_ms / 1000):
                        sys.exit(f"{reloader}: save {i} not served within 60 s")
                    times[reloader].append((time.monotonic() - t0) * 1000)
                    time.sleep(0.3)
            bursts = {}
            for reloader, project, port, log_path, _ in runs:
                time.sleep(1.5)
                before = cycles(reloader, log_path)
                burst(project, "burst")
                served = wait_for(port, "version burst", 60, args.poll_ms / 1000)
                # Long enough for a second build and restart to show, if the burst gave one.
                time.sleep(3 + (delay if delay is not None else 1000) / 1000)
                after = cycles(reloader, log_path)
                bursts[reloader] = (after[0] - before[0], after[1] - before[1], served)
            return [(r, times[r], bursts[r]) for r in reloaders]
        finally:
            for *_, proc in runs:
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
    ap.add_argument(
        "--reloaders", default="air,ours,ours --fast", help="comma-separated, air first"
    )
    ap.add_argument("--projects", default="gin,generated", help="gin, generated")
    ap.add_argument(
        "--delays", default="init,1", help="init (as `air init` writes it: 1000) or milliseconds"
    )
    args = ap.parse_args()
    args.bin, args.air = os.path.abspath(args.bin), os.path.abspath(args.air)
    projects = {"gin": ("Gin fixture", gin_fixture), "generated": (f"generated, {PACKAGES} packages", generated)}
    bursts = []
    print("| project | .air.toml | reloader | median ms | p95 ms | × air's median |")
    print("|---|---|---|---|---|---|")
    for name in args.projects.split(","):
        label, make = projects[name]
        for d in args.delays.split(","):
            delay = None if d == "init" else int(d)
            config = "air init (delay = 1000)" if delay is None else f"air init, delay = {delay}"
            rows = measure(args.reloaders.split(","), make, delay, args)
            air_median = statistics.median(rows[0][1])
            for reloader, times, b in rows:
                median = statistics.median(times)
                print(
                    f"| {label} | {config} | {reloader} | {median:.0f} | {p95(times):.0f} | {median / air_median:.2f} |",
                    flush=True,
                )
                bursts.append((label, config, reloader, b))
    print()
    print("Burst: 50 new files and the version written at once (a `git checkout`)")
    print()
    print("| project | .air.toml | reloader | builds started (cancelled included) | app starts | last state served |")
    print("|---|---|---|---|---|---|")
    for label, config, reloader, (builds, starts, served) in bursts:
        print(f"| {label} | {config} | {reloader} | {builds} | {starts} | {'yes' if served else 'NO'} |")


if __name__ == "__main__":
    main()
