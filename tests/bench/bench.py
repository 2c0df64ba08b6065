#!/usr/bin/env python3
"""make bench: attache beside nginx, a bare libmicrohttpd probe and json-server.

Each scenario is one GET, sent by wrk over keep-alive connections on
loopback. The same bytes are served by:
  - attache (--threads 2, no access log), from the data built into it;
  - nginx (Debian's nginx-light, 2 workers, access log off), as static files;
  - the probe (tests/bench/probe.c): libmicrohttpd doing nothing but queue
    one pre-built response, from an epoll pool of 2 threads: the floor of
    the stack attache runs on;
  - json-server (npm, pinned), on the same records, its routes mapped to
    /api/v1 (a filter, sort and page in its own grammar).
wrk shares the machine's cores with the server, so req/s moves between runs;
the server's CPU time per request (utime + stime from /proc/PID/stat of the
server and its workers, around each run) is the steadier figure. Rounds
alternate the servers, in a rotating order, and the table gives medians.

Writes the table to build/bench.txt (and prints it).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from common import cpu_model, free_port, stop

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JSON_SERVER = "json-server@0.17.4"
HZ = os.sysconf("SC_CLK_TCK")

# name, attache/nginx/probe path, json-server path (None: nothing comparable)
SCENARIOS = [
    ("one deal", "/api/v1/deals/asml-duv-plant", "/api/v1/deals/asml-duv-plant"),
    ("the deal list", "/api/v1/deals", "/api/v1/deals"),
    ("one country", "/api/v1/countries/RO", "/api/v1/countries/RO"),
    ("filtered, sorted, paged", "/api/v1/deals?countries=RO&sort=-value.amount&limit=10",
     "/api/v1/deals?countries_like=RO&_sort=value.amount&_order=desc&_limit=10"),
]


def wait_for(url, proc, seconds=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("bench: %s exited while starting" % proc.args[0])
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                r.read()
                return
        except Exception:
            time.sleep(0.1)
    raise SystemExit("bench: nothing answered %s" % url)


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read()


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])   # utime, stime
        except OSError:
            pass
    return total


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def to_ms(s):
    m = re.match(r"([\d.]+)(us|ms|s)$", s)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]


class Server:
    def __init__(self, name, proc, port, paths):
        self.name, self.proc, self.port, self.paths = name, proc, port, paths

    def pids(self):
        return [self.proc.pid] + children(self.proc.pid)

    def stop(self):
        stop(self.proc, 10)


def run_wrk(server, path, args):
    url = "http://127.0.0.1:%d%s" % (server.port, path)
    pids = server.pids()
    t0 = cpu_ticks(pids)
    out = subprocess.run(["wrk", "-t%d" % args.threads, "-c%d" % args.connections,
                          "-d%ds" % args.seconds, "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    ticks = cpu_ticks(pids) - t0
    n = int(re.search(r"(\d+) requests in", out).group(1))
    if re.search(r"Non-2xx or 3xx responses", out):
        raise SystemExit("bench: %s %s had errors:\n%s" % (server.name, path, out))
    # A server too slow for wrk's 2 s timeout is a result, not a failure: counted.
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "errors": sum(int(x) for x in m.groups()) if m else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "cpu_us": ticks * 1e6 / HZ / n if n else float("nan"),
    }


def start_attache(args, work):
    port = free_port()
    log = open(os.path.join(work, "attache.log"), "w")
    proc = subprocess.Popen([args.bin, "--port", str(port), "--threads", "2", "--access-log=false"],
                            stdout=log, stderr=log)
    wait_for("http://127.0.0.1:%d/healthz" % port, proc)
    return Server("attache", proc, port, [s[1] for s in SCENARIOS])


def start_nginx(work, files):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        subprocess.run([os.path.join(ROOT, "scripts/deps.sh"), "", "nginx", "nginx-light"], check=True)
    port = free_port()
    conf_dir = os.path.join(work, "nginx")
    os.makedirs(conf_dir, exist_ok=True)
    # The target as sent picks the file: the list and the filtered list share a path.
    targets = "".join('    "%s" %s;\n' % (path, os.path.basename(f)) for path, f in files)
    conf = """worker_processes 2;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  default_type application/json;
  map_hash_bucket_size 256;
  map $request_uri $body {
    default none;
%(targets)s  }
  server {
    listen 127.0.0.1:%(port)d;
    root %(work)s;
    location / { try_files /$body =404; }
  }
}
""" % {"d": conf_dir, "port": port, "targets": targets, "work": work}
    with open(os.path.join(conf_dir, "nginx.conf"), "w") as f:
        f.write(conf)
    proc = subprocess.Popen([nginx, "-c", os.path.join(conf_dir, "nginx.conf"), "-p", conf_dir,
                             "-g", "daemon off;"])
    wait_for("http://127.0.0.1:%d%s" % (port, files[0][0]), proc)
    return Server("nginx", proc, port, [s[1] for s in SCENARIOS])


def start_probe(args, files):
    """The probe, on the requests without a query (it tells files apart by path only)."""
    port = free_port()
    plain = [(p, f) for p, f in files if "?" not in p]
    proc = subprocess.Popen([args.probe, str(port)] + ["%s=%s" % pf for pf in plain])
    wait_for("http://127.0.0.1:%d%s" % (port, files[0][0]), proc)
    return Server("probe", proc, port, [s[1] if "?" not in s[1] else None for s in SCENARIOS])


def start_json_server(args, work):
    """json-server on the records of the built-in data; None when npm cannot install it."""
    prefix = os.path.join(ROOT, "build", "bench")
    main = os.path.join(prefix, "node_modules", "json-server", "lib", "cli", "bin.js")
    if not os.path.exists(main):
        for tool in ("node", "npm"):
            if not shutil.which(tool):
                subprocess.run([os.path.join(ROOT, "scripts/deps.sh"), "", "node npm", "nodejs", "npm"],
                               check=True)
        os.makedirs(prefix, exist_ok=True)
        r = subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund",
                            "--loglevel=error", JSON_SERVER])
        if r.returncode or not os.path.exists(main):
            print("bench: npm could not install %s; json-server left out" % JSON_SERVER)
            return None
    with open(os.path.join(ROOT, "data", "vilnius-2023.json")) as f:
        data = json.load(f)
    # json-server finds a record by "id": a country's is its code.
    db = {"deals": data["deals"], "meetings": data["meetings"], "sources": data["sources"],
          "countries": [dict(c, id=c["code"]) for c in data["countries"]]}
    dbpath = os.path.join(work, "db.json")
    routes = os.path.join(work, "routes.json")
    with open(dbpath, "w") as f:
        json.dump(db, f)
    with open(routes, "w") as f:
        json.dump({"/api/v1/*": "/$1"}, f)
    port = free_port()
    proc = subprocess.Popen(["node", main, "--port", str(port), "--host", "127.0.0.1", "--routes", routes,
                             "--quiet", "--read-only", dbpath],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for("http://127.0.0.1:%d/api/v1/deals/asml-duv-plant" % port, proc)
    return Server("json-server", proc, port, [s[2] for s in SCENARIOS])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "attache"))
    ap.add_argument("--probe", default=os.path.join(ROOT, "build", "bench", "probe"))
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "4")))
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")))
    ap.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", "50")))
    ap.add_argument("--threads", type=int, default=1, help="wrk threads")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench.txt"))
    args = ap.parse_args()
    if not shutil.which("wrk"):
        subprocess.run([os.path.join(ROOT, "scripts/deps.sh"), "", "wrk", "wrk"], check=True)

    work = tempfile.mkdtemp(prefix="attache-bench-")
    os.chmod(work, 0o755)   # nginx's workers read the files
    servers = []
    try:
        att = start_attache(args, work)
        servers.append(att)
        files = []
        for i, (_, path, _) in enumerate(SCENARIOS):
            f = os.path.join(work, "body%d.json" % i)
            with open(f, "wb") as out:
                out.write(fetch("http://127.0.0.1:%d%s" % (att.port, path)))
            os.chmod(f, 0o644)
            files.append((path, f))
        servers.append(start_nginx(work, files))
        for path, f in files:
            got = fetch("http://127.0.0.1:%d%s" % (servers[-1].port, path))
            if got != open(f, "rb").read():
                raise SystemExit("bench: nginx does not serve attache's bytes for %s" % path)
        servers.append(start_probe(args, files))
        js = start_json_server(args, work)
        if js:
            servers.append(js)

        results = {}   # (scenario index, server name) -> list of runs
        # One second of each first, unmeasured: node compiles its hot code as it runs.
        warm = argparse.Namespace(**dict(vars(args), seconds=1))
        for si in range(len(SCENARIOS)):
            for s in servers:
                if s.paths[si] is not None:
                    run_wrk(s, s.paths[si], warm)
        started = time.monotonic()
        for r in range(args.rounds):
            for si, sc in enumerate(SCENARIOS):
                order = servers[r % len(servers):] + servers[:r % len(servers)]
                for s in order:
                    path = s.paths[si]
                    if path is None:
                        continue
                    res = run_wrk(s, path, args)
                    results.setdefault((si, s.name), []).append(res)
                    print("round %d  %-24s %-12s %9.0f req/s  %6.1f us CPU/request%s" % (
                        r + 1, sc[0], s.name, res["rps"], res["cpu_us"],
                        "  (%d socket errors)" % res["errors"] if res["errors"] else ""), flush=True)
        elapsed = time.monotonic() - started
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)

    def med(si, name, key):
        runs = results.get((si, name))
        return statistics.median(x[key] for x in runs) if runs else float("nan")

    names = [s.name for s in servers]
    lines = ["attache bench, %s, %d cores (%s), wrk -t%d -c%d, %d s runs, median of %d alternating rounds" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(), cpu_model(), args.threads,
        args.connections, args.seconds, args.rounds),
        "servers: attache --threads 2; nginx 2 workers, static files; probe (bare libmicrohttpd, "
        "epoll pool of 2); %s" % (JSON_SERVER if "json-server" in names else "json-server left out"),
        ""]
    head = "%-24s %-12s %10s %8s %8s %9s %10s %10s %12s" % (
        "request", "server", "req/s", "p50 ms", "p99 ms", "CPU us/r", "CPU/nginx", "rps/nginx",
        "attache×")
    lines.append(head)
    for si, sc in enumerate(SCENARIOS):
        for name in names:
            if (si, name) not in results:
                continue
            rps, cpu = med(si, name, "rps"), med(si, name, "cpu_us")
            ng_rps, ng_cpu = med(si, "nginx", "rps"), med(si, "nginx", "cpu_us")
            # How many times this server's req/s attache serves (json-server: the 20x goal).
            times = med(si, "attache", "rps") / rps if name != "attache" else float("nan")
            lines.append("%-24s %-12s %10.0f %8.2f %8.2f %9.1f %10.2f %10.2f %12s" % (
                sc[0] if name == names[0] else "", name, rps, med(si, name, "p50"), med(si, name, "p99"),
                cpu, cpu / ng_cpu, rps / ng_rps, "" if times != times else "%.1f" % times))
    lines.append("")
    lines.append("goals (attache beside the others, medians):")
    for si in range(3):
        a_cpu, n_cpu, p_cpu = med(si, "attache", "cpu_us"), med(si, "nginx", "cpu_us"), med(si, "probe", "cpu_us")
        a_rps, n_rps = med(si, "attache", "rps"), med(si, "nginx", "rps")
        lines.append("  %-16s CPU %.2fx nginx (goal <= 0.75), %.2fx the probe (<= 1.4); req/s %.2fx nginx (>= 1.2)" % (
            SCENARIOS[si][0], a_cpu / n_cpu, a_cpu / p_cpu, a_rps / n_rps))
    q, lst, one = med(3, "attache", "cpu_us"), med(1, "attache", "cpu_us"), med(0, "attache", "cpu_us")
    lines.append("  %-16s CPU %.2fx the pre-rendered list, %.2fx one deal (goal <= 1.5)" % (
        "filtered query", q / lst, q / one))
    if "json-server" in names:
        worst = min(med(si, "attache", "rps") / med(si, "json-server", "rps") for si in range(len(SCENARIOS)))
        lines.append("  %-16s attache serves at least %.0fx json-server's req/s (goal >= 20)" % ("json-server", worst))
    errors = {}
    for (si, name), runs in results.items():
        errors[name] = errors.get(name, 0) + sum(x["errors"] for x in runs)
    if any(errors.values()):
        lines.append("socket errors (wrk: mostly timeouts past 2 s): " +
                     ", ".join("%s %d" % (k, v) for k, v in errors.items() if v))
    lines.append("(%.0f s of load)" % elapsed)
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print()
    print(text, end="")
    print("written to %s" % os.path.relpath(args.out, ROOT))


if __name__ == "__main__":
    sys.exit(main())
