#!/usr/bin/env python3
"""make bench-scale: how attache grows from a thousand deals to a million.

For each size (SCALE_SIZES, default 1000 10000 100000 200000 1000000) it
writes a data file of that many deals (tests/bench/gen_deals.py: the shipped
records first, then generated ones shaped like them; kept under build/scale
for the next run) and measures:
  - ready: from starting the server to its first answer; RSS after load;
  - reload (SIGHUP): time until /readyz shows the next generation, and the
    peak RSS while both stores exist;
  - --check: time and peak RSS;
  - the cost of each query shape: the server's CPU time per request (from
    /proc/PID/stat around a wrk run of SCALE_SECONDS, default 1) and wrk's
    median latency. The budget (max-scan, max-expensive-queries) is lifted
    so that the broad shapes run and are measured too;
  - whole exports (limit=all, CSV and NDJSON): MB/s and records a second.
At every size the answers of the shipped data are checked: each query of
CHECKS, with evidence.source=businesskorea-sales-diplomacy added (which only
the shipped deals cite), must give what the server with the shipped data
gives: the same ids in the same order, totals and facets (a search: the
same ids, since ranks weigh words by how rare they are in all the data).

Writes docs/scale.md (the tables), docs/scale.tsv (the figures) and
docs/scale.png (gnuplot, from the .tsv).
"""
import hashlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse

from common import cpu_model, free_port, stop

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HZ = os.sysconf("SC_CLK_TCK")
SHIPPED = "evidence.source=businesskorea-sales-diplomacy"
LIFTED = ["--max-scan", "4294967296", "--max-expensive-queries", "256"]

# (label, query; {n} is the size), the flat-cost goal's shapes marked with flat=True
SHAPES = [
    ("id lookup", "/api/v1/deals/g{third}", True),
    ("status=agreed&sort=-date&limit=10", "/api/v1/deals?status=agreed&sort=-date&limit=10", True),
    ("status=agreed&sort=value.amount&limit=100", "/api/v1/deals?status=agreed&sort=value.amount&limit=100", True),
    ("countries=RO&sort=-value.amount&limit=10", "/api/v1/deals?countries=RO&sort=-value.amount&limit=10", True),
    ("sector=nuclear&sort=title&limit=10", "/api/v1/deals?sector=nuclear&sort=title&limit=10", True),
    ("value.basis=contract&sort=-date&limit=50", "/api/v1/deals?value.basis=contract&sort=-date&limit=50", True),
    ("countries=KP&sort=-date&limit=10 (rare)", "/api/v1/deals?countries=KP&sort=-date&limit=10", True),
    ("date:gte=2031-01-01&sort=-value.amount&limit=10", "/api/v1/deals?date:gte=2031-01-01&sort=-value.amount&limit=10", True),
    ("sort=-value.amount&limit=10", "/api/v1/deals?sort=-value.amount&limit=10", True),
    ("status=agreed&countries=RO&sort=-date&limit=10", "/api/v1/deals?status=agreed&countries=RO&sort=-date&limit=10", False),
    ("q=zircon", "/api/v1/deals?q=zircon&fields=id", False),
    ("q=medical&limit=10", "/api/v1/deals?q=medical&limit=10&fields=id", False),
    ("q=\"supply chain\"&limit=10", "/api/v1/deals?q=%22supply+chain%22&limit=10&fields=id", False),
    ("facet=status&limit=0", "/api/v1/deals?facet=status&limit=0", False),
    ("status=agreed&facet=countries&limit=0", "/api/v1/deals?status=agreed&facet=countries&limit=0", False),
    ("offset=n/2&limit=10", "/api/v1/deals?offset={half}&limit=10", False),
    ("status=agreed&sort=-date&offset=n/20&limit=10", "/api/v1/deals?status=agreed&sort=-date&offset={twentieth}&limit=10", False),
]

