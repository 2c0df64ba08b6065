#!/usr/bin/env python3
"""Runs every ```console example of README.md and checks its output.

In a console block, a line starting with "$ " is a command; the lines after it,
up to the next command or the end of the block, are what it must print
(stdout and stderr together, in order). In an expected line, "..." matches any text, and
a line that is only "..." matches any number of lines. Commands run with bash
in the repository root, against a server this script starts on a free port:
"localhost:8080" in a command is rewritten to that port, and "build/attache" to
the binary under test. "localhost:8181" is a second server with writes on: a
temporary copy of the shipped data (--data) and a tokens file (--tokens) whose
one token, named "readme", commands find in $TOKEN.

The script also checks that the README's tables agree with the code: the
vocabulary tables with data/vilnius-2023.json, the settings table with
attache --help, the searched fields and their weights with the OpenAPI
document's x-search-weight.

    tests/readme/check_readme.py --bin build/attache README.md
"""
import argparse
import hashlib
import json
import shutil
import tempfile
import os
import re
import subprocess
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from attache import Server, clean_env, writes_files  # noqa: E402


def blocks(text, lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```", text, flags=re.S | re.M)


def examples(text):
    for block in blocks(text, "console"):
        cmd, out = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if cmd is not None:
                    yield cmd, out
                cmd, out = line[2:], []
            else:
                out.append(line)
        if cmd is not None:
            yield cmd, out


def line_matches(pattern, line):
    parts = [re.escape(p) for p in pattern.split("...")]
    return re.fullmatch(".*".join(parts), line) is not None


def output_matches(expected, actual):
    """Matches lines, with a lone "..." line matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(output_matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and line_matches(expected[0], actual[0]) and output_matches(expected[1:], actual[1:])


def check_vocabularies(text, failures):
    data = json.load(open(os.path.join(ROOT, "data/vilnius-2023.json"), encoding="utf-8"))
    for name, entries in data["dataset"]["vocabularies"].items():
        m = re.search(r"^`" + name + r"` \(.*?\):\n\n(.*?)\n\n", text, flags=re.S | re.M)
        if not m:
            failures.append("README has no table for the %s vocabulary" % name)
            continue
        rows = [r for r in m.group(1).splitlines()[2:]]
        got = [tuple(c.strip().strip("`") for c in r.strip("|").split("|")) for r in rows]
        want = [(e["id"], e["label"], e.get("description") or "") for e in entries]
        if got != want:
            failures.append("README's %s vocabulary differs from the data file:\n  README %s\n  data   %s"
                            % (name, got, want))


def check_settings(text, binary, failures):
    helptext = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    flags = re.findall(r"^  --([a-z-]+) \S+ .*\n +(ATTACHE_[A-Z_]+), default (.*)$", helptext, flags=re.M)
    m = re.search(r"^\| setting \(flag\) \|.*?\n\n", text, flags=re.S | re.M)
    rows = m.group(0).strip().splitlines()[2:] if m else []
    got = {}
    for r in rows:
        cells = [c.strip() for c in r.strip("|").split("|")]
        got[cells[0].strip("`")] = (cells[1].strip("`"), cells[2].strip("`"))
    for name, env, default in flags:
        if name not in got:
            failures.append("README's settings table lacks %s" % name)
            continue
        default = "" if default == "(empty)" else default
        readme_env, readme_default = got.pop(name)
        if readme_env != env:
            failures.append("README says %s is %s; --help says %s" % (name, readme_env, env))
        if default and readme_default != default:
            failures.append("README says %s defaults to %s; --help says %s" % (name, readme_default, default))
    for name in got:
        failures.append("README's settings table has %s, which --help does not" % name)


def resolve_ref(doc, obj):
    """obj, or what its "$ref" ("#/a/b") points at in doc."""
    while "$ref" in obj:
        node = doc
        for part in obj["$ref"].lstrip("#/").split("/"):
            node = node[part]
        obj = node
    return obj


def check_search_table(text, port, failures):
    """The searched-fields table: a row per resource, a column per weight (4 down to 1)."""
    m = re.search(r"^\| resource \| 4: .*?\n\n", text, flags=re.S | re.M)
    if not m:
        failures.append("README has no table of the searched fields")
        return
    doc = json.load(urllib.request.urlopen("http://127.0.0.1:%d/api/v1/openapi.json" % port))
    for row in m.group(0).strip().splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        resource = cells[0]
        got = {(f, 4 - i) for i, cell in enumerate(cells[1:5]) for f in re.findall(r"`([^`]+)`", cell)}
        params = [resolve_ref(doc, p) for p in doc["paths"]["/api/v1/" + resource]["get"]["parameters"]]
        # A field's weight is on its equality parameter: field=, or field:eq= when its
        # name is a parameter's (a meeting's format).
        want = {(p["name"].split(":")[0], p["x-search-weight"]) for p in params if "x-search-weight" in p}
        if got != want:
            failures.append("README's searched fields of %s differ from the server's:\n  README %s\n  server %s"
                            % (resource, sorted(got), sorted(want)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("readme")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    text = open(args.readme, encoding="utf-8").read()
    failures = []

    check_vocabularies(text, failures)
    check_settings(text, binary, failures)

    env = clean_env()
    token = "readme-token-" + hashlib.sha256(os.urandom(16)).hexdigest()[:24]
    env["TOKEN"] = token
    work = tempfile.mkdtemp(prefix="attache-readme-")
    data, tokens = writes_files(work, token, "readme")
    try:
        server = Server(binary, cwd=ROOT)
        writes = Server(binary, cwd=ROOT, args=["--data", data, "--tokens", tokens])
    except RuntimeError as e:
        sys.exit("check_readme: %s" % e)
    port = server.port
    try:
        check_search_table(text, port, failures)
        n = 0
        for cmd, expected in examples(text):
            n += 1
            run = (cmd.replace("localhost:8080", "localhost:%d" % port)
                   .replace("localhost:8181", "localhost:%d" % writes.port).replace("build/attache", binary))
            p = subprocess.run(["bash", "-c", run], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=30)
            actual = p.stdout.splitlines()
            if not output_matches(expected, actual):
                failures.append("$ %s\n--- README says\n%s\n--- it printed\n%s" %
                                (cmd, "\n".join(expected), "\n".join(actual)))
        if n == 0:
            failures.append("README has no console examples")
    finally:
        rc = server.stop()
        wrc = writes.stop()
        shutil.rmtree(work, ignore_errors=True)
    # SIGTERM is a clean stop: exit 0 (a sanitizer build also exits non-zero on a leak).
    if rc != 0:
        failures.append("the server did not stop cleanly on SIGTERM (exit %s):\n%s"
                        % (rc, server.stderr()[-4000:]))
    if wrc != 0:
        failures.append("the server with writes did not stop cleanly on SIGTERM (exit %s):\n%s"
                        % (wrc, writes.stderr()[-4000:]))

    if failures:
        for f in failures:
            print("check_readme: " + f + "\n", file=sys.stderr)
        sys.exit(1)
    print("check_readme: %d README examples and the vocabulary, settings and search tables agree with "
          "the code" % n)


if __name__ == "__main__":
    main()
