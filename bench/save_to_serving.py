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


def set_version(project, version, package="handlers", name="version.go", const="Version"):
    path = os.path.join(project, package, name)
    with open(path, "w") as f:
        f.write(f'package {os.path.basename(package)}\n\nconst {const} = "{version}"\n')


class Project:
    """A project the reloaders are timed on: the fixture or generated module with `air init`'s
    config on PORT, or a real app with its own config (`Real`)."""

    label = ""
    package = "handlers"  # where each save writes the version, and the burst its files

    def __init__(self, label, make):
        self.label, self.make = label, make

    def configure(self, project, args, delay):
        configure(project, args, delay)

    def config_label(self, delay):
        return "air init (delay = 1000)" if delay is None else f"air init, delay = {delay}"

    def save(self, project, version):
        set_version(project, version)

    def env(self, project, port):
        return {"PORT": str(port)}

    def app_port(self, port):
        return port


class Real(Project):
    """autobrr/netronome, a real public Gin app on SQLite (modernc, no cgo), from a checkout
    (`bench/air-corpus-fetch.sh bench/air-corpus-288.txt DEST URL autobrr/netronome`), with its
    own `.config/air.toml` (`delay = 1000`, `go build ./cmd/netronome`, `serve`). Each save
    rewrites a file of its database package, which most of the app imports. The app listens
    on NETRONOME__PORT; a file the bench adds to its main package answers GET / on PORT with
    the version, once the app's own port accepts: what is timed is the new app serving."""

    package = "internal/database"

    def __init__(self, source):
        super().__init__("autobrr/netronome (Gin, SQLite)", self.copy)
        self.source = source

    def copy(self, into):
        shutil.copytree(self.source, into, ignore=shutil.ignore_patterns(".git", "node_modules"))
        # The web UI is embedded from web/dist, built by npm: a page stands in for it.
        os.makedirs(os.path.join(into, "web", "dist"), exist_ok=True)
        with open(os.path.join(into, "web", "dist", "index.html"), "w") as f:
            f.write("<html></html>\n")
        self.save(into, "v0")
        with open(os.path.join(into, "cmd", "netronome", "zz_bench.go"), "w") as f:
            f.write(REAL_PROBE)
        subprocess.run(["go", "build", "-o", os.devnull, "./cmd/netronome"], cwd=into, check=True)

    def configure(self, project, args, delay):
        path = os.path.join(project, ".config", "air.toml")
        if delay is not None:
            with open(path) as f:
                text, n = re.subn(r"(?m)^(\s*delay\s*=\s*)\d+", rf"\g<1>{delay}", f.read())
            if n != 1:
                sys.exit(f"{path} has {n} delay lines")
            with open(path, "w") as f:
                f.write(text)

    def config_label(self, delay):
        return "its own (delay = 1000)" if delay is None else f"its own, delay = {delay}"

    def save(self, project, version):
        set_version(project, version, self.package, "zz_bench_version.go", "BenchVersion")

    def env(self, project, port):
        return {
            "BENCH_PORT": str(port),
            "NETRONOME__PORT": str(self.app_port(port)),
            # Outside the project: air and ours watch it.
            "NETRONOME__DB_PATH": project + ".db",
        }

    def app_port(self, port):
        return port + 1


REAL_PROBE = """package main

import (
\t"net"
\t"net/http"
\t"os"
\t"time"

\t"github.com/autobrr/netronome/internal/database"
)

// Added by bench/save_to_serving.py: the version on BENCH_PORT, once the app serves.
func init() {
\tgo http.ListenAndServe("127.0.0.1:"+os.Getenv("BENCH_PORT"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
\t\tc, err := net.DialTimeout("tcp", "127.0.0.1:"+os.Getenv("NETRONOME__PORT"), time.Second)
\t\tif err != nil {
\t\t\tw.WriteHeader(http.StatusServiceUnavailable)
\t\t\treturn
\t\t}
\t\tc.Close()
\t\tw.Write([]byte("version " + database.BenchVersion))
\t}))
}
"""


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


