#!/usr/bin/env python3
"""Each reloader-config finding's claim checked by air itself, on the corpus (issue 22, 5).

For every report bench/air-corpus-288.py makes (one per project and config), this takes the
launch contexts the report names (the folder air runs in, the config) and asks the air
oracle (air v1.67.4's own config loading, walk and event filter: oracle/air/) in each one:
- each finding's `evidence.claim` is confirmed, not confirmed, or undecidable (a container
  context whose paths are the container's, a build command that is not a `go build`, go
  list failing); an undecidable claim of a `fail` is flagged (it must be a warn); a
  build-fails claim (a source the build names is missing) is checked with `go list` of the
  build's packages;
- misses: Go files of the packages the build compiles (`go list -deps`, GOPROXY=off) that
  air's walk and filter never rebuild for and no finding names; the build's `-o` output
  where air reacts to it (a build loop) with no loop finding; air refusing to start, or
  printing a warning, that no finding and no `air_prints` says. Generated Go files (`Code
  generated ... DO NOT EDIT.`) are nobody's saves, so no miss.
Nothing in the checkouts is run: the oracle only loads configs, walks folders and filters
event paths; `go list` reads packages (no downloads, local toolchain only). The oracle
creates tmp_dir as air does, but only inside the checkout (a container's `/app/tmp` is not
made on this machine); an empty one it made is removed afterwards.

Usage: bench/air-corpus-claims.py CORPUS --out FILE [--binary target/debug/reload-doctor]
         [--oracle target/tmp/air-oracle/airoracle-...] [--only owner+name ...]
The oracle is built by `cargo test -p reload-doctor-checks --test air_oracle` (the newest
target/tmp/air-oracle/airoracle-* is used by default).
"""

import argparse
import collections
import glob
import importlib.util
import json
import os
import re
import shlex
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("corpus288", os.path.join(HERE, "air-corpus-288.py"))
corpus288 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus288)

GO_ENV = dict(os.environ, GOPROXY="off", GOFLAGS="-mod=mod", GOTOOLCHAIN="local")
# Problem ids of findings that say a compiled file is not rebuilt for, by another claim
# than a file list (air watches nothing there, or the files are outside its root).
OUTSIDE_ROOT = {"imports-outside-root", "root-outside-project"}


def oracle_ask(oracle, jobs):
    if not jobs:
        return []
    done = subprocess.run([oracle], input=json.dumps(jobs), capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"oracle failed: {done.stderr[:300]}")
    answers = json.loads(done.stdout)
    for job, a in zip(jobs, answers):
        # The tmp_dir air made (and the folders above it) inside the checkout, when still
        # empty: git makes no empty folder, so one there is air's (a silent config does not
        # say "mkdir").
        cfg = a.get("config") or {}
        if cfg.get("root") and cfg.get("tmp_dir"):
            d = os.path.normpath(os.path.join(cfg["root"], cfg["tmp_dir"]))
            inside = lambda p: p.startswith(job["under"] + "/")
            try:
                while inside(d) and os.path.isdir(d) and not os.listdir(d):
                    os.rmdir(d)  # stops at the first folder that holds anything
                    d = os.path.dirname(d)
            except OSError:
                pass
    return answers


def reports(binary, checkout):
    seen = set()
    for rel in corpus288.config_folders(checkout):
        done = subprocess.run(
            [binary, "--json", "--only", "reloader-config", "--project",
             os.path.join(checkout, rel)],
            capture_output=True, text=True, timeout=300, env=dict(os.environ, GOPROXY="off"))
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError:
            continue
        if "error" in report:
            continue
        p = report["project"]
        key = (p["root"], p.get("config"))
        if key in seen or p["reloader"] != "air" or not p.get("config"):
            continue
        seen.add(key)
        check = next(c for c in report["checks"] if c["id"] == "reloader-config")
        yield p, check


def has_container_path(effective):
    """A setting naming an absolute path the host does not have (`/app`): the container's."""
    values = [effective.get(k) or "" for k in ("root", "tmp_dir", "bin", "full_bin", "cmd")]
    values += effective.get("include_dir") or []
    for v in values:
        for word in str(v).replace("=", " ").split():
            if word.startswith("/") and not os.path.exists(word) and not word.startswith("/dev/"):
                return True
    return False


def contexts(project, check):
    """(key, dir, in_container) for each place air runs this config; key names the launcher."""
    ev = check.get("evidence") or {}
    out = []
    for launch in ev.get("launches") or []:
        if launch.get("cwd"):
            out.append(((launch["file"], launch.get("line"), launch.get("target")),
                        launch["cwd"], launch.get("in_container", False)))
    if not out:
        out.append((None, os.path.dirname(project["config"]), False))
    return out


