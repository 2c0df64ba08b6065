#!/usr/bin/env python3
"""The standing hostile-client suite: attache against clients that mean harm.

Every case talks to a live server over a raw socket, bound to its own
127.0.0.x source address, and states the exact answer it must get: the
status line (and for a problem, its content type and detail), libmicrohttpd's
own HTML refusal where the library decides, or "closed without an answer".
The cases cover malformed and smuggling-shaped framing, oversized parts,
encodings, path traversal on the dashboard's files, HTTP/2 and TLS openings,
slowloris, half-closed connections, clients that never read, floods past the
per-address and global connection limits, the q= search grammar (words,
prefixes, phrases, unterminated quotes, too many words, bad UTF-8, huge
text), searches and queries past max-scan, expensive ones, the formats
(whole CSV and NDJSON exports streamed, priced by the budget, refused past
max-scan, stalled by readers that never read; format=, bom= and Accept
refusals; a HEAD of an export), and a data file that is a FIFO or a reload
that a SIGTERM interrupts.

While it runs, a well-behaved client from 127.0.0.9 (a process of its own)
asks for /healthz every 10 ms on a keep-alive connection, and the suite fails
unless the 99th percentile of its answer times stays under LATENCY_P99_MS.

    tests/hostile/hostile.py --bin build/attache
    tests/hostile/hostile.py --bin build/attache --valgrind   # memcheck, no latency bound

Every load loop is bounded in count and in time; the whole suite takes about
half a minute (several under valgrind).
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from attache import clean_env, free_port  # noqa: E402

HOST = "127.0.0.1"
MONITOR_SOURCE = "127.0.0.9"
LATENCY_P99_MS = 50.0
PROBLEM = "application/problem+json; charset=utf-8"

# The server the suite runs: limits small enough to reach quickly.
PER_IP = 16
MAX_CONNECTIONS = 200
HEADER_TIMEOUT = 2
IDLE_TIMEOUT = 4
GRACE = 3
# Deal i is "Deal <i>", with the same six-word summary; its searched text is
# 19 words and value marks (title, country, sector, status, basis, summary).
DEALS = 30000           # > 10,000: a query that reads them all is an expensive one (valgrind: 12,000)
DEAL_WORDS = 19
# q= of a word all deals hold reads its postings twice (listed, then
# scored): allowed; with a :contains on every title as well, not.
MAX_SCAN = DEALS * 5 // 2
# libmicrohttpd's memory pool at the default max-header-size (server/http.c, http_pool_size).
POOL = 8192 + 8192

SLOW = 1.0              # time bounds are multiplied by this (--slow; valgrind: more)
VALGRIND = False        # the server runs under valgrind's memcheck (--valgrind)


def src(n):
    """Source address 127.0.0.n."""
    return "127.0.0.%d" % n


# ---- talking to the server ----

class Outcome:
    """What came back on one connection: the bytes, and how it ended."""

    def __init__(self, data, end, seconds):
        self.data = data
        self.end = end          # "closed" (EOF), "reset", or "open" (still open at the deadline)
        self.seconds = seconds

    def answers(self):
        return parse_answers(self.data)


def connect(port, source, rcvbuf=None, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((source, 0))
    s.settimeout(timeout * SLOW)
    s.connect((HOST, port))
    return s


def read_until_end(s, wait):
    """Reads until the server closes or wait seconds pass."""
    data, end, start = b"", "open", time.monotonic()
    deadline = start + wait * SLOW
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            end = "reset"
            break
        if not chunk:
            end = "closed"
            break
        data += chunk
    return Outcome(data, end, time.monotonic() - start)


def exchange(port, source, data, wait=3.0, shut=False):
    """Sends data on a new connection and reads what comes back."""
    s = connect(port, source)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if shut:
            s.shutdown(socket.SHUT_WR)
        return read_until_end(s, wait)
    finally:
        s.close()


def parse_answers(data):
    """Splits bytes into answers: (status, reason, {header: value}, body). Stops at garbage."""
    out = []
    while data:
        head_end = data.find(b"\r\n\r\n")
        if head_end < 0 or not data.startswith(b"HTTP/1."):
            out.append((None, data[:80], {}, b""))
            break
        lines = data[:head_end].decode("latin-1").split("\r\n")
        m = re.match(r"HTTP/1\.[01] (\d{3}) ?(.*)", lines[0])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        body = data[head_end + 4:head_end + 4 + n]
        out.append((int(m.group(1)) if m else None, m.group(2) if m else lines[0], headers, body))
        data = data[head_end + 4 + n:]
    return out


def http_get(port, path, source="127.0.0.1"):
    """One GET with its own connection: (status, headers, body)."""
    o = exchange(port, source, b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    a = o.answers()
    if not a:
        return None, {}, b""
    return a[0][0], a[0][2], a[0][3]


def metric(port, name):
    status, _, body = http_get(port, "/metrics")
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError("no metric %s" % name)


# ---- expectations ----

def expect_answer(status, detail=None, problem=True, close=None):
    """
    Exactly one answer, with this status; a problem with this detail (a
    prefix if it ends in ...; a function of no arguments gives it when the
    suite's sizes are known).
    """
    def check(o):
        a = o.answers()
        if len(a) != 1:
            return "expected one answer, got %d: %r" % (len(a), o.data[:300])
        st, _, h, body = a[0]
        if st != status:
            return "expected %d, got %r: %r" % (status, st, o.data[:300])
        if problem and h.get("content-type") != PROBLEM:
            return "expected problem+json, got %r" % h.get("content-type")
        if detail is not None:
            want = detail() if callable(detail) else detail
            got = json.loads(body).get("detail", "")
            if want.endswith("...") and not got.startswith(want[:-3]) or \
               not want.endswith("...") and got != want:
                return "detail %r, expected %r" % (got, want)
        if close is not None and (h.get("connection") == "close") != close:
            return "Connection: close expected %s" % close
        return None
    return check


def expect_ids(*ids):
    """One 200 list whose X-Total-Count and records' ids are these, in this order."""
    def check(o):
        a = o.answers()
        if len(a) != 1 or a[0][0] != 200:
            return "expected one 200, got %r" % o.data[:300]
        got = [d["id"] for d in json.loads(a[0][3])["data"]]
        if got != list(ids) or a[0][2].get("x-total-count") != str(len(ids)):
            return "expected %s, got %s (X-Total-Count %s)" % (list(ids), got, a[0][2].get("x-total-count"))
        return None
    return check


def dechunk(body):
    """The bytes of a chunked body, or None when its framing is broken or it has no last chunk."""
    out = b""
    while True:
        line_end = body.find(b"\r\n")
        if line_end < 0:
            return None
        try:
            n = int(body[:line_end].split(b";")[0], 16)
        except ValueError:
            return None
        if n == 0:
            return out
        out += body[line_end + 2:line_end + 2 + n]
        body = body[line_end + 2 + n + 2:]


def expect_export(records, media):
    """
    One 200 streamed whole: chunked, of this media type, X-Total-Count
    records() and no Link, then closed; as many lines (NDJSON) or rows after
    the header (CSV of one column) as records.
    """
    def check(o):
        head_end = o.data.find(b"\r\n\r\n")
        if head_end < 0 or not o.data.startswith(b"HTTP/1.1 200 "):
            return "expected a 200, got %r" % o.data[:300]
        lines = o.data[:head_end].decode("latin-1").split("\r\n")[1:]
        h = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines)}
        n = records()
        if h.get("transfer-encoding") != "chunked" or h.get("x-total-count") != str(n) or "link" in h:
            return "expected chunked, X-Total-Count %d and no Link: %r" % (n, h)
        if not h.get("content-type", "").startswith(media):
            return "expected %s, got %r" % (media, h.get("content-type"))
        body = dechunk(o.data[head_end + 4:])
        if body is None:
            return "the export's chunks are broken or unfinished (%d bytes): %r" % (len(o.data), o.data[-80:])
        rows = body.count(b"\n") - (1 if media == "text/csv" else 0)
        if rows != n:
            return "%d records in the body, X-Total-Count %d" % (rows, n)
        if o.end == "open":
            return "the connection stayed open after Connection: close"
        return None
    return check


