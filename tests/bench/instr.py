#!/usr/bin/env python3
"""make bench-instr: instructions per request, attache beside the probe, under callgrind.

make bench's CPU times move with whatever else the machine runs; the count
of instructions a request executes does not. This runs attache (--threads
2, access log off as in make bench, and once more with it on, its default)
and tests/bench/probe.c under valgrind's callgrind, sends each of make
bench's requests over two keep-alive connections (the request wrk sends:
a request line and Host), and counts what the server executes for N of
them after a warm-up, from callgrind's dumps. It counts user space only:
the kernel's part (the same system calls for both, one recvfrom and one
sendmsg a request) is not in it. Under valgrind, `rep stosb` counts one
instruction a byte, so libmicrohttpd's zeroing of its memory pool weighs
more here than on the CPU.

Writes the table to build/bench-instr.txt (and prints it). About a minute.
With --keep DIR, the callgrind dumps stay in DIR, one a server and request in
the order above (callgrind.attache.2 is attache on the deal list), to be read
with `callgrind_annotate --inclusive=yes --tree=calling DIR/callgrind.attache.2`.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from common import free_port, stop

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# name, path: make bench's requests (tests/bench/bench.py)
SCENARIOS = [
    ("one deal", "/api/v1/deals/asml-duv-plant"),
    ("the deal list", "/api/v1/deals"),
    ("one country", "/api/v1/countries/RO"),
    ("filtered, sorted, paged", "/api/v1/deals?countries=RO&sort=-value.amount&limit=10"),
]


def wait_for(url, proc, seconds=60):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("bench-instr: %s exited while starting" % proc.args)
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read()
        except Exception:
            time.sleep(0.2)
    raise SystemExit("bench-instr: nothing answered %s" % url)


class Client:
    """Keep-alive connections that send wrk's request and read each answer whole."""

    def __init__(self, port, path, nconns=2):
        self.req = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (path, port)).encode()
        self.socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(nconns)]
        self.bufs = [b""] * nconns

    def one(self, i):
        s = self.socks[i]
        s.sendall(self.req)
        buf = self.bufs[i]
        while b"\r\n\r\n" not in buf:
            got = s.recv(65536)
            if not got:
                raise SystemExit("bench-instr: the server closed the connection")
            buf += got
        head, rest = buf.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 200 "):
            raise SystemExit("bench-instr: %r" % head[:200])
        m = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.I)
        n = int(m.group(1)) if m else 0
        while len(rest) < n:
            rest += s.recv(65536)
        self.bufs[i] = rest[n:]

    def run(self, n):
        for k in range(n):
            self.one(k % len(self.socks))

    def close(self):
        for s in self.socks:
            s.close()


def control(pid, what):
    subprocess.run(["callgrind_control", what, str(pid)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def dumped_total(path):
    """The instruction total of one callgrind dump."""
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise SystemExit("bench-instr: no total in %s" % path)


def measure(name, argv, port, paths, args, work):
    """Instructions a request for each path (None: not served), one server under callgrind."""
    out = os.path.join(work, "callgrind.%s" % name.replace(" ", "-"))
    log = open(os.path.join(work, name.replace(" ", "-") + ".log"), "w")
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + argv,
                            stdout=log, stderr=log)
    counts = []
    try:
        wait_for("http://127.0.0.1:%d%s" % (port, next(p for p in paths if p)), proc)
        dumps = 0
        for path in paths:
            if path is None:
                counts.append(None)
                continue
            c = Client(port, path)
            c.run(args.warmup)
            control(proc.pid, "-z")
            c.run(args.requests)
            control(proc.pid, "-d")
            c.close()
            dumps += 1
            counts.append(dumped_total("%s.%d" % (out, dumps)) / args.requests)
    finally:
        stop(proc, 30)
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "attache"))
    ap.add_argument("--probe", default=os.path.join(ROOT, "build", "bench", "probe"))
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench-instr.txt"))
    ap.add_argument("--keep", metavar="DIR", help="keep the callgrind dumps in DIR")
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        subprocess.run([os.path.join(ROOT, "scripts/deps.sh"), "", "valgrind", "valgrind"], check=True)

    work = tempfile.mkdtemp(prefix="attache-instr-")
    try:
        # The probe serves attache's own bytes.
        port = free_port()
        att = subprocess.Popen([args.bin, "--port", str(port), "--threads", "2", "--access-log=false"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            files = []
            for i, (_, path) in enumerate(SCENARIOS):
                if "?" in path:
                    continue
                f = os.path.join(work, "body%d.json" % i)
                with open(f, "wb") as out:
                    out.write(wait_for("http://127.0.0.1:%d%s" % (port, path), att))
                files.append("%s=%s" % (path, f))
        finally:
            stop(att, 10)
        paths = [p for _, p in SCENARIOS]
        rows = []
        for name, extra in (("attache", ["--access-log=false"]), ("attache, access log on", [])):
            port = free_port()
            rows.append((name, measure(name, [args.bin, "--port", str(port), "--threads", "2"] + extra,
                                       port, paths, args, work)))
        port = free_port()
        rows.append(("probe", measure("probe", [args.probe, str(port)] + files, port,
                                      [p if "?" not in p else None for p in paths], args, work)))
    finally:
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            for f in os.listdir(work):
                if f.startswith("callgrind.") and "." in f[len("callgrind."):]:
                    shutil.copy(os.path.join(work, f), args.keep)
        shutil.rmtree(work, ignore_errors=True)

    probe = rows[-1][1]
    lines = ["attache bench-instr, %s: callgrind instructions a request (user space), %d keep-alive "
             "requests after %d" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), args.requests,
                                    args.warmup), ""]
    lines.append("%-24s %-24s %12s %10s" % ("request", "server", "instr/req", "÷ probe"))
    for si, (sc, _) in enumerate(SCENARIOS):
        for name, counts in rows:
            n = counts[si]
            if n is None:
                continue
            ratio = "%.2f" % (n / probe[si]) if probe[si] else ""
            lines.append("%-24s %-24s %12.0f %10s" % (sc if name == rows[0][0] else "", name, n, ratio))
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print(text, end="")
    print("written to %s" % os.path.relpath(args.out, ROOT))


if __name__ == "__main__":
    sys.exit(main())
