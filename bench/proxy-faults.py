#!/usr/bin/env python3
"""The proxy of `reload-doctor run --proxy` under load across 20 reloads of two awkward apps.

- slow-start: the app sleeps 2 s before it listens (a migration, a cache warm-up);
- no-drain: the app takes SIGTERM's default action (no graceful shutdown), so the requests it
  is handling (each takes 20 ms) are cut off without a response byte.

4 clients (2 send GET, 2 send POST with a body the app echoes), back to back, only to
127.0.0.1, for as long as the 20 reloads take. A request counts as ok only when it gets 200 and
the body that belongs to it (a POST's own payload). Bounded: the loop ends after the 20th
reload is served (or 120 s without one). Not part of CI.

    cargo build && python3 bench/proxy-faults.py    # BIN=path/to/reload-doctor, SHAPES=no-drain
"""
import http.client, os, shutil, signal, socket, subprocess, sys, tempfile, threading, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("BIN", os.path.join(REPO, "target/debug/reload-doctor"))
RELOADS = 20

APP = """package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

const shape = "%(shape)s"

func main() {
	if shape == "slow-start" {
		time.Sleep(2 * time.Second)
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if shape == "no-drain" {
			time.Sleep(20 * time.Millisecond)
		}
		fmt.Fprintf(w, "%%s %%s %%s", Version, r.Method, body)
	})
	srv := &http.Server{Addr: "127.0.0.1:" + os.Getenv("PORT")}
	panic(srv.ListenAndServe())
}
"""


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def request(port, method, body=None, timeout=60):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, "/", body=body); r = c.getresponse()
        return r.status, r.read().decode(errors="replace")
    finally:
        c.close()


def set_version(project, v):
    with open(os.path.join(project, "version.go"), "w") as f:
        f.write(f'package main\n\nconst Version = "{v}"\n')


def measure(shape, work):
    project = os.path.join(work, shape)
    os.makedirs(project)
    open(os.path.join(project, "go.mod"), "w").write("module example.com/faults\n\ngo 1.22\n")
    open(os.path.join(project, "main.go"), "w").write(APP % {"shape": shape})
    set_version(project, "v0")
    app, proxy = free_port(), free_port()
    env = dict(os.environ, PORT=str(app), NO_COLOR="1")
    log = open(os.path.join(work, f"{shape}.log"), "w+")
    runner = subprocess.Popen([BIN, "run", "--json", "--no-checks", "--port", str(app),
                               "--proxy", str(proxy)], cwd=project, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    stats = {"GET": [0, 0], "POST": [0, 0]}
    errors = []
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if request(proxy, "GET", timeout=5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        stop = threading.Event()

        def client(i):
            method = "GET" if i % 2 == 0 else "POST"
            n = 0
            while not stop.is_set():
                n += 1
                payload = f"client{i}-{n}" if method == "POST" else None
                try:
                    status, text = request(proxy, method, payload)
                    ok = status == 200 and text.split(" ")[1:] == [method, payload or ""]
                except OSError as e:
                    status, text, ok = type(e).__name__, "", False
                stats[method][0 if ok else 1] += 1
                if not ok:
                    errors.append(f"{method} {status} {text[:80]!r}")

        clients = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for c in clients:
            c.start()
        started = time.time()
        for i in range(RELOADS):
            set_version(project, f"v{i + 1}")
            deadline = time.time() + 120
            while time.time() < deadline:
                try:
                    if request(proxy, "GET", timeout=30)[1].startswith(f"v{i + 1} "):
                        break
                except OSError:
                    pass
                time.sleep(0.05)
            else:
                errors.append(f"reload {i + 1} never served")
                break
        took = time.time() - started
        stop.set()
        for c in clients:
            c.join()
    finally:
        os.killpg(runner.pid, signal.SIGINT)
        try:
            runner.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(runner.pid, signal.SIGKILL); runner.wait()
    return stats, errors, took


def main():
    work = tempfile.mkdtemp(prefix="rd-proxy-faults-")
    failed = 0
    try:
        print(f"{'app':11} {'reloads':>7} {'seconds':>8} {'GET ok':>7} {'GET failed':>10} "
              f"{'POST ok':>8} {'POST failed':>11}")
        for shape in os.environ.get("SHAPES", "slow-start no-drain").split():
            stats, errors, took = measure(shape, work)
            failed += stats["GET"][1] + stats["POST"][1]
            print(f"{shape:11} {RELOADS:7} {took:8.1f} {stats['GET'][0]:7} {stats['GET'][1]:10} "
                  f"{stats['POST'][0]:8} {stats['POST'][1]:11}")
            for e in sorted(set(errors))[:10]:
                print(f"    {e}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