def expect_library(status):
    """libmicrohttpd's own HTML refusal: one answer (one head), this status, then closed."""
    def check(o):
        a = o.answers()
        if len(a) != 1 or a[0][0] != status:
            return "expected libmicrohttpd's %d, got %r" % (status, o.data[:300])
        if not a[0][3].startswith(b"<html>") or a[0][2].get("connection") != "close":
            return "expected an HTML page and Connection: close: %r" % o.data[:300]
        if o.end == "open":
            return "the connection stayed open"
        return None
    return check


def expect_closed(within):
    """No answer at all, and the connection closed (FIN or reset) within so many seconds."""
    def check(o):
        if o.data:
            return "expected no answer, got %r" % o.data[:200]
        if o.end == "open":
            return "still open after %.1f s" % o.seconds
        if o.seconds > within * SLOW:
            return "closed after %.2f s, expected within %.1f s" % (o.seconds, within * SLOW)
        return None
    return check


def expect_statuses(*statuses):
    """One answer per request sent, with these statuses, in order."""
    def check(o):
        got = [a[0] for a in o.answers()]
        return None if got == list(statuses) else "expected %s, got %s: %r" % (
            list(statuses), got, o.data[:300])
    return check


# ---- the cases: (name, request bytes, expectation[, shut the sending side]) ----

H = b"Host: x\r\n"
CLOSE = b"Connection: close\r\n"
TRAVERSAL_404 = "no resource at ..."
BAD_TARGET = ("a request target with a space, a control character or a byte that is not "
              "percent-encoded")
TLS_CLIENT_HELLO = bytes.fromhex(
    "16030100c4010000c00303") + bytes(range(32)) + bytes.fromhex(
    "0000061301130213030100009100000014001200000f7777772e6578616d706c652e636f6d"
    "000a00080006001d00170018000d00140012040308040401050308050501080606010201"
    "002b0003020304") + b"\x00" * 40


def many_params():
    return b"GET /api/v1/deals?" + b"a&" * 2000 + b" HTTP/1.1\r\n" + H + CLOSE + b"\r\n"


def big_target(n):
    return b"GET /" + b"a" * n + b" HTTP/1.1\r\n" + H + b"\r\n"


def search(q):
    """A GET of the deals searched for q (already percent-encoded), their ids only."""
    return b"GET /api/v1/deals?fields=id&q=" + q + b" HTTP/1.1\r\n" + H + CLOSE + b"\r\n"


def past_max_scan(examined):
    """The detail of a search refused past max-scan, which examines examined() records and values."""
    return lambda: ("this query would examine %d records and values, more than the %d this server "
                    "examines for one request (max-scan); narrow it with a filter on a field "
                    "(field=value, field:gte=value), or search for rarer or longer words" % (examined(), MAX_SCAN))


def export(query, method=b"GET"):
    """A whole export of the deals (limit=all and query, already percent-encoded)."""
    return method + b" /api/v1/deals?limit=all&" + query + b" HTTP/1.1\r\n" + H + CLOSE + b"\r\n"


def export_past_max_scan(examined):
    """The detail of an export refused past max-scan."""
    return lambda: ("this query would examine %d records and values, more than the %d this server "
                    "examines for one request (max-scan); narrow it with a filter on a field "
                    "(field=value, field:gte=value), or export it a page at a time (limit, offset)"
                    % (examined(), MAX_SCAN))


def chunked(path, body_chunks, extra=b""):
    return (b"POST " + path + b" HTTP/1.1\r\n" + H + CLOSE + b"Transfer-Encoding: chunked\r\n" + extra +
            b"\r\n" + body_chunks)


