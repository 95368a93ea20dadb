#!/usr/bin/env bash
# Times the reloader-config check on every fixture it judges, and the whole report (except
# compile) on gin-healthy. go list runs only for air-exclude-imported.
# Usage: bench/reloader-config.sh [RUNS]   (builds the release binary; not part of CI)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/reload-doctor
python3 - "$bin" "$runs" <<'PY'
import json, statistics, subprocess, sys, time
bin, runs = sys.argv[1], int(sys.argv[2])
fixtures = ["gin-healthy", "stdlib-healthy", "air-bin-mismatch", "air-broken-toml",
            "air-exclude-imported", "air-no-go-ext", "air-tmp-watched", "air-unknown-keys",
            "air-zero-values", "templ-loop", "fresh-runner", "gin-hardcoded-port"]
def report(project, *args):
    t = time.perf_counter()
    out = subprocess.run([bin, "--json", "--project", project, *args], capture_output=True).stdout
    return (time.perf_counter() - t) * 1000, json.loads(out)
print(f"reloader-config, median of {runs} runs (check time / process start to exit):")
for f in fixtures:
    checks, walls = [], []
    for _ in range(runs):
        wall, r = report("fixtures/" + f, "--only", "reloader-config")
        walls.append(wall)
        checks.append(r["checks"][0]["duration_ms"])
    print(f"  {f:22} {statistics.median(checks):6.1f} ms / {statistics.median(walls):6.1f} ms")
walls = [report("fixtures/gin-healthy", "--skip", "compile")[0] for _ in range(runs)]
print(f"whole report except compile on gin-healthy: median {statistics.median(walls):.1f} ms (max {max(walls):.1f})")
PY