# Whole exports (limit=all), streamed: (label, query, extra curl arguments).
EXPORTS = [
    ("CSV", "/api/v1/deals?format=csv&limit=all", []),
    ("NDJSON", "/api/v1/deals?format=ndjson&limit=all", []),
    ("CSV, gzip on the fly", "/api/v1/deals?format=csv&limit=all", ["-H", "Accept-Encoding: gzip"]),
    ("CSV sorted by value, three members",
     "/api/v1/deals?format=csv&limit=all&sort=-value.amount&fields=id,title,value", []),
]

# Queries whose answers on the shipped deals must not change with the data around them.
CHECKS = [
    "", "status=proposed", "status=proposed&sort=-value.amount", "countries=RO&sort=title",
    "sector=nuclear&sort=-date", "value.amount:gte=1000000000000", "sort=-date", "sort=status,-id",
    "date=2023-07-11", "status=agreed&sort=-date&limit=10", "countries=RO&status=proposed&sort=id",
    "value.basis=contract&sort=value.amount", "offset=5&limit=5&sort=title", "countries:ne=RO&sort=-title",
    "facet=status&limit=0", "facet=countries,sector,value.basis&limit=0",
    "q=nuclear", "q=%22nuclear+power%22", "q=romania+nuclear&fields=id,title",
]


def status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def get(port, target, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", target)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


class Server:
    def __init__(self, binary, args):
        self.port = free_port()
        t0 = time.monotonic()
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--threads", "2",
                                      "--access-log=false"] + args, stderr=subprocess.DEVNULL)
        while True:
            if self.proc.poll() is not None:
                raise SystemExit("bench-scale: the server exited while loading")
            try:
                if get(self.port, "/healthz", timeout=1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.02)
        self.ready_s = time.monotonic() - t0
        self.ready_cpu = cpu_ticks(self.proc.pid) / HZ

    def generation(self):
        return json.loads(get(self.port, "/readyz")[1])["generation"]

    def stop(self):
        stop(self.proc)


def data_file(n):
    """The generated file of n deals, made once for this generator."""
    gen = os.path.join(ROOT, "tests", "bench", "gen_deals.py")
    with open(gen, "rb") as f:
        tag = hashlib.sha256(f.read()).hexdigest()[:8]
    path = os.path.join(ROOT, "build", "scale", "deals-%d-%s.json" % (n, tag))
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        print("  writing %s" % os.path.relpath(path, ROOT), flush=True)
        subprocess.run([sys.executable, gen, str(n), path], check=True)
    return path


def check_run(binary, path):
    """(seconds, CPU seconds, peak RSS in KB) of --check on path."""
    t0 = time.monotonic()
    p = subprocess.Popen([binary, "--check", "--data", path], stdout=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit("bench-scale: --check refused %s" % path)
    return time.monotonic() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def reload_run(server):
    pid = server.proc.pid
    with open("/proc/%d/clear_refs" % pid, "w") as f:
        f.write("5")   # resets VmHWM, the peak RSS
    before = server.generation()
    t0, c0 = time.monotonic(), cpu_ticks(pid)
    server.proc.send_signal(signal.SIGHUP)
    while server.generation() == before:
        time.sleep(0.02)
    return time.monotonic() - t0, (cpu_ticks(pid) - c0) / HZ, status_kb(pid, "VmHWM")


def cost(server, target, seconds):
    """(server CPU us per request, median latency ms, requests) of a wrk run on target."""
    pid = server.proc.pid
    t0 = cpu_ticks(pid)
    out = subprocess.run(["wrk", "-t1", "-c4", "-d%ds" % seconds, "--latency",
                          "http://127.0.0.1:%d%s" % (server.port, target)],
                         capture_output=True, text=True, check=True).stdout
    ticks = cpu_ticks(pid) - t0
    if "Non-2xx" in out:
        raise SystemExit("bench-scale: %s got errors:\n%s" % (target, out))
    n = int(re.search(r"(\d+) requests in", out).group(1))
    m = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)$", out, re.M)
    p50 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    return ticks * 1e6 / HZ / max(n, 1), p50, n


