#!/usr/bin/env python3
"""reloader-config on real projects: how many findings of each severity, and which fail.

Every folder of CORPUS (a checkout of a project listed in bench/air-corpus.txt, named
owner+name) with an air config is reported with `--only reloader-config`. Prints one line per
project with its fail/warn findings (problem id and message), then the totals. Nothing in
the projects is run: the check reads files, runs `go list` (no downloads) and
`go version -m` on the air on PATH.

Usage: bench/air-corpus.py CORPUS [--binary target/debug/reload-doctor]
"""

import argparse
import collections
import json
import os
import subprocess

CONFIGS = (".air.toml", ".config/air.toml", "air.toml", ".air.conf")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--binary", default="target/debug/reload-doctor")
    args = ap.parse_args()
    totals = collections.Counter()
    problems = collections.Counter()
    failing = []
    projects = 0
    for name in sorted(os.listdir(args.corpus)):
        path = os.path.join(args.corpus, name)
        if not any(os.path.isfile(os.path.join(path, c)) for c in CONFIGS):
            continue
        projects += 1
        out = subprocess.run(
            [args.binary, "--json", "--only", "reloader-config", "--project", path],
            capture_output=True, text=True, timeout=120,
        ).stdout
        check = next(c for c in json.loads(out)["checks"] if c["id"] == "reloader-config")
        print(f"{name}: {check['status']}")
        for f in check["findings"]:
            totals[f["severity"]] += 1
            if f["severity"] in ("fail", "warn"):
                problem = (f.get("evidence") or {}).get("problem")
                problems[(f["severity"], problem)] += 1
                print(f"    {f['severity']} {problem}: {f['message'][:200]}")
        if check["status"] == "fail":
            failing.append(name)
    print(f"\n{projects} projects; findings: {dict(totals)}; projects failing: {len(failing)}")
    for (sev, problem), n in sorted(problems.items()):
        print(f"  {sev:4} {problem}: {n}")


if __name__ == "__main__":
    main()