def go_build(cmd, cwd):
    """(dir, packages, output) of the `go build` in a build command, or None."""
    try:
        words = shlex.split(cmd, posix=True)
    except ValueError:
        return None
    here = cwd
    steps, cur = [], []
    for w in words:
        if w in ("&&", ";", "||"):
            steps.append(cur)
            cur = []
        else:
            cur.append(w)
    steps.append(cur)
    for step in steps:
        while step and "=" in step[0] and not step[0].startswith("-"):
            step = step[1:]  # VAR=value before the command
        if step[:1] == ["env"]:
            step = [w for w in step[1:] if "=" not in w]
        if len(step) >= 2 and step[0] == "cd":
            here = os.path.normpath(os.path.join(here, step[1]))
        elif step[:2] == ["go", "build"]:
            output, pkgs, i = None, [], 2
            while i < len(step):
                w = step[i]
                if w == "-o" and i + 1 < len(step):
                    output, i = step[i + 1], i + 2
                    continue
                if w.startswith("-o="):
                    output = w[3:]
                elif w.startswith("-"):
                    if "=" not in w and w in ("-tags", "-ldflags", "-gcflags", "-mod", "-p",
                                              "-asmflags", "-buildmode", "-pkgdir", "-modfile",
                                              "-overlay", "-pgo", "-covermode", "-coverpkg"):
                        i += 1
                else:
                    pkgs.append(w)
                i += 1
            if any("$" in w or "`" in w for w in pkgs + [output or ""]):
                return None
            # `go build *.go` as the shell expands it (a pattern matching nothing stays).
            pkgs = [m for w in pkgs for m in
                    (sorted(os.path.relpath(x, here) for x in glob.glob(os.path.join(here, w)))
                     if "*" in w else [w]) or [w]]
            return here, pkgs or ["."], output
    return None