def export_rate(server, target, extra, n):
    """(MB/s, records/s, MB sent) of a whole export: the median of three downloads by curl."""
    runs = []
    for _ in range(3):
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{size_download} %{time_total}"] + extra +
                             ["http://127.0.0.1:%d%s" % (server.port, target)],
                             capture_output=True, text=True, check=True).stdout.split()
        runs.append((float(out[1]), float(out[0])))
    seconds, size = sorted(runs)[1]
    return size / seconds / 1e6, n / seconds, size / 1e6


def answer(port, target):
    status, body = get(port, target)
    if status != 200:
        raise SystemExit("bench-scale: %s answered %d: %s" % (target, status, body[:300]))
    doc = json.loads(body)
    meta = doc["meta"]
    return [d["id"] for d in doc["data"]], meta["total"], meta.get("facets")


def check_answers(small, big, n):
    bad = 0
    for q in CHECKS:
        limit = "" if "limit=" in q else "limit=1000"
        sq = "&".join(x for x in (q, limit) if x)
        want = answer(small.port, "/api/v1/deals?" + sq)
        got = answer(big.port, "/api/v1/deals?" + "&".join(x for x in (q, SHIPPED, limit) if x))
        if q.startswith("q="):
            want, got = (sorted(want[0]), want[1], want[2]), (sorted(got[0]), got[1], got[2])
        if want != got:
            bad += 1
            print("  MISMATCH at %d deals, %s:\n    shipped %s\n    %d-deal %s" % (n, q, want, n, got))
    return bad


def fmt_s(s):
    return "%.2f s" % s if s < 10 else "%.1f s" % s


def fmt_mb(kb):
    return "%d MB" % round(kb / 1024)


def fmt_us(us):
    return "%.0f µs" % us if us < 1000 else "%.1f ms" % (us / 1000)


