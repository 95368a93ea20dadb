#!/usr/bin/env bash
# Times the system checks of the report on a project of 20,000 watched directories.
# Usage: bench/report-20k.sh [RUNS]   (builds the release binary; not part of CI)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
cargo build --release --quiet
bin=$PWD/target/release/reload-doctor
dir=$(mktemp -d /tmp/rd-bench-20k.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cp -r fixtures/stdlib-healthy/. "$dir"
# 20 packages x 999 subfolders (+ the 21 above them) = 20,001 directories, 2 files each.
python3 - "$dir" <<'PY'
import os, sys
root = sys.argv[1]
for p in range(20):
    for d in range(999):
        path = os.path.join(root, "pkg%02d" % p, "sub%03d" % d)
        os.makedirs(path)
        open(os.path.join(path, "a.go"), "w").close()
        open(os.path.join(path, "b.txt"), "w").close()
PY
checks=toolchain,inotify-watches,inotify-instances,watch-scope
"$bin" --project "$dir" --only "$checks" >/dev/null || true   # warm the dentry cache
python3 - "$bin" "$dir" "$checks" "$runs" <<'PY'
import json, statistics, subprocess, sys, time
bin, project, checks, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
walls, per = [], {}
for _ in range(runs):
    t = time.perf_counter()
    out = subprocess.run([bin, "--json", "--project", project, "--only", checks], capture_output=True).stdout
    walls.append((time.perf_counter() - t) * 1000)
    for c in json.loads(out)["checks"]:
        per.setdefault(c["id"], []).append(c["duration_ms"])
    dirs = [c for c in json.loads(out)["checks"] if c["id"] == "watch-scope"][0]["evidence"]["watched_dirs"]
print(f"watched directories: {dirs}")
full = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run([bin, "--json", "--no-compile", "--project", project], capture_output=True)
    full.append((time.perf_counter() - t) * 1000)
print(f"full report, every check but compile, median of {runs}: {statistics.median(full):.1f} ms (max {max(full):.1f})")
print(f"whole report (process start to exit), median of {runs}: {statistics.median(walls):.1f} ms (max {max(walls):.1f})")
for k, v in per.items():
    print(f"  {k:18} median {statistics.median(v):6.1f} ms")
PY
