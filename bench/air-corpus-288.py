#!/usr/bin/env python3
"""reloader-config on the repositories of bench/air-corpus-288.txt, judged where air runs.

Each folder of CORPUS is a checkout named owner+name (bench/air-corpus-fetch.sh makes them).
The check runs with `--json --only reloader-config` in every folder of a checkout that holds
an air config (`.air*.toml`, `air.toml`, `.air.conf`, `.config/air.toml`) and at the
checkout's root; the same project and config reached from two folders count once. Prints
each report's fail/warn findings and how many launch contexts judged it, then the counts by
severity and problem id and how many reports and repositories a launcher was found for. Nothing in the
checkouts is run: the check reads files, runs `go list` (no downloads) and `go version -m`
on the air on PATH.

Usage: bench/air-corpus-288.py CORPUS [--binary target/debug/reload-doctor] [--only owner+name ...]
"""

import argparse
import collections
import json
import os
import subprocess

SKIP = {".git", "node_modules", "vendor", "testdata"}


def is_config(name):
    return name in ("air.toml", ".air.conf") or (name.startswith(".air") and name.endswith(".toml"))


def config_folders(checkout):
    found = set()
    for here, dirs, files in os.walk(checkout):
        dirs[:] = [d for d in dirs if d not in SKIP]
        rel = os.path.relpath(here, checkout)
        if any(is_config(f) for f in files):
            found.add(rel)
        if os.path.basename(here) == ".config" and "air.toml" in files:
            found.add(os.path.dirname(rel) or ".")
    return ["."] + sorted(found - {"."})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--binary", default="target/debug/reload-doctor")
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--infos", action="store_true", help="print info findings too")
    args = ap.parse_args()
    severities = collections.Counter()
    problems = collections.Counter()
    seen = set()
    reports = 0
    launched_reports = 0
    launched_repos = set()
    for name in sorted(os.listdir(args.corpus)):
        if args.only and name not in args.only:
            continue
        checkout = os.path.join(args.corpus, name)
        for rel in config_folders(checkout):
            done = subprocess.run(
                [args.binary, "--json", "--only", "reloader-config",
                 "--project", os.path.join(checkout, rel)],
                capture_output=True, text=True, timeout=300,
            )
            try:
                report = json.loads(done.stdout)
            except json.JSONDecodeError:
                print(f"{name}/{rel}: no report: {done.stderr.strip()[:160]}")
                continue
            if "error" in report:
                continue  # a folder that is no project (several modules below it)
            p = report["project"]
            key = (p["root"], p.get("config"))
            if key in seen or p["reloader"] != "air":
                continue
            seen.add(key)
            reports += 1
            check = next(c for c in report["checks"] if c["id"] == "reloader-config")
            config = os.path.relpath(p["config"], args.corpus) if p.get("config") else "defaults"
            launches = (check.get("evidence") or {}).get("launches") or []
            if launches:
                launched_reports += 1
                launched_repos.add(name)
            print(f"{config} (project {os.path.relpath(p['root'], args.corpus)}): {check['status']}"
                  f" ({len(launches)} launch contexts)")
            for f in check["findings"]:
                severities[f["severity"]] += 1
                if f["severity"] in ("fail", "warn") or (args.infos and f["severity"] == "info"):
                    problem = (f.get("evidence") or {}).get("problem")
                    problems[(f["severity"], problem)] += 1
                    print(f"    {f['severity']} {problem}: {f['message'][:300]}")
    print(f"\n{reports} reports; findings: fail {severities['fail']}, warn {severities['warn']}, "
          f"info {severities['info']}")
    print(f"judged in a launch context: {launched_reports} reports, "
          f"{len(launched_repos)} repositories")
    for (sev, problem), n in sorted(problems.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        print(f"  {sev:4} {problem}: {n}")


if __name__ == "__main__":
    main()
