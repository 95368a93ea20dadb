#!/usr/bin/env python3
"""Side by side under load: reload-doctor run vs air v1.67.4 on the same fixture and config.

For each tool: builds for one burst of 500 changed files, failed requests through the tool's
proxy (ours: `run --proxy`; air: its [proxy]) under steady load across 20 reloads, and the
processes left behind once the tool is stopped with Ctrl-C (SIGINT). air is installed with
`go install` into a temporary GOBIN. Not part of CI.

    python3 bench/peers-load.py            # both tools
    TOOLS=ours python3 bench/peers-load.py
"""
import http.client, os, shutil, signal, socket, subprocess, sys, tempfile, threading, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.environ.get("TOOLS", "ours air").split()
RELOADS = 20


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def get(port, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", "/"); r = c.getresponse(); body = r.read().decode(errors="replace")
        return r.status, body
    finally:
        c.close()


def processes_in(dir):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/cwd").startswith(dir):
                found.append(int(pid))
        except OSError:
            pass
    return found


def set_version(project, v):
    with open(os.path.join(project, "handlers/version.go"), "w") as f:
        f.write(f'package handlers\n\nconst Version = "{v}"\n')


def measure(tool, bindir, work):
    project = os.path.realpath(os.path.join(work, f"project-{tool}"))
    shutil.copytree(os.path.join(REPO, "fixtures/stdlib-healthy"), project)
    app, proxy = free_port(), free_port()
    config = open(os.path.join(REPO, "bench/peer.air.toml")).read()
    config += f"\n[proxy]\nenabled = true\nproxy_port = {proxy}\napp_port = {app}\n"
    open(os.path.join(project, ".air.toml"), "w").write(config)
    burst = os.path.join(project, "burst")
    os.makedirs(burst)
    for i in range(500):
        open(os.path.join(burst, f"f{i}.go"), "w").write(f"package burst\n\nconst C{i} = {i}\n")
    env = dict(os.environ, PORT=str(app), NO_COLOR="1")
    if tool == "ours":
        cmd = [os.path.join(REPO, "target/release/reload-doctor"), "run", "--json", "--no-checks",
               "--port", str(app), "--proxy", str(proxy)]
        build_marker = '"event":"build_started"'
    else:
        cmd = [os.path.join(bindir, "air")]
        build_marker = "building..."
    log = open(os.path.join(work, f"{tool}.log"), "w+")
    p = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True)
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if get(app, 1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.5)

        def builds():
            log.flush(); log.seek(0)
            return log.read().count(build_marker)

        before = builds()
        for i in range(500):
            open(os.path.join(burst, f"f{i}.go"), "w").write(f"package burst\n\nconst C{i} = {i + 1}\n")
        time.sleep(6)
        burst_builds = builds() - before

        stop, results = threading.Event(), {"ok": 0, "failed": 0, "errors": []}

        def client():
            while not stop.is_set():
                try:
                    status, _ = get(proxy)
                    if status == 200:
                        results["ok"] += 1
                    else:
                        results["failed"] += 1; results["errors"].append(status)
                except OSError as e:
                    results["failed"] += 1; results["errors"].append(type(e).__name__)

        clients = [threading.Thread(target=client) for _ in range(4)]
        for c in clients:
            c.start()
        for i in range(RELOADS):
            set_version(project, f"load-{i}")
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    if f"load-{i}" in get(app, 2)[1]:
                        break
                except OSError:
                    pass
                time.sleep(0.02)
        stop.set()
        for c in clients:
            c.join()
    finally:
        os.killpg(p.pid, signal.SIGINT)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL); p.wait()
        time.sleep(1)
        left = processes_in(project)
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    return burst_builds, results, left


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    work = tempfile.mkdtemp(prefix="rd-peers-load-")
    bindir = os.path.join(work, "bin")
    try:
        if "air" in TOOLS:
            subprocess.run(["go", "install", "github.com/air-verse/air@v1.67.4"],
                           env=dict(os.environ, GOBIN=bindir), check=True)
        print(f"{'tool':6} {'builds per burst of 500':>24} {'requests ok':>12} {'failed':>7} {'left behind':>12}")
        for tool in TOOLS:
            burst, r, left = measure(tool, bindir, work)
            print(f"{tool:6} {burst:24} {r['ok']:12} {r['failed']:7} {len(left):12}"
                  + (f"   failures: {sorted(set(map(str, r['errors'])))}" if r["failed"] else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