def main():
    if sys.argv[1:] == ["--plot"]:
        plot(os.path.join(ROOT, "docs"))   # again, from docs/scale.tsv
        return 0
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "attache")
    sizes = [int(x) for x in os.environ.get("SCALE_SIZES", "1000 10000 100000 200000 1000000").split()]
    seconds = int(os.environ.get("SCALE_SECONDS", "1"))
    docs = os.path.join(ROOT, "docs")
    rows = {}
    failures = 0
    small = Server(binary, [])
    started = time.monotonic()
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    try:
        for n in sizes:
            path = data_file(n)
            mb = os.path.getsize(path) / 1e6
            print("%d deals (%.0f MB of JSON)" % (n, mb), flush=True)
            check_s, check_cpu, check_kb = check_run(binary, path)
            srv = Server(binary, ["--data", path] + LIFTED)
            try:
                rss = status_kb(srv.proc.pid, "VmRSS")
                load_hwm = status_kb(srv.proc.pid, "VmHWM")
                reload_s, reload_cpu, reload_kb = reload_run(srv)
                row = {"n": n, "mb": mb, "ready": srv.ready_s, "ready_cpu": srv.ready_cpu, "rss": rss,
                       "load_peak": load_hwm, "reload": reload_s, "reload_cpu": reload_cpu,
                       "reload_peak": reload_kb, "check": check_s, "check_cpu": check_cpu,
                       "check_peak": check_kb, "shapes": []}
                print("  ready %s (CPU %s), RSS %s (peak %s); reload %s (CPU %s), peak %s; "
                      "--check %s (CPU %s), peak %s" % (
                          fmt_s(srv.ready_s), fmt_s(srv.ready_cpu), fmt_mb(rss), fmt_mb(load_hwm),
                          fmt_s(reload_s), fmt_s(reload_cpu), fmt_mb(reload_kb), fmt_s(check_s),
                          fmt_s(check_cpu), fmt_mb(check_kb)), flush=True)
                failures += check_answers(small, srv, n)
                for label, target, flat in SHAPES:
                    t = target.format(third=(n - 27) // 3, half=n // 2, twentieth=n // 20)
                    cpu, p50, reqs = cost(srv, t, seconds)
                    row["shapes"].append((label, cpu, p50))
                    print("  %-50s %10s CPU/request, p50 %.2f ms (%d requests)" % (label, fmt_us(cpu), p50, reqs),
                          flush=True)
                row["exports"] = []
                for label, target, extra in EXPORTS:
                    mbs, recs, mb = export_rate(srv, target, extra, n)
                    row["exports"].append((label, mbs, recs, mb))
                    print("  export, %-44s %8.1f MB/s %10.0f records/s, %.1f MB sent" % (label, mbs, recs, mb),
                          flush=True)
                rows[n] = row
            finally:
                srv.stop()
    finally:
        small.stop()
    write_docs(docs, sizes, rows, failures, time.monotonic() - started, load)
    if failures:
        print("bench-scale: %d answers differ from the shipped data's" % failures)
        return 1
    return 0


def write_docs(docs, sizes, rows, failures, elapsed, load):
    os.makedirs(docs, exist_ok=True)
    sizes = [n for n in sizes if n in rows]
    when = time.strftime("%Y-%m-%d", time.gmtime())
    # The figures, for the plot and for anyone's own.
    with open(os.path.join(docs, "scale.tsv"), "w") as f:
        f.write("# deals\tready_s\trss_mb\treload_s\treload_peak_mb\tcheck_s\tcheck_peak_mb\t"
                "ready_cpu_s\treload_cpu_s\tcheck_cpu_s\t" + "\t".join("us:" + s[0] for s in SHAPES) + "\n")
        for n in sizes:
            r = rows[n]
            f.write("%d\t%.3f\t%.0f\t%.3f\t%.0f\t%.3f\t%.0f\t%.3f\t%.3f\t%.3f\t" % (
                n, r["ready"], r["rss"] / 1024, r["reload"], r["reload_peak"] / 1024, r["check"],
                r["check_peak"] / 1024, r["ready_cpu"], r["reload_cpu"], r["check_cpu"]) +
                "\t".join("%.1f" % s[1] for s in r["shapes"]) + "\n")
    head = "| | " + " | ".join("%s deals" % format(n, ",") for n in sizes) + " |\n"
    rule = "|---|" + "---:|" * len(sizes) + "\n"
    out = ["# attache at scale\n\n",
           "Written by `make bench-scale` on %s, %d cores (%s); the server runs 2 threads. "
           "Data: tests/bench/gen_deals.py (the 27 shipped deals, then generated ones shaped like them). "
           "Plot: [scale.png](scale.png); figures: [scale.tsv](scale.tsv). The load average was %s "
           "at the start: on a shared machine the times are wall-clock, the CPU times what the work "
           "itself took.\n\n" % (when, os.cpu_count(), cpu_model(), load),
           "The answers for the shipped deals (%d queries, with `%s` added) were %s at every size.\n\n" % (
               len(CHECKS), SHIPPED, "the same as the shipped data's" if not failures else
               "NOT the same (%d differ)" % failures),
           "## Loading\n\n", head, rule]
    for key, label, f in [("mb", "data file", lambda v: "%.0f MB" % v), ("ready", "ready to serve", fmt_s),
                          ("ready_cpu", "CPU time to get ready", fmt_s),
                          ("rss", "RSS after load", fmt_mb), ("load_peak", "peak RSS while loading", fmt_mb),
                          ("reload", "reload (SIGHUP)", fmt_s), ("reload_cpu", "CPU time of the reload", fmt_s),
                          ("reload_peak", "peak RSS during the reload", fmt_mb),
                          ("check", "`--check`", fmt_s), ("check_cpu", "CPU time of `--check`", fmt_s),
                          ("check_peak", "peak RSS of `--check`", fmt_mb)]:
        out.append("| %s | " % label + " | ".join(f(rows[n][key]) for n in sizes) + " |\n")
    out += ["\n## Queries: the server's CPU time per request\n\n",
            "From /proc/PID/stat around a wrk run of each (4 connections); make bench-scale also prints "
            "wrk's median latency. Shapes marked * are the flat-cost goal's (an indexed filter, a single-key sort, limit ≤ 100): "
            "the last column is their cost at the largest size over the smallest.\n\n",
            "| query (deals) | " + " | ".join(format(n, ",") for n in sizes) + " | growth |\n",
            "|---|" + "---:|" * (len(sizes) + 1) + "\n"]
    for i, (label, _, flat) in enumerate(SHAPES):
        first, last = rows[sizes[0]]["shapes"][i][1], rows[sizes[-1]]["shapes"][i][1]
        out.append("| `%s`%s | " % (label, " *" if flat else "") +
                   " | ".join(fmt_us(rows[n]["shapes"][i][1]) for n in sizes) + " | %.1f× |\n" % (last / first))
    out += ["\n## Whole exports (`limit=all`), streamed\n\n",
            "One curl client downloading each three times, the median: MB/s sent, and records a second.\n\n",
            "| export (deals) | " + " | ".join(format(n, ",") for n in sizes) + " |\n",
            "|---|" + "---:|" * len(sizes) + "\n"]
    for i, (label, _, _) in enumerate(EXPORTS):
        out.append("| %s | " % label + " | ".join(
            "%.0f MB/s, %s rec/s" % (rows[n]["exports"][i][1], format(round(rows[n]["exports"][i][2]), ","))
            for n in sizes) + " |\n")
    out.append("\n(%.0f s in all)\n" % elapsed)
    with open(os.path.join(docs, "scale.md"), "w") as f:
        f.write("".join(out))
    plot(docs)
    print("written to docs/scale.md, docs/scale.tsv, docs/scale.png")


def plot(docs):
    flat = [i for i, s in enumerate(SHAPES) if s[2]]
    other = [i for i, s in enumerate(SHAPES) if not s[2]]
    col = lambda i: 11 + i   # the shapes' columns in scale.tsv

    def lines(idx):
        return ", ".join("'scale.tsv' using 1:%d with linespoints title '%s'" % (
            col(i), SHAPES[i][0].replace("'", "''")) for i in idx)
    script = """set terminal pngcairo size 1500,1100 font ',9' noenhanced
set output 'scale.png'
set datafile separator '\\t'
set xrange [500:2000000]
set logscale x 10
set logscale y 10
set grid
set key left top
set xlabel 'deals'
set multiplot layout 2,2 title 'attache from a thousand to a million deals (make bench-scale)'
set title 'load, reload and --check (s)'
plot 'scale.tsv' using 1:2 with linespoints title 'ready to serve', \\
     '' using 1:4 with linespoints title 'reload', '' using 1:6 with linespoints title '--check', \\
     '' using 1:8 with linespoints dashtype 2 title 'CPU time to get ready', \\
     '' using 1:9 with linespoints dashtype 2 title 'CPU time of the reload', \\
     '' using 1:10 with linespoints dashtype 2 title 'CPU time of --check'
set title 'memory (MB)'
plot 'scale.tsv' using 1:3 with linespoints title 'RSS after load', \\
     '' using 1:5 with linespoints title 'peak RSS during a reload', '' using 1:7 with linespoints title 'peak RSS of --check'
set title 'indexed filter + single-key sort, limit <= 100: server CPU per request (us)'
set key left top font ',8'
plot %s
set title 'other shapes: server CPU per request (us)'
plot %s
unset multiplot
""" % (lines(flat), lines(other))
    with open(os.path.join(docs, "scale.gp"), "w") as f:
        f.write(script)
    if not shutil_which("gnuplot"):
        subprocess.run([os.path.join(ROOT, "scripts/deps.sh"), "", "gnuplot", "gnuplot-nox"], check=True)
    subprocess.run(["gnuplot", "scale.gp"], cwd=docs, check=True)
    os.remove(os.path.join(docs, "scale.gp"))


def shutil_which(name):
    import shutil
    return shutil.which(name)


if __name__ == "__main__":
    sys.exit(main())