def start(reloader, proj, project, port, args, log):
    """Start `reloader` in `project`; its output goes to the file `log` (ours: --json)."""
    env = dict(os.environ, NO_COLOR="1", **proj.env(project, port))
    if reloader == "air":
        cmd = [args.air]
    else:
        cmd = [args.bin, "run", "--json", "--no-checks", "--port", str(proj.app_port(port))]
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


def burst(proj, project, version, files=50):
    """`files` new sources and the version, written at once (a `git checkout`)."""
    for i in range(files):
        with open(os.path.join(project, proj.package, f"burst_{i:02d}.go"), "w") as f:
            f.write(f'package {os.path.basename(proj.package)}\n\nconst Burst{i:02d} = "{version}"\n')
    proj.save(project, version)


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


def measure(reloaders, proj, delay, args):
    """Each reloader's save times and burst (builds, app starts, last state served). All of
    them run at once, each on its own copy, and the saves are interleaved: save i goes to
    each reloader in turn (the order rotating with i), so a drift in the machine's speed
    falls on all of them alike; the others sit idle while one reloads."""
    with tempfile.TemporaryDirectory(prefix="rd-bench-") as tmp:
        runs = []
        try:
            for n, reloader in enumerate(reloaders):
                project = os.path.join(tmp, f"app{n}")
                proj.make(project)
                proj.configure(project, args, delay)
                port = free_port()
                log_path = os.path.join(tmp, f"reloader{n}.log")
                with open(log_path, "w") as log:
                    runs.append((reloader, project, port, log_path, start(reloader, proj, project, port, args, log)))
                if not wait_for(port, "version ", 120, args.poll_ms / 1000):
                    sys.exit(f"{reloader}: the app never served on :{port}")
            times = {r: [] for r in reloaders}
            lost = {r: 0 for r in reloaders}
            for i in range(1, args.saves + 1):
                k = i % len(runs)
                for reloader, project, port, _, _ in runs[k:] + runs[:k]:
                    version = f"bench{i}"
                    t0 = time.monotonic()
                    proj.save(project, version)
                    if not wait_for(port, f"version {version}", 60, args.poll_ms / 1000):
                        # air drops a save now and then with a short delay: counted, not timed.
                        print(f"{reloader}: save {i} not served within 60 s", file=sys.stderr)
                        lost[reloader] += 1
                        continue
                    times[reloader].append((time.monotonic() - t0) * 1000)
                    time.sleep(0.3)
            bursts = {}
            for reloader, project, port, log_path, _ in runs:
                time.sleep(1.5)
                before = cycles(reloader, log_path)
                burst(proj, project, "burst")
                served = wait_for(port, "version burst", 60, args.poll_ms / 1000)
                # Long enough for a second build and restart to show, if the burst gave one.
                time.sleep(3 + (delay if delay is not None else 1000) / 1000)
                after = cycles(reloader, log_path)
                bursts[reloader] = (after[0] - before[0], after[1] - before[1], served)
            return [(r, times[r], bursts[r], lost[r]) for r in reloaders]
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
    ap.add_argument("--projects", default="gin,generated", help="gin, generated, real")
    ap.add_argument("--real", help="a checkout of autobrr/netronome (for --projects real)")
    ap.add_argument(
        "--delays", default="init,1", help="init (as `air init` writes it: 1000) or milliseconds"
    )
    args = ap.parse_args()
    args.bin, args.air = os.path.abspath(args.bin), os.path.abspath(args.air)
    projects = {
        "gin": Project("Gin fixture", gin_fixture),
        "generated": Project(f"generated, {PACKAGES} packages", generated),
    }
    if args.real:
        projects["real"] = Real(os.path.abspath(args.real))
    bursts = []
    print("| project | .air.toml | reloader | median ms | p95 ms | × air's median | saves lost |")
    print("|---|---|---|---|---|---|---|")
    for name in args.projects.split(","):
        proj = projects[name]
        label = proj.label
        for d in args.delays.split(","):
            delay = None if d == "init" else int(d)
            config = proj.config_label(delay)
            rows = measure(args.reloaders.split(","), proj, delay, args)
            air_median = statistics.median(rows[0][1])
            for reloader, times, b, lost in rows:
                median = statistics.median(times)
                print(
                    f"| {label} | {config} | {reloader} | {median:.0f} | {p95(times):.0f} | {median / air_median:.2f} | {lost} |",
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
