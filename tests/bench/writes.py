#!/usr/bin/env python3
"""make bench, writes: latency and rate of writes, and reads while writes run.

For each size (--sizes, default 100, 10000 and 100000 deals) a server with
writes on takes PATCHes of random deals (If-Match: *) for --seconds from 1
and then from 16 concurrent writers, each on its own keep-alive connection;
the table gives writes/s, the p50 and p99 latency of a write as its client
saw it (each one synced to disk before its answer), and the server's CPU
time per write (steadier than rates on a shared machine). Then, at 10^4
deals, the read rate of one record with wrk (1 thread, 16 connections) is
measured alone and while writes arrive at 50/s. The server runs with 16
threads: a write holds its thread until it is durable, so a server needs as
many threads as it has concurrent writers (README, Changing records).

    tests/bench/writes.py --bin build/attache [--sizes 100,10000,100000] [--seconds 5]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from attache import Server, writes_files  # noqa: E402

TOKEN = "bench-token-0123456789abcdefghijklmnop"


def dataset(n, path):
    cite = [{"source": "generated", "quote": "Generated."}]
    deals = [{"id": "d%d" % i, "title": "Generated deal %d" % i, "countries": ["KR", ["RO", "PL", "SE"][i % 3]],
              "sector": ["nuclear", "ports", "semiconductors"][i % 3], "status": "proposed",
              "value": {"amount": i + 1, "currency": "KRW", "basis": "contract", "estimate": False},
              "companies": [], "meetings": [], "summary": "Generated summary of deal %d, with words." % i,
              "evidence": [{"source": "generated", "quote": "Generated deal %d was reported." % i}]}
             for i in range(n)]
    with open(path, "w") as f:
        json.dump({"dataset": {"title": "bench", "version": "1",
                               "vocabularies": {"basis": [{"id": "contract", "label": "contract"}]}},
                   "sources": [{"id": "generated", "title": "generated", "publisher": None, "date": None,
                                "url": None}],
                   "countries": [{"code": c, "name": c, "evidence": cite} for c in ("KR", "RO", "PL", "SE")],
                   "meetings": [], "deals": deals}, f)


def start(binary, data, tokens):
    return Server(binary, timeout=120, args=["--data", data, "--tokens", tokens, "--threads", "2"])


def writer(port, n, until, lat, rate=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random()
    headers = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/merge-patch+json",
               "If-Match": "*"}
    nxt = time.time()
    while time.time() < until:
        if rate:
            nxt += 1 / rate
            time.sleep(max(0, nxt - time.time()))
        body = json.dumps({"summary": "s%d" % rng.randrange(1 << 30)})
        t = time.perf_counter()
        conn.request("PATCH", "/api/v1/deals/d%d" % rng.randrange(n), body=body, headers=headers)
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise SystemExit("bench: a write answered %d" % r.status)
        lat.append(time.perf_counter() - t)


def cpu_seconds(pid):
    """User + system CPU time the process has used."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def writes(port, n, clients, seconds):
    lats = [[] for _ in range(clients)]
    until = time.time() + seconds
    ts = [threading.Thread(target=writer, args=(port, n, until, lats[i])) for i in range(clients)]
    t0 = time.time()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    all_ = sorted(x for l in lats for x in l)
    el = time.time() - t0
    return len(all_) / el, all_[len(all_) // 2] * 1000, all_[int(len(all_) * 0.99)] * 1000, len(all_)


def wrk_rate(url, seconds):
    out = subprocess.run(["wrk", "-t1", "-c16", "-d%ds" % seconds, url], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec"):
            return float(line.split()[1])
    raise SystemExit("bench: wrk printed no rate:\n" + out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--sizes", default="100,10000,100000")
    ap.add_argument("--seconds", type=float, default=5)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="attache-bench-writes-")
    rows = []
    try:
        print("%-44s %9s %9s %9s %12s" % ("writes (PATCH, each synced)", "writes/s", "p50", "p99",
                                          "cpu/write"))
        for n in [int(x) for x in args.sizes.split(",")]:
            generated = os.path.join(work, "generated.json")
            dataset(n, generated)
            data, tokens = writes_files(work, TOKEN, "bench", generated)
            s = start(os.path.abspath(args.bin), data, tokens)
            for clients in (1, 16):
                c0 = cpu_seconds(s.proc.pid)
                rate, p50, p99, count = writes(s.port, n, clients, args.seconds)
                cpu = (cpu_seconds(s.proc.pid) - c0) / max(count, 1) * 1000
                row = "%-44s %9.0f %7.1fms %7.1fms %10.2fms" % (
                    "%d deals, %d writer%s" % (n, clients, "s" * (clients > 1)), rate, p50, p99, cpu)
                rows.append(row)
                print(row, flush=True)
            if n == 10000 and shutil.which("wrk"):
                url = "http://127.0.0.1:%d/api/v1/deals/d7" % s.port
                alone = wrk_rate(url, args.seconds)
                lat = []
                t = threading.Thread(target=writer, args=(s.port, n, time.time() + args.seconds + 1, lat, 50))
                t.start()
                time.sleep(0.5)
                during = wrk_rate(url, args.seconds)
                t.join()
                row = ("%d deals: reads of one record %.0f/s alone, %.0f/s with writes at 50/s (%.2fx)"
                       % (n, alone, during, during / alone))
                rows.append(row)
                print(row, flush=True)
            s.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