def compiled_files(build_dir, pkgs, repo):
    """The repository's Go files the build compiles, or None when go list cannot say."""
    args = ["go", "list", "-e", "-deps", "-json=ImportPath,Dir,GoFiles,CgoFiles,Standard,Error,Name"]
    try:
        done = subprocess.run(args + pkgs, cwd=build_dir, capture_output=True, text=True,
                              timeout=120, env=GO_ENV)
        if "workspace mode" in done.stderr:  # a go.work: -mod=mod is refused there
            env = dict(GO_ENV, GOFLAGS="")
            done = subprocess.run(args + pkgs, cwd=build_dir, capture_output=True, text=True,
                                  timeout=120, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None
    files, mains, decoder, text, i = [], [], json.JSONDecoder(), done.stdout, 0
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        pkg, i = decoder.raw_decode(text, i)
        if pkg.get("Standard") or not pkg.get("Dir"):
            continue
        d = pkg["Dir"]
        if not (d + "/").startswith(repo + "/") or "/vendor/" in d + "/":
            continue
        if pkg.get("Name") == "main":
            mains.append(pkg)
        for f in (pkg.get("GoFiles") or []) + (pkg.get("CgoFiles") or []):
            files.append(os.path.join(d, f))
    if not files:
        return None
    return files, mains


def triggers(answer, path):
    """air rebuilds for a write of `path`: its folder (or itself) is watched and the filter
    passes. A folder the build creates (`dist/`) is watched when air sees it made inside a
    watched one and exclude_dir, tmp_dir and testdata_dir do not name it."""
    watched = set(answer["watched"])
    d = os.path.dirname(path)
    if d not in watched and path not in watched:
        cfg = answer.get("config") or {}
        root = cfg.get("root") or ""
        skipped = {os.path.normpath(x) for x in (cfg.get("exclude_dir") or [])
                   + [cfg.get("tmp_dir") or "tmp", cfg.get("testdata_dir") or "testdata"]}
        while d not in watched:
            if os.path.exists(d) or d == os.path.dirname(d):
                return False
            rel = os.path.relpath(d, root)
            if rel in skipped or os.path.basename(d).startswith("."):
                return False
            d = os.path.dirname(d)
    return any(e["path"] == path and e["trigger"] for e in answer["events"])


def prints(answer):
    """What air printed, without the `[15:04:05] ` that log.time puts first."""
    return [re.sub(r"^\[\d\d:\d\d:\d\d\] ", "", line) for line in answer.get("prints", [])]


def generated(path):
    """Generated code (`// Code generated ... DO NOT EDIT.`): nobody saves it by hand."""
    try:
        with open(path, errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    return re.search(r"^// Code generated .* DO NOT EDIT\.$", head, re.M) is not None


def go_files_in(d):
    try:
        return [os.path.join(d, n) for n in sorted(os.listdir(d))
                if n.endswith(".go") and not n.endswith("_test.go")]
    except OSError:
        return []


class Place:
    """One launch context: the oracle's answers, the build it reads, the files it compiles."""

    def __init__(self, repo, key, cwd, config, in_container, effective, oracle):
        self.key, self.cwd, self.in_container, self.repo = key, cwd, in_container, repo
        self.container_paths = in_container and has_container_path(effective)
        self.first = oracle_ask(oracle, [{"dir": cwd, "config": config, "events": [], "under": repo}])[0]
        self.error = self.first.get("error")
        cfg = self.first.get("config") or {}
        self.root = cfg.get("root") or cwd
        self.build = go_build(cfg.get("cmd", ""), cwd) if cfg else None
        self.compiled = None
        if self.build and not self.error:
            self.compiled = compiled_files(self.build[0], self.build[1], repo)
        self.output = None
        if self.build and self.build[2]:
            self.output = os.path.normpath(os.path.join(self.build[0], self.build[2]))
        elif self.build and self.compiled and len(self.compiled[1]) == 1 and len(self.build[1]) == 1:
            # `go build pkg` with no -o writes the main package's last path element here.
            self.output = os.path.join(self.build[0], self.compiled[1][0]["ImportPath"].rsplit("/", 1)[-1])
        self.answer = self.first
        self.config = config

    def ask(self, oracle, events):
        if self.error:
            return
        self.answer = oracle_ask(oracle, [{"dir": self.cwd, "config": self.config, "under": self.repo,
                                           "events": sorted(set(events))}])[0]

    def at_root(self, rel):
        return os.path.normpath(os.path.join(self.root, rel))


def claim_events(place, finding):
    ev = finding.get("evidence") or {}
    claim = ev.get("claim") or ""
    kind, _, arg = claim.partition(" ")
    if kind == "save-does-not-rebuild":
        if arg == "*.go":
            return place.compiled[0] if place.compiled else []
        if arg.endswith("/"):
            d = place.at_root(arg)
            return go_files_in(d) or [os.path.join(d, "zz_probe.go")]
        return [place.at_root(arg)]
    if kind == "build-loop":
        return [place.at_root(g) for g in ev.get("generated") or []] + [place.output or ""]
    return []


def judge(place, finding):
    """'confirmed', 'not confirmed' or 'undecidable: why' for the finding's claim here."""
    claim, ev = finding["evidence"]["claim"], finding["evidence"]
    kind, _, arg = claim.partition(" ")
    a = place.answer
    quoted = ev.get("problem") in ("bin-with-arguments", "bin-with-space")
    if place.container_paths and not (quoted and not place.error):
        return "undecidable: container paths"
    if kind == "air-refuses-to-start":
        return "confirmed" if place.error else "not confirmed"
    if kind == "air-warns":
        return "confirmed" if arg in prints(a) else "not confirmed"
    if kind == "build-fails":
        # About the build command, which runs once whatever stops air at start is mended.
        return build_fails(place)
    if place.error:
        # air stops at start: no save rebuilds, no binary runs, no loop.
        return "confirmed" if kind == "save-does-not-rebuild" else "not confirmed (air refuses to start)"
    if kind == "save-does-not-rebuild":
        events = claim_events(place, finding)
        if not events:
            return "undecidable: no compiled files known (not a go build, or go list failed)"
        hit = [p for p in events if triggers(a, p)]
        return "not confirmed: rebuilds for " + os.path.relpath(hit[0], place.root) if hit else "confirmed"
    if kind == "binary-mismatch":
        try:
            started = shlex.split(a.get("command", ""))[0]
        except (ValueError, IndexError):
            started = ""
        if "\\" in a.get("command", "").split(" ")[0] and os.sep == "/":
            # A Windows path (`tmp\\main.exe`): no build on Linux writes a file of that name.
            return "confirmed (a Windows path on Linux)"
        if quoted:
            # air quotes bin as one path: the arguments become part of the file name, in a
            # container as here.
            return "confirmed" if " " in started else "not confirmed: air starts " + started
        if place.build and any(p.startswith(".") and not os.path.exists(os.path.join(place.build[0], p))
                               for p in place.build[1]):
            return "confirmed (the build writes nothing: its package folder does not exist)"
        if not place.build:
            return "undecidable: build.cmd is not a go build"
        if not place.output:
            return "confirmed" if len(place.build[1]) > 1 else "undecidable: no -o output known"
        started = os.path.normpath(os.path.join(place.cwd, started))
        return "confirmed" if started != place.output else "not confirmed: air starts " + started
    if kind == "build-loop":
        if ev.get("problem") == "rebuild-loop":
            if not place.output:
                return "undecidable: no -o output known"
            return "confirmed" if triggers(a, place.output) else "not confirmed: the output does not trigger"
        gen = [place.at_root(g) for g in ev.get("generated") or []]
        if not gen:
            return "undecidable: no generated file named"
        return "confirmed" if any(triggers(a, g) for g in gen) else "not confirmed: no generated file triggers"
    return "undecidable: unknown claim"


# What `go list` says when a package or file the build names is not there.
MISSING = ("no such file or directory", "directory not found", "cannot find", "matched no packages",
           "no Go files", "no required module provides")


def build_fails(place):
    """A build-fails claim (a source the build names is missing): `go list` of the build's
    packages, in the folder the build runs in, says whether they resolve (it compiles nothing)."""
    if not place.build:
        return "undecidable: build.cmd is not a go build"
    build_dir, pkgs, _ = place.build
    if not os.path.isdir(build_dir):
        return "confirmed (the build's folder does not exist)"
    try:
        done = subprocess.run(["go", "list", "-e", "-json=ImportPath,Error"] + pkgs, cwd=build_dir,
                              capture_output=True, text=True, timeout=120, env=GO_ENV)
    except (OSError, subprocess.TimeoutExpired):
        return "undecidable: go list did not run"
    said = done.stderr + done.stdout
    if any(m in said for m in MISSING):
        return "confirmed"
    if done.returncode == 0 and '"Error"' not in done.stdout:
        return "not confirmed: every package the build names resolves"
    return "undecidable: go list failed: " + said.strip().splitlines()[-1][:120]


def named_files(place, findings):
    """Absolute files and folders the findings say are not rebuilt for, here."""
    files, dirs, everything = set(), set(), False
    for f in findings:
        ev = f.get("evidence") or {}
        claim = ev.get("claim") or ""
        if ev.get("problem") in OUTSIDE_ROOT:
            dirs.add("")  # files outside root: compared below
        if ev.get("problem") == "excludes-compiled-files":
            files.update(place.at_root(x) for x in ev.get("files") or [])
            if (ev.get("count") or 0) > len(ev.get("files") or []):
                everything = everything or ev.get("pattern")
        if ev.get("problem") == "hides-imported-package":
            dirs.update(place.at_root(x) for x in ev.get("dirs") or [])
        if claim == "save-does-not-rebuild *.go":
            everything = True
    return files, dirs, everything


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--out", required=True, help="the per-repository list (outside the repo)")
    ap.add_argument("--binary", default="target/debug/reload-doctor")
    ap.add_argument("--oracle", default=None)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    oracle = args.oracle or max(glob.glob("target/tmp/air-oracle/airoracle-*"), key=os.path.getmtime)
    corpus = os.path.abspath(args.corpus)
    verdicts = collections.Counter()  # (claim kind, severity, verdict word)
    misses = collections.Counter()
    flagged = collections.Counter()
    nreports = 0
    nplaces = [0, 0]  # launch contexts; those whose compiled files go list gave
    out = open(args.out, "w")
    for name in sorted(os.listdir(corpus)):
        if args.only and name not in args.only:
            continue
        checkout = os.path.join(corpus, name)
        repo = os.path.realpath(checkout)
        for project, check in reports(args.binary, checkout):
            nreports += 1
            config = project["config"]
            findings = check["findings"]
            effective = (check.get("evidence") or {}).get("effective") or {}
            places = {}
            for key, cwd, in_container in contexts(project, check):
                if cwd not in places:
                    places[cwd] = Place(repo, key, cwd, config, in_container, effective, oracle)
                places[cwd].keys = getattr(places[cwd], "keys", []) + [key]
            # Ask once per place about every path a claim or a miss needs.
            for place in places.values():
                events = [x for f in findings for x in claim_events(place, f) if x]
                if place.compiled:
                    events += place.compiled[0]
                if place.output:
                    events.append(place.output)
                place.ask(oracle, events)
            lines = []
            for f in findings:
                ev = f.get("evidence") or {}
                claim = ev.get("claim")
                if not claim:
                    continue
                keys = [(l["file"], l.get("line"), l.get("target")) for l in ev.get("launches") or []]
                mine = [p for p in places.values() if any(k in p.keys for k in keys)] or list(places.values())
                said = [judge(p, f) for p in mine]
                decided = [s for s in said if not s.startswith("undecidable")]
                wrong = [s for s in decided if s != "confirmed"]
                verdict = wrong[0] if wrong else ("confirmed" if decided else said[0])
                word = verdict.split(":")[0].split(" (")[0]
                verdicts[(claim.split(" ")[0], f["severity"], word)] += 1
                if word == "not confirmed":
                    flagged["claim not confirmed"] += 1
                if word == "undecidable" and f["severity"] == "fail":
                    flagged["undecidable fail"] += 1
                    verdict += " [FLAG: a fail air cannot confirm]"
                lines.append(f"  {f['severity']} {ev.get('problem')} [{claim}]: {verdict}")
            # Misses, in each place where air runs the config.
            said_prints = set((check.get("evidence") or {}).get("air_prints") or [])
            claimed = {(f.get("evidence") or {}).get("claim") for f in findings}
            problems = {(f.get("evidence") or {}).get("problem") for f in findings}
            for place in places.values():
                nplaces[0] += 1
                if place.container_paths:
                    misses["(undecidable: a container's paths)"] += 1
                    continue
                a = place.answer
                where = os.path.relpath(place.cwd, corpus)
                if place.error:
                    # air stops at start, so no save rebuilds: a finding that says so covers it.
                    if not claimed & {"air-refuses-to-start", "save-does-not-rebuild *.go"}:
                        misses["air refuses to start"] += 1
                        lines.append(f"  MISS in {where}: air refuses to start: {place.error[:200]}")
                    continue
                for line in prints(a):
                    if (line.startswith("[warning]") or "does not exist, skipping" in line) \
                            and line not in said_prints and f"air-warns {line}" not in claimed:
                        misses["air warning not said"] += 1
                        lines.append(f"  MISS in {where}: air prints {line!r}")
                if place.compiled:
                    nplaces[1] += 1
                    files, dirs, everything = named_files(place, findings)
                    silent = [p for p in place.compiled[0] if not triggers(a, p)]
                    unnamed = []
                    for p in silent:
                        inside = (p + "/").startswith(place.root.rstrip("/") + "/")
                        if not inside and problems & OUTSIDE_ROOT:
                            continue
                        if p in files or os.path.dirname(p) in dirs or everything is True \
                                or generated(p):
                            continue
                        unnamed.append((p, inside))
                    if unnamed:
                        kind = "compiled file never rebuilds" if any(i for _, i in unnamed) \
                            else "compiled file outside root"
                        misses[kind] += 1
                        shown = ", ".join(os.path.relpath(p, repo) for p, _ in unnamed[:4])
                        lines.append(f"  MISS in {where}: {kind}: {len(unnamed)} of "
                                     f"{len(place.compiled[0])}, e.g. {shown}")
                else:
                    why = "build.cmd not a go build" if place.build is None else "go list gave no files"
                    misses[f"(undecidable: {why})"] += 1
                    lines.append(f"  no miss check in {where}: {why}")
                if place.output and triggers(a, place.output) and not any(
                        (c or "").startswith("build-loop") for c in claimed):
                    misses["build output triggers a build (loop)"] += 1
                    lines.append(f"  MISS in {where}: air rebuilds for the build's own output "
                                 f"{os.path.relpath(place.output, repo)}")
            ctx = ", ".join(os.path.relpath(p.cwd, corpus) + (" (container)" if p.in_container else "")
                            for p in places.values())
            out.write(f"{os.path.relpath(config, corpus)} in {ctx}: {check['status']}\n")
            for line in lines:
                out.write(line + "\n")
            out.flush()
    out.close()
    print(f"{nreports} reports (project and config pairs), {nplaces[0]} launch contexts, "
          f"{nplaces[1]} with the build's compiled files known")
    print("claims by kind (severity): confirmed / not confirmed / undecidable")
    kinds = sorted({(k, s) for k, s, _ in verdicts})
    total_c = total_d = 0
    for k, s in kinds:
        c, n, u = (verdicts[(k, s, w)] for w in ("confirmed", "not confirmed", "undecidable"))
        total_c, total_d = total_c + c, total_d + c + n
        print(f"  {k:24} {s:4}  {c:4} / {n:4} / {u:4}")
    if total_d:
        print(f"precision (confirmed of decided): {total_c}/{total_d} = {100 * total_c / total_d:.1f}%")
    for k, n in sorted(flagged.items()):
        print(f"flagged: {k}: {n}")
    print("misses by kind (places):")
    for k, n in sorted(misses.items()):
        print(f"  {k}: {n}")


if __name__ == "__main__":
    main()
