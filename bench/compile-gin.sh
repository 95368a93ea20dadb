#!/usr/bin/env bash
# Times the compile check on fixtures/gin-healthy: first run with an empty Go build cache
# (modules already downloaded), then the runs after it, which reuse that cache; and the
# other checks of the report without compile.
# Usage: bench/compile-gin.sh [WARM_RUNS]   (builds the release binary, or uses $RD_BIN;
# not part of CI; the first run compiles the standard library and gin's dependencies)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
if [ -z "${RD_BIN:-}" ]; then
  cargo build --release --quiet
  RD_BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/reload-doctor
fi
cache=$(mktemp -d /tmp/rd-bench-gocache.XXXXXX)
trap 'rm -rf "$cache"' EXIT
(cd fixtures/gin-healthy && go mod download)   # downloads are not what is measured
python3 - "$RD_BIN" "$PWD/fixtures/gin-healthy" "$cache" "$runs" <<'PY'
import json, os, statistics, subprocess, sys
bin, project, cache, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def report(args, env=None):
    out = subprocess.run([bin, "--json", "--project", project] + args,
                         capture_output=True, env=env).stdout
    return {c["id"]: c for c in json.loads(out)["checks"]}
env = dict(os.environ, GOCACHE=cache)
seconds = []
for i in range(runs + 1):
    c = report(["--only", "compile"], env)["compile"]
    seconds.append(c["evidence"]["seconds"])
    print(f"compile run {i + 1} ({'empty GOCACHE' if i == 0 else 'cache reused'}): "
          f"{c['summary']}")
print(f"first run {seconds[0]:.1f} s; later runs median {statistics.median(seconds[1:]):.1f} s")
per = {}
for _ in range(10):
    for id, c in report(["--no-compile"]).items():
        if id != "compile":
            per.setdefault(id, []).append(c["duration_ms"])
for id, v in per.items():
    print(f"  {id:18} median {statistics.median(v):6.1f} ms (max {max(v):.1f})")
PY