CASES = [
    # -- defects of issue 10, each one
    ("1. thousands of query parameters", many_params(),
     expect_answer(400, "the query has more than 64 parameters")),
    ("2. half a head, then FIN", b"GET /api/v1 HTTP/1.1\r\n" + H, expect_closed(1), True),
    ("2. half a request line, then FIN", b"GET /api/v1/dea", expect_closed(1), True),
    ("2. half a body, then FIN", b"POST /api/v1 HTTP/1.1\r\n" + H + b"Content-Length: 10\r\n\r\nabc",
     expect_closed(1), True),
    ("2. a whole request, then FIN", b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n",
     expect_statuses(200), True),
    ("7. chunked, then a space", b"GET /api/v1 HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked \r\n\r\n",
     expect_answer(501, "Transfer-Encoding has whitespace after chunked, which this server cannot read "
                        "as chunked (libmicrohttpd 0.9.75 takes it for another coding)")),
    ("7. chunked, then a tab", b"GET /api/v1 HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\t\r\n\r\n",
     expect_answer(501, "Transfer-Encoding has whitespace after chunked...")),
    ("8. NUL in the target", b"GET /api/v1/meetings/bilateral-nl\0x HTTP/1.1\r\n" + H + b"\r\n",
     expect_answer(400, "the request target contains a NUL byte")),
    ("8. NUL in a header value",
     b"GET /api/v1 HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\0gzip\r\n\r\n0\r\n\r\n",
     expect_answer(400, "a header contains a NUL byte")),
    ("8. NUL in the method", b"G\0T /api/v1 HTTP/1.1\r\n" + H + b"\r\n",
     expect_answer(400, "the request line contains a NUL byte")),
    ("9. Content-Length with a sign, sent once",
     b"GET /api/v1 HTTP/1.1\r\n" + H + b"Content-Length: -1\r\n\r\n",
     expect_answer(400, "Content-Length is not a number of bytes (only digits, no sign)")),
    ("9. Content-Length past 64 bits",
     b"GET /api/v1 HTTP/1.1\r\n" + H + b"Content-Length: 99999999999999999999999\r\n\r\n",
     expect_answer(413, "the request body is larger than this server accepts")),
    ("9. a 16 KB target, which fills the memory pool", big_target(POOL - 500),
     expect_answer(414, "a request target longer than this server accepts")),
    ("9. more header fields than the pool holds",
     b"GET /api/v1 HTTP/1.1\r\n" + H + b"a:\r\n" * 3000 + b"\r\n",
     expect_answer(431, "request headers: more header fields than this server accepts")),
    ("10. CONNECT", b"CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n" + CLOSE + b"\r\n",
     expect_answer(501, "CONNECT asks for a tunnel, and this server is not a proxy; it answers GET, "
                        "HEAD and OPTIONS")),
    ("10. Host: a b/c", b"GET /api/v1 HTTP/1.1\r\nHost: a b/c\r\n\r\n",
     expect_answer(400, "Host is not a host name or address with an optional port (RFC 9110 section 7.2)")),
    ("10. Content-Length: 3, then a space",
     b"GET /api/v1 HTTP/1.1\r\n" + H + b"Content-Length: 3 \r\n\r\nabc",
     expect_answer(400, "Content-Length has whitespace after its digits: RFC 9110 allows it, but "
                        "libmicrohttpd 0.9.75, which this server runs on, cannot read it")),
    # -- smuggling shapes
    ("CL then TE", b"POST /api/v1 HTTP/1.1\r\n" + H + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"0\r\n\r\nGET /healthz HTTP/1.1\r\n" + H + b"\r\n",
     expect_answer(400, "both Content-Length and Transfer-Encoding are present", close=True)),
    ("TE then CL", b"POST /api/v1 HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
     b"0\r\n\r\n", expect_answer(400, "both Content-Length and Transfer-Encoding are present")),
    ("two equal Content-Lengths", b"POST /api/v1 HTTP/1.1\r\n" + H +
     b"Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
     expect_answer(400, "Content-Length is given more than once")),
    ("two different Content-Lengths", b"POST /api/v1 HTTP/1.1\r\n" + H +
     b"Content-Length: 5\r\nContent-Length: 11\r\n\r\nhelloGET / X",
     expect_answer(400, "Content-Length is given more than once")),
    ("Content-Length in hex", b"POST /api/v1 HTTP/1.1\r\n" + H + b"Content-Length: 0x5\r\n\r\nhello",
     expect_answer(400, "Content-Length is not a number of bytes (only digits, no sign)")),
    ("Content-Length: +5", b"POST /api/v1 HTTP/1.1\r\n" + H + b"Content-Length: +5\r\n\r\nhello",
     expect_answer(400, "Content-Length is not a number of bytes (only digits, no sign)")),
    ("Content-Length: 5,5", b"POST /api/v1 HTTP/1.1\r\n" + H + b"Content-Length: 5,5\r\n\r\nhello",
     expect_answer(400, "Content-Length is not a number of bytes (only digits, no sign)")),
    ("Content-Length with spaces before it (allowed)",
     b"GET /healthz HTTP/1.1\r\n" + H + CLOSE + b"Content-Length:   5\r\n\r\nhello",
     expect_answer(200, problem=False)),
    ("Transfer-Encoding twice", b"POST /api/v1 HTTP/1.1\r\n" + H +
     b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     expect_answer(400, "Transfer-Encoding is given more than once")),
    ("Transfer-Encoding: gzip, chunked", b"POST /api/v1 HTTP/1.1\r\n" + H +
     b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
     expect_answer(501, "the only transfer coding supported is chunked")),
    ("Transfer-Encoding: xchunked", b"POST /api/v1 HTTP/1.1\r\n" + H +
     b"Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
     expect_answer(501, "the only transfer coding supported is chunked")),
    ("Transfer-Encoding: Chunked (any case)", b"GET /healthz HTTP/1.1\r\n" + H + CLOSE +
     b"Transfer-Encoding: Chunked\r\n\r\n0\r\n\r\n", expect_answer(200, problem=False)),
    ("a chunk size past 64 bits", chunked(b"/api/v1", b"FFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n"),
     expect_library(413)),
    ("a chunk size that is no number", chunked(b"/api/v1", b"zz\r\nhello\r\n0\r\n\r\n"),
     expect_library(400)),
    ("a chunk extension (allowed), on a route that takes no body",
     chunked(b"/api/v1", b"5;name=value\r\nhello\r\n0\r\n\r\n"),
     expect_answer(405, "POST is not allowed on /api/v1; allowed: GET, HEAD, OPTIONS")),
    ("bare LF line ends", b"GET /api/v1 HTTP/1.1\nHost: x\n\n",
     expect_answer(400, "a line of the request head ends in a bare LF; HTTP/1.1 lines end in CR LF")),
    ("a folded header line (obs-fold)", b"GET /api/v1 HTTP/1.1\r\n" + H + b"X-A: a\r\n b\r\n\r\n",
     expect_answer(400, "a header line is folded onto the next (obs-fold), which HTTP/1.1 forbids in "
                        "requests")),
    ("a space before the colon", b"GET /api/v1 HTTP/1.1\r\nHost : x\r\n\r\n",
     expect_answer(400, "a header name that is not a token (RFC 9110)")),
    ("a header line without a colon", b"GET /api/v1 HTTP/1.1\r\n" + H + b"Bogus\r\n\r\n",
     expect_library(400)),
    ("a CR inside a header value", b"GET /api/v1 HTTP/1.1\r\n" + H + b"X-A: a\rb\r\n\r\n",
     expect_answer(400, "a header value with a control character")),
    ("two Hosts", b"GET /api/v1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
     expect_answer(400, "Host is given more than once")),
    ("no Host in HTTP/1.1", b"GET /api/v1 HTTP/1.1\r\n\r\n",
     expect_answer(400, "no Host header, which HTTP/1.1 requires")),
    ("HTTP/1.0 without Host (allowed)", b"GET /healthz HTTP/1.0\r\n\r\n", expect_answer(200, problem=False)),
    ("a request after a refused one is never read",
     b"GET /api/v1 HTTP/1.1\r\n" + H + b"Transfer-Encoding: gzip\r\n\r\nGET /healthz HTTP/1.1\r\n" + H + b"\r\n",
     expect_answer(501, "the only transfer coding supported is chunked", close=True)),
    # -- oversized parts
    ("a 9 KB target", big_target(9000), expect_answer(414, "a request target longer than this server accepts")),
    ("a 12 KB target, past max-header-size too", big_target(12000), expect_answer(414, "a request target longer than this server accepts")),
    ("a 20 KB target, past the memory pool", big_target(20000), expect_library(414)),
    ("a 60 KB target, past the memory pool", big_target(60000), expect_library(414)),
    ("a 200 KB target, past the memory pool", big_target(200000), expect_library(414)),
    ("one 12 KB header", b"GET /api/v1 HTTP/1.1\r\n" + H + b"X-Big: " + b"a" * 12000 + b"\r\n\r\n",
     expect_answer(431, "request headers larger than this server accepts")),
    ("one 20 KB header, past the memory pool",
     b"GET /api/v1 HTTP/1.1\r\n" + H + b"X-Big: " + b"a" * 20000 + b"\r\n\r\n", expect_library(431)),
    ("one 200 KB header, past the memory pool",
     b"GET /api/v1 HTTP/1.1\r\n" + H + b"X-Big: " + b"a" * 200000 + b"\r\n\r\n", expect_library(431)),
    ("a declared body past the limit, with Expect",
     b"POST /api/v1 HTTP/1.1\r\n" + H + b"Content-Length: 99999999\r\nExpect: 100-continue\r\n\r\n",
     expect_answer(413, "the request body is larger than this server accepts")),
    ("a chunked body past the limit",
     chunked(b"/api/v1", (b"2710\r\n" + b"a" * 10000 + b"\r\n") * 7 + b"0\r\n\r\n"),
     expect_answer(413, "the request body is larger than this server accepts")),
    ("a 5,000-byte method", b"A" * 5000 + b" /api/v1 HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(501, "method AAAAAAAAAAAAAAA is not implemented; this server answers GET, HEAD and "
                        "OPTIONS")),
    # -- encodings
    ("%00 in the path", b"GET /api/v1/deals/x%00y HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "the path has an encoded NUL (%00)")),
    ("%00 in the query", b"GET /api/v1/deals?status=x%00 HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "the query has an encoded NUL (%00)")),
    ("overlong UTF-8 in the path", b"GET /api/v1/deals/%C0%AF HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "the path has bytes that are not valid UTF-8")),
    ("invalid UTF-8 in the query", b"GET /api/v1/deals?q=%FF HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "the query has bytes that are not valid UTF-8")),
    ("raw UTF-8 in the target", "GET /api/v1/deals?q=ă HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
     expect_answer(400, BAD_TARGET)),
    ("%2F inside a segment", b"GET /api/v1%2Fdeals HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "the path has an encoded '/' (%2F) inside a path segment")),
    ("double encoding stays encoded", b"GET /%252e%252e/etc/passwd HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(404, TRAVERSAL_404)),
    ("a bad percent-escape", b"GET /api/v1/deals/x%zz HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "the path has a '%' that is not followed by two hex digits")),
    # -- q=, the word search: what it finds, what it refuses, and what it would cost
    # (Numbers below 12,000, the deals under valgrind.)
    ("q= a word of one deal", search(b"11234"), expect_ids("d11234")),
    ("q= a prefix of eleven words", search(b"1123&sort=id"),
     expect_ids("d1123", *("d1123%d" % k for k in range(10)))),
    ("q= two words in any order", search(b"11234+DEAL"), expect_ids("d11234")),
    ("q= a phrase", search(b"%22deal+11234%22"), expect_ids("d11234")),
    ("q= a phrase out of order matches nothing", search(b"%2211234+deal%22"), expect_ids()),
    ("q= a word no deal holds", search(b"zircon"), expect_ids()),
    ("q= an unterminated phrase", search(b"%22deal"),
     expect_answer(400, "q has an unterminated phrase: the '\"' at character 1 is not closed")),
    ("q= an unterminated phrase after a word", search(b"deal+12%22345"),
     expect_answer(400, "q has an unterminated phrase: the '\"' at character 8 is not closed")),
    ("q= an empty phrase", search(b"%22+%22"),
     expect_answer(400, "q has an empty phrase at character 1: a phrase needs a word (letters or digits) "
                        "between its quotes")),
    ("q= no word at all", search(b"%21%21%21"),
     expect_answer(400, "q has no word to search for: a word is letters or digits")),
    ("q= 17 words", search(b"+".join(b"w%d" % k for k in range(17))),
     expect_answer(400, "q has 17 words: at most 16 are allowed")),
    ("q= one chunk of 17 words", search(b"-".join(b"w%d" % k for k in range(17))),
     expect_answer(400, "q has 17 words: at most 16 are allowed")),
    ("q= 17 words in a phrase", search(b"%22" + b"+".join(b"w%d" % k for k in range(17)) + b"%22"),
     expect_answer(400, "q has 17 words: at most 16 are allowed")),
    ("q= invalid UTF-8", search(b"%C3%28"), expect_answer(400, "the query has bytes that are not valid UTF-8")),
    ("q= a UTF-16 surrogate in UTF-8", search(b"%ED%A0%80"),
     expect_answer(400, "the query has bytes that are not valid UTF-8")),
    ("q= past U+10FFFF", search(b"%F4%90%80%80"), expect_answer(400, "the query has bytes that are not valid UTF-8")),
    ("q= an encoded NUL", search(b"deal%00"), expect_answer(400, "the query has an encoded NUL (%00)")),
    ("q= 300 bytes", search(b"a" * 300), expect_answer(400, "q is 300 bytes long: at most 256 are allowed")),
    ("q= 2,666 bytes, percent-encoded in 8,000", search(b"%C3%A9" * 1333),
     expect_answer(400, "q is 2666 bytes long: at most 256 are allowed")),
    ("q= past max-uri-size", search(b"a" * 9000),
     expect_answer(414, "a request target longer than this server accepts")),
    ("q= given twice", search(b"deal&q=deal"), expect_answer(400, "parameter \"q\" is given more than once")),
    # Every deal a candidate, each one's words read: 20 times the deals.
    ("q= a phrase of words every deal holds: past max-scan", search(b"%22some+room%22"),
     expect_answer(400, past_max_scan(lambda: DEALS * (1 + DEAL_WORDS)))),
    # Listed once, merged 15 times, scored 16 times.
    ("q= a common word sixteen times: past max-scan", search(b"+".join([b"deal"] * 16)),
     expect_answer(400, past_max_scan(lambda: DEALS * 32))),
    # -- the formats: CSV and NDJSON, whole exports under the budget
    ("an export of every deal: expensive, priced, streamed whole", export(b"format=ndjson&fields=id"),
     expect_export(lambda: DEALS, "application/x-ndjson")),
    ("a CSV export of one column, by Accept", export(b"fields=id&sort=-id").replace(
        CLOSE, CLOSE + b"Accept: text/csv\r\n"), expect_export(lambda: DEALS, "text/csv")),
    # Every id and every title read for :contains, then every deal checked: past max-scan.
    ("an export past max-scan", export(b"format=csv&id:contains=d&title:contains=deal"),
     expect_answer(400, export_past_max_scan(lambda: 3 * DEALS))),
    ("an export searched past max-scan", export(b"format=csv&title:contains=deal&q=room"),
     expect_answer(400, past_max_scan(lambda: 3 * DEALS))),
    ("limit=all on JSON", export(b"fields=id"),
     expect_answer(400, "limit=all streams every match, in CSV or NDJSON only (format=csv or "
                   "format=ndjson); a JSON page holds at most 1000 records")),
    ("format= not a format", b"GET /api/v1/deals?format=xml HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "format must be json, csv or ndjson, got \"xml\"")),
    ("format= given twice", b"GET /api/v1/deals?format=csv&format=ndjson HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "parameter \"format\" is given more than once")),
    ("bom=true on NDJSON", b"GET /api/v1/deals/d1?format=ndjson&bom=true HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "bom=true is for CSV...")),
    ("an Accept no format matches", b"GET /api/v1/deals HTTP/1.1\r\n" + H + b"Accept: image/png\r\n" + CLOSE + b"\r\n",
     expect_answer(406, "this resource is application/json, text/csv or application/x-ndjson, and the "
                   "Accept header excludes all three...")),
    # Past max-header-size, within the memory pool (POOL): the guard's 431, in JSON.
    ("an Accept of 12 KB", b"GET /api/v1/deals HTTP/1.1\r\n" + H + b"Accept: " + b"text/csv;q=0.1, " * 750 +
     b"\r\n" + CLOSE + b"\r\n", expect_answer(431, None)),
    # A HEAD of an export: its head, no chunks, and the connection closed after it.
    ("HEAD of an export, then a request behind it", export(b"format=csv&fields=id", b"HEAD").replace(CLOSE, b"") +
     b"GET /healthz HTTP/1.1\r\n" + H + CLOSE + b"\r\n", expect_statuses(200)),
    # -- traversal on the dashboard's files
    ("/../etc/passwd", b"GET /../etc/passwd HTTP/1.1\r\n" + H + CLOSE + b"\r\n", expect_answer(404, TRAVERSAL_404)),
    ("/%2e%2e/etc/passwd", b"GET /%2e%2e/etc/passwd HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(404, TRAVERSAL_404)),
    ("/.%2e", b"GET /.%2e HTTP/1.1\r\n" + H + CLOSE + b"\r\n", expect_answer(404, "no file ...")),
    ("/..%2f..%2fetc%2fpasswd", b"GET /..%2f..%2fetc%2fpasswd HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "the path has an encoded '/' (%2F) inside a path segment")),
    ("backslashes", b"GET /..\\..\\etc\\passwd HTTP/1.1\r\n" + H + CLOSE + b"\r\n", expect_answer(404, "no file ...")),
    ("/.git/config", b"GET /.git/config HTTP/1.1\r\n" + H + CLOSE + b"\r\n", expect_answer(404, TRAVERSAL_404)),
    ("a dotfile", b"GET /.env HTTP/1.1\r\n" + H + CLOSE + b"\r\n", expect_answer(404, "no file ...")),
    ("an encoded dotfile", b"GET /%2eenv HTTP/1.1\r\n" + H + CLOSE + b"\r\n", expect_answer(404, "no file ...")),
    ("%00 before an extension", b"GET /index.html%00.js HTTP/1.1\r\n" + H + CLOSE + b"\r\n",
     expect_answer(400, "the path has an encoded NUL (%00)")),
    # -- other protocols on the plain port
    ("an HTTP/2 prior-knowledge preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", expect_library(505)),
    ("a TLS ClientHello", TLS_CLIENT_HELLO, expect_closed(1)),
    ("an HTTP/0.9 request", b"GET /healthz\r\n\r\n", expect_library(400)),
    ("a lower-case version", b"GET /healthz http/1.1\r\n" + H + b"\r\n", expect_library(400)),
]


def run_cases(port):
    failures = []
    for i, case in enumerate(CASES):
        name, data, check = case[:3]
        shut = len(case) > 3 and case[3]
        o = exchange(port, src(2 + i % 7), data, wait=3.0, shut=shut)
        why = check(o)
        if why:
            failures.append("%s: %s" % (name, why))
    return len(CASES), failures


# ---- attacks that take many connections or some time ----

def attack_slowloris(port):
    """39 connections from three addresses send a head a byte every 0.4 s: all cut at header-timeout."""
    before = metric(port, 'attache_http_connections_closed_total{reason="header-timeout"}')
    socks = [connect(port, src(a)) for a in (3, 6, 7) for _ in range(13)]
    head = b"GET /api/v1 HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40
    closed, start, i = set(), time.monotonic(), 0
    while len(closed) < len(socks) and time.monotonic() - start < (HEADER_TIMEOUT + 3) * SLOW and i < len(head):
        for k, s in enumerate(socks):
            if k in closed:
                continue
            try:
                s.send(head[i:i + 1])
                s.setblocking(False)
                if s.recv(16) == b"":
                    closed.add(k)
            except (BlockingIOError, socket.timeout):
                pass
            except OSError:
                closed.add(k)
        i += 1
        time.sleep(0.4)
    took = time.monotonic() - start
    for s in socks:
        s.close()
    after = metric(port, 'attache_http_connections_closed_total{reason="header-timeout"}')
    if len(closed) < len(socks):
        return "%d of %d tricklers still open after %.1f s" % (len(socks) - len(closed), len(socks), took)
    if after - before < len(socks):
        return "header-timeout closed %d, expected %d" % (after - before, len(socks))
    return None


def attack_slow_body(port):
    """A body a byte every 0.3 s: cut once header-timeout has passed, without an answer."""
    s = connect(port, src(4))
    s.sendall(b"POST /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
    start = time.monotonic()
    end = None
    while time.monotonic() - start < (HEADER_TIMEOUT + 3) * SLOW:
        try:
            s.send(b"a")
            s.settimeout(0.3)
            data = s.recv(100)
            if data:
                return "answered: %r" % data[:100]
            end = time.monotonic() - start
            break
        except socket.timeout:
            continue
        except OSError:
            end = time.monotonic() - start
            break
    s.close()
    if end is None:
        return "a body at 3 bytes a second was never cut"
    return None if end < (HEADER_TIMEOUT + 2) * SLOW else "cut after %.1f s" % end


def attack_abandoned(port):
    """20 half requests from one address, each then FIN: closed at once, the address's slots free."""
    socks = []
    for i in range(PER_IP):
        s = connect(port, src(8))
        s.sendall(b"GET /api/v1 HTTP/1.1\r\nHost: x\r\nX-Half: " if i % 2 else b"GET /api/v1/de")
        s.shutdown(socket.SHUT_WR)
        socks.append(s)
    for s in socks:
        o = read_until_end(s, 2)
        s.close()
        if o.data or o.end == "open" or o.seconds > 1 * SLOW:
            return "a half request got %r, %s after %.2f s" % (o.data[:80], o.end, o.seconds)
    # The address's count is free again: as many new connections as the limit are served.
    deadline = time.monotonic() + 1 * SLOW
    while True:
        socks = [connect(port, src(8)) for _ in range(PER_IP)]
        ok = 0
        for s in socks:
            try:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + CLOSE + b"\r\n")
                a = read_until_end(s, 2).answers()
                ok += bool(a) and a[0][0] == 200
            except OSError:
                pass
            s.close()
        if ok == PER_IP:
            return None
        if time.monotonic() > deadline:
            return "only %d of %d connections served after the halves left" % (ok, PER_IP)
        time.sleep(0.05)


def server_sockets_open(port, socks):
    """
    How many of the clients' connections the server still has open, from
    /proc/net/tcp: the server's end is ESTABLISHED until it closes it. (The
    client cannot tell: the server's FIN waits behind answers it never reads.)
    """
    def key(addr, p):
        return "%08X:%04X" % (int.from_bytes(socket.inet_aton(addr), "little"), p)

    peers = {key(*s.getsockname()) for s in socks}
    me = key(HOST, port)
    n = 0
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == me and fields[2] in peers and fields[3] == "01":
                n += 1
    return n


def never_read(port, requests):
    """
    Sends each request in requests from a client with a 4 KB window (half from
    127.0.0.5, half from 127.0.0.10) that never reads; returns the sockets.
    """
    socks = []
    for k, req in enumerate(requests):
        s = connect(port, src(5 if k % 2 else 10), rcvbuf=4096)
        s.setblocking(False)
        try:
            s.send(req)
        except BlockingIOError:
            pass
        socks.append(s)
    return socks


def closed_after_idle(port, socks, what):
    """None once the server has closed every one of socks within idle-timeout (and some), else why not."""
    deadline = time.monotonic() + (IDLE_TIMEOUT + 3) * SLOW
    while time.monotonic() < deadline and server_sockets_open(port, socks):
        time.sleep(0.25)
    still = server_sockets_open(port, socks)
    for s in socks:
        s.close()
    if still:
        return "%d of %d %s still open after %.0f s:\n%s" % (
            still, len(socks), what, (IDLE_TIMEOUT + 3) * SLOW, sockets_of(port))
    return None


def attack_never_read(port):
    """20 clients with a 4 KB window pipeline 30 requests for big answers and never read."""
    socks = never_read(port, [b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n" * 30] * 20)
    # Nothing moves on them: closed after idle-timeout, and meanwhile the monitor is served.
    return closed_after_idle(port, socks, "readers that never read")


def attack_exports_never_read(port):
    """
    20 clients with a 4 KB window ask for whole exports of every deal and
    never read: each is priced and its place among the expensive queries
    given back before its stream, so the streams stall but hold nothing of
    the budget; they are closed after idle-timeout, and a cheap export and
    the monitor are served meanwhile. Under valgrind, which runs one thread
    at a time some fifty times slower, the first 64 KiB of rows of 20
    exports take the monitor past its 5 s: 3 from each address there.
    """
    socks = never_read(port, [b"GET /api/v1/deals?format=%s&limit=all HTTP/1.1\r\nHost: x\r\n\r\n"
                              % (b"csv" if k % 2 else b"ndjson") for k in range(6 if VALGRIND else 20)])
    time.sleep(0.5 * SLOW)
    st, h, _ = http_get(port, "/api/v1/deals?format=ndjson&limit=5", src(20))
    if st != 200:
        return "a page as NDJSON while %d exports stall: %r %r" % (len(socks), st, h)
    return closed_after_idle(port, socks, "stalled exports")


def attack_per_ip_flood(port):
    """PER_IP + 8 connections from one address: the extra ones are closed without an answer."""
    socks, refused = [], 0
    for _ in range(PER_IP + 8):
        s = connect(port, src(11))
        socks.append(s)
    time.sleep(0.2)
    served = 0
    for s in socks:
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            s.settimeout(2 * SLOW)
            data = s.recv(4096)
            if data.startswith(b"HTTP/1.1 200 "):
                served += 1
            elif data == b"":
                refused += 1
            else:
                return "a flood connection got %r" % data[:80]
        except (ConnectionResetError, BrokenPipeError):
            refused += 1
        except socket.timeout:
            return "a flood connection got neither an answer nor a close"
    for s in socks:
        s.close()
    if served != PER_IP or refused != 8:
        return "served %d, refused %d; expected %d and 8" % (served, refused, PER_IP)
    return None


def sockets_of(port):
    """The sockets on port, as ss lists them, to tell what a failure left open."""
    try:
        return subprocess.run(["ss", "-tn", "state", "all", "( sport = :%d or dport = :%d )" % (port, port)],
                              capture_output=True, text=True, timeout=5).stdout[-3000:]
    except (OSError, subprocess.SubprocessError):
        return "(ss is not available)"


def settle(port, open_at_most, wait=3.0):
    """Waits until the server holds at most so many connections (the monitor's and the asker's)."""
    deadline = time.monotonic() + wait * SLOW
    while metric(port, "attache_http_open_connections") > open_at_most and time.monotonic() < deadline:
        time.sleep(0.05)


def answered(socks, wait):
    """Splits sockets into those answered 200 within wait seconds, those closed, those still waiting."""
    served, closed, waiting = [], [], list(socks)
    deadline = time.monotonic() + wait * SLOW
    while waiting and time.monotonic() < deadline:
        for s in list(waiting):
            s.setblocking(False)
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            waiting.remove(s)
            (served if data.startswith(b"HTTP/1.1 200 ") else closed).append(s)
        time.sleep(0.05)
    return served, closed, waiting


def attack_global_flood(port):
    """
    Connections from 15 addresses past max-connections: those past the limit
    wait unanswered in the listen backlog (libmicrohttpd stops accepting),
    and are served as soon as others close. The monitor's goes on throughout.
    """
    settle(port, 2)
    socks = []
    for a in range(20, 35):
        for _ in range(PER_IP):
            s = connect(port, src(a))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            socks.append(s)
    # Within header-timeout: past it, served connections idle between requests are closed.
    served, closed, waiting = answered(socks, min(1.5 * SLOW, HEADER_TIMEOUT - 0.3) / SLOW)
    why = None
    if len(served) + 1 != MAX_CONNECTIONS or closed or len(waiting) != len(socks) - len(served):
        why = "%d served (+1 monitor), %d closed, %d waiting of %d; expected %d served in all" % (
            len(served), len(closed), len(waiting), len(socks), MAX_CONNECTIONS)
    else:
        for s in served:
            s.close()
        later, closed, still = answered(waiting, 2)
        if len(later) != len(waiting):
            why = "after the first closed, %d of %d waiting were served (%d closed)" % (
                len(later), len(waiting), len(closed))
    for s in socks:
        s.close()
    return why


def attack_expensive(port):
    """
    Six clients each search for a word every deal holds, each request on a
    new connection (a keep-alive one stays with the server thread that took
    it, and six on one thread would never overlap): a few run, the rest get
    503 at once.
    """
    counts = {"ok": 0, "busy": 0, "other": []}
    stop = time.monotonic() + 2 * SLOW
    lock = threading.Lock()

    def client(n):
        req = b"GET /api/v1/deals?q=room&limit=1 HTTP/1.1\r\n" + H + CLOSE + b"\r\n"
        for _ in range(2000):
            if time.monotonic() > stop:
                break
            a = exchange(port, src(12 + n), req, wait=5.0).answers()
            with lock:
                if len(a) != 1:
                    counts["other"].append(("answers", len(a)))
                    continue
                st, _, h, body = a[0]
                if st == 200:
                    counts["ok"] += 1
                elif st == 503 and h.get("retry-after") == "1" and h.get("content-type") == PROBLEM:
                    counts["busy"] += 1
                else:
                    counts["other"].append((st, body[:100]))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Valgrind runs one thread at a time: no two queries ever overlap there.
    if counts["other"] or not counts["ok"] or (not counts["busy"] and not VALGRIND):
        return "answered %d, turned away %d, other %s" % (counts["ok"], counts["busy"], counts["other"][:3])
    # Past max-scan: every title read for :contains, then room's postings, listed and scored.
    st, h, body = http_get(port, "/api/v1/deals?title:contains=deal&q=room", src(19))
    want = ("this query would examine %d records and values, more than the %d this server "
            "examines for one request (max-scan)" % (3 * DEALS, MAX_SCAN))
    if st != 400 or not json.loads(body)["detail"].startswith(want):
        return "past max-scan: %r %r" % (st, body[:200])
    return None


ATTACKS = [
    ("slowloris: heads a byte at a time", attack_slowloris),
    ("a body a byte at a time", attack_slow_body),
    ("half requests, then FIN, from one address", attack_abandoned),
    ("clients that never read, with a tiny window", attack_never_read),
    ("whole exports that are never read", attack_exports_never_read),
    ("a flood past the per-address limit", attack_per_ip_flood),
    ("a flood past the global limit", attack_global_flood),
    ("expensive queries from six clients", attack_expensive),
]


# ---- the well-behaved client ----

def monitor(port, stop_file, out_file):
    """Asks /healthz every 10 ms on one keep-alive connection; writes the times (ms) to out_file."""
    times, failures = [], 0
    s = None
    while not os.path.exists(stop_file):
        try:
            if s is None:
                s = connect(port, MONITOR_SOURCE)
            start = time.monotonic()
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while not (b"\r\n\r\n" in data and data.endswith(b'{"status":"ok"}')):
                chunk = s.recv(4096)
                if not chunk:
                    raise ConnectionError("closed")
                data += chunk
            times.append((time.monotonic() - start) * 1000)
        except OSError:
            failures += 1
            if s:
                s.close()
            s = None
        time.sleep(0.01)
    with open(out_file, "w") as f:
        json.dump({"times": times, "failures": failures}, f)


# ---- the server ----

def big_data(path, deals):
    with open(path, "w") as f:
        f.write('{"dataset":{"title":"hostile","version":"1",'
                '"vocabularies":{"basis":[{"id":"contract","label":"Contract"}]}},'
                '"sources":[{"id":"g","title":"generated","publisher":null,"date":null,"url":null}],'
                '"countries":[{"code":"KR","name":"South Korea",'
                '"evidence":[{"source":"g","quote":"Korea"}]}],"meetings":[],"deals":[')
        f.write(",".join(
            '{"id":"d%d","title":"Deal %d","countries":["KR"],"sector":"s","status":"proposed",'
            '"value":{"amount":%d,"currency":"KRW","basis":"contract","estimate":false},'
            '"companies":[],"meetings":[],"summary":"A summary that takes some room.",'
            '"evidence":[{"source":"g","quote":"Deal %d"}]}' % (i, i, i, i) for i in range(deals)))
        f.write("]}")


class Server:
    def __init__(self, binary, data, log, valgrind):
        self.port = free_port()
        cmd = [binary, "--port", str(self.port), "--data", data, "--threads", "2",
               "--max-connections", str(MAX_CONNECTIONS), "--max-connections-per-ip", str(PER_IP),
               "--header-timeout", str(HEADER_TIMEOUT), "--idle-timeout", str(IDLE_TIMEOUT),
               "--shutdown-grace", str(GRACE), "--max-scan", str(MAX_SCAN), "--access-log=false"]
        if valgrind:
            cmd = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
                   "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite",
                   "--track-fds=no"] + cmd
        self.log = open(log, "w")
        self.proc = subprocess.Popen(cmd, env=clean_env(), stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60 * SLOW
        while True:
            try:
                urllib.request.urlopen("http://%s:%d/healthz" % (HOST, self.port), timeout=1)
                return
            except Exception:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.proc.kill()
                    raise RuntimeError("the server did not start; see %s" % log)
                time.sleep(0.1)

    def stop(self, timeout):
        start = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "killed after %.0f s" % timeout
        self.log.close()
        return rc, time.monotonic() - start


def process_cases(binary, data, tmp):
    """What only a whole process shows: a FIFO at the data path, --gzip false."""
    failures = []
    fifo = os.path.join(tmp, "data.fifo")
    os.mkfifo(fifo)
    try:
        p = subprocess.run([binary, "--port", "0", "--data", fifo], env=clean_env(),
                           capture_output=True, text=True, timeout=10 * SLOW)
        if p.returncode != 1 or "%s: not a regular file (a FIFO)" % fifo not in p.stderr:
            failures.append("6. a FIFO at start: exit %d, %s" % (p.returncode, p.stderr[-300:]))
    except subprocess.TimeoutExpired:
        failures.append("6. a FIFO at start: still running after %.0f s" % (10 * SLOW))
    p = subprocess.run([binary, "--gzip", "false", "--print-config"], env=clean_env(),
                       capture_output=True, text=True, timeout=10 * SLOW)
    if "gzip = false\n    # from flag --gzip" not in p.stdout:
        failures.append("10. --gzip false: %s%s" % (p.stdout[-200:], p.stderr[-200:]))
    return 2, failures


def reload_cases(server, data, tmp):
    """A FIFO swapped in and SIGHUP: refused, still serving; then SIGTERM during a long reload."""
    failures = []
    fifo = os.path.join(tmp, "swap.fifo")
    os.mkfifo(fifo)
    os.rename(data, data + ".real")
    os.rename(fifo, data)
    server.proc.send_signal(signal.SIGHUP)
    deadline, err = time.monotonic() + 10 * SLOW, None
    while time.monotonic() < deadline:
        st, _, body = http_get(server.port, "/readyz")
        err = st == 200 and (json.loads(body).get("last_reload_error") or {}).get("message")
        if err:
            break
        time.sleep(0.1)
    if err != "%s: not a regular file (a FIFO)" % data:
        failures.append("6. a FIFO on SIGHUP: /readyz says %r" % err)
    st, _, _ = http_get(server.port, "/api/v1/deals/d1")
    if st != 200:
        failures.append("6. a FIFO on SIGHUP: the data stopped being served (%r)" % st)
    os.unlink(data)
    os.rename(data + ".real", data)
    server.proc.send_signal(signal.SIGHUP)
    time.sleep(0.2 * SLOW)   # loading 30,000 deals takes longer than this
    rc, took = server.stop(timeout=30 * SLOW)
    if rc != 0 or took > GRACE * SLOW:
        failures.append("5. SIGTERM during a reload: exit %s after %.2f s (grace %d s)" % (rc, took, GRACE))
    return 3, failures


def main():
    global SLOW, DEALS, MAX_SCAN, VALGRIND
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", help="the attache binary")
    ap.add_argument("--valgrind", action="store_true", help="run the server under valgrind's memcheck")
    ap.add_argument("--slow", type=float, default=1.0, metavar="FACTOR",
                    help="multiply every time bound, the latency bound included, by FACTOR "
                         "(a sanitizer build answers some two to three times slower)")
    ap.add_argument("--monitor", nargs=3, metavar=("PORT", "STOP", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.monitor:
        monitor(int(args.monitor[0]), args.monitor[1], args.monitor[2])
        return
    binary = os.path.abspath(args.bin)
    SLOW = max(1.0, args.slow)
    if args.valgrind:
        VALGRIND = True
        SLOW = 8.0
        DEALS = 12000
        MAX_SCAN = DEALS * 5 // 2
    tmp = tempfile.mkdtemp(prefix="attache-hostile-")
    failures, ran, servers = [], 0, []
    started = time.monotonic()
    try:
        data = os.path.join(tmp, "data.json")
        big_data(data, DEALS)
        n, f = process_cases(binary, data, tmp)
        ran += n
        failures += f
        server = Server(binary, data, os.path.join(tmp, "server.log"), args.valgrind)
        servers.append(server)
        stop_file, out_file = os.path.join(tmp, "stop"), os.path.join(tmp, "latency.json")
        mon = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--monitor", str(server.port),
                                stop_file, out_file])
        try:
            time.sleep(0.3)
            n, f = run_cases(server.port)
            ran += n
            failures += f
            for name, attack in ATTACKS:
                ran += 1
                why = attack(server.port)
                if why:
                    failures.append("%s: %s" % (name, why))
            st, _, _ = http_get(server.port, "/healthz")
            if st != 200:
                failures.append("after the attacks, /healthz answered %r" % st)
        finally:
            open(stop_file, "w").close()
            mon.wait(timeout=30)
        n, f = reload_cases(server, data, tmp)
        ran += n
        failures += f
        with open(out_file) as fh:
            lat = json.load(fh)
        times = sorted(lat["times"])
        p50 = times[len(times) // 2] if times else float("inf")
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else float("inf")
        print("hostile: the well-behaved client from %s: %d answers, p50 %.1f ms, p99 %.1f ms, max %.1f ms, "
              "%d failures" % (MONITOR_SOURCE, len(times), p50, p99, times[-1] if times else 0, lat["failures"]))
        if lat["failures"]:
            failures.append("the well-behaved client lost %d requests" % lat["failures"])
        if not args.valgrind and p99 > LATENCY_P99_MS * SLOW:
            failures.append("the well-behaved client's p99 was %.1f ms, over the %.0f ms bound"
                            % (p99, LATENCY_P99_MS * SLOW))
        with open(os.path.join(tmp, "server.log")) as fh:
            log = fh.read()
        # A sanitizer's report; valgrind's errors make the server exit 99, caught at the stop.
        for report in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
            if report in log:
                failures.append("the server's log has a report (%s):\n%s" % (report, log[-3000:]))
                break
    finally:
        for server in servers:   # one the suite did not stop itself, as when it failed
            if server.proc.poll() is None:
                server.proc.kill()
                server.proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    took = time.monotonic() - started
    if failures:
        for f in failures:
            print("hostile: FAIL %s" % f, file=sys.stderr)
        print("hostile: %d of %d cases failed (%.0f s)" % (len(failures), ran, took), file=sys.stderr)
        sys.exit(1)
    print("hostile: %d cases passed in %.0f s" % (ran, took))


if __name__ == "__main__":
    main()
