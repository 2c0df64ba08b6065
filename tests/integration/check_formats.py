#!/usr/bin/env python3
"""CSV and NDJSON against JSON, over real HTTP, and whole exports at flat memory.

1. Every list route (and a record route), with several queries, answers the
   same records in each format: the CSV parses back with Python's csv module
   to exactly the cells this script computes from the JSON answer (nested
   members as dotted columns, arrays joined with "; ", null empty, formula
   text prefixed with a quote, integers exact), and no value of the JSON is
   without a column; NDJSON lines parse to the JSON list's records. Accept
   negotiation, format=, headers, ETags, 304s and gzip are checked on the way.
2. A generated dataset of RECORDS deals (default 100000, with text that needs
   quoting, neutralizing and UTF-8) is exported whole (limit=all) as CSV,
   gzipped CSV and NDJSON while the server's resident memory (VmRSS from
   /proc/PID/status) is sampled: it must not grow by more than
   MEMORY_BOUND_MB over what it was before the export; each export must be
   complete and well formed, its CSV rows equal to its NDJSON records.
3. A reload (SIGHUP, with the data file changed) in the middle of an export
   does not tear it: the export carries the old data to its last record.

    tests/integration/check_formats.py --bin build/attache [--records N]
"""
import argparse
import csv
import http.client
import io
import json
import os
import signal
import sys
import tempfile
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from attache import Server  # noqa: E402

# What an export may add to the server's resident memory: 4 bytes a record of
# positions, a 64 KiB chunk, libmicrohttpd's buffers and zlib's ~300 KiB when
# gzipped, rounded up generously; building the body in memory would take the
# body's size (tens of MB at 10^5 records).
MEMORY_BOUND_MB = 8
FORMULA = ("=", "+", "-", "@", "\t", "\r")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


# ---- HTTP ----

def get(base, target, headers=None, method="GET"):
    """(status, headers as a dict of lower-case names, body bytes)."""
    host, port = base.split("//")[1].split(":")
    c = http.client.HTTPConnection(host, int(port), timeout=60)
    c.request(method, target, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    h = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, h, body


# ---- flattening JSON the way the CSV is documented to be ----

def slots(v, keys):
    """The values column keys takes from v, one slot per array element (None: empty)."""
    if isinstance(v, list):
        out = []
        for e in v:
            out.extend(slots(e, keys) or [None])
        return out
    if not keys:
        return [v]
    if isinstance(v, dict):
        return slots(v[keys[0]], keys[1:]) if keys[0] in v else []
    return [None] if v is None else [v]


def direct(v, keys):
    """The value at keys through objects only; None when it is absent or an array is on the way."""
    for k in keys:
        if not isinstance(v, dict) or k not in v:
            return None
        v = v[k]
    return None if isinstance(v, list) else v


def text_of(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (dict, list)):
        return json.dumps(x, separators=(",", ":"), ensure_ascii=False)
    return str(x)


def expected_cell(record, column):
    keys = column.split(".")
    vals = slots(record[keys[0]], keys[1:])
    if all(v is None for v in vals):
        return ""
    single = direct(record, keys)
    if isinstance(single, int) and not isinstance(single, bool):
        return str(single)   # a number: exact, never neutralized
    text = "; ".join("" if v is None else text_of(v) for v in vals)
    return "'" + text if text.startswith(FORMULA) else text


def leaf_paths(v, path, out):
    """Every path (arrays transparent) that holds a value that is not null."""
    if isinstance(v, list):
        for e in v:
            leaf_paths(e, path, out)
    elif isinstance(v, dict):
        for k, x in v.items():
            leaf_paths(x, path + "." + k if path else k, out)
    elif v is not None:
        out.add(path)


def csv_rows(body):
    text = body.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    check(text == "" or text.endswith("\r\n"), "a CSV body ends with CRLF")
    return list(csv.reader(io.StringIO(text, newline="")))


def compare_csv(what, body, records, coverage=1000):
    """
    The CSV body holds records (parsed JSON) exactly, flattened as documented;
    the first coverage records are also checked to have no value outside a column.
    """
    rows = csv_rows(body)
    if not check(rows, "%s: CSV has a header row" % what):
        return
    header, rows = rows[0], rows[1:]
    if not check(len(rows) == len(records), "%s: %d CSV rows for %d records" % (what, len(rows), len(records))):
        return
    for i, (rec, row) in enumerate(zip(records, rows)):
        if not check(len(row) == len(header), "%s: a row of %d cells under %d columns" % (what, len(row), len(header))):
            return
        want = [expected_cell(rec, col) for col in header]
        if not check(row == want, "%s: record %s\n  CSV  %s\n  JSON %s" % (what, rec.get("id", rec.get("code")), row, want)):
            return
        if i >= coverage:
            continue
        paths = set()
        leaf_paths(rec, "", paths)
        lost = [p for p in paths if p not in header]
        if not check(not lost, "%s: values without a column: %s" % (what, lost)):
            return


def compare_ndjson(what, body, records):
    text = body.decode("utf-8")
    check(text == "" or text.endswith("\n"), "%s: NDJSON ends with a newline" % what)
    lines = [json.loads(line) for line in text.split("\n") if line]
    check(lines == records, "%s: NDJSON lines differ from the JSON records" % what)


# ---- 1: every route and format against JSON ----

QUERIES = [
    "",
    "sort=-value.amount&fields=id,value,countries,value_alt",
    "q=nuclear&fields=summary,title,id",
    "status=proposed&sort=title&offset=2&limit=3",
    "value.estimate=true&fields=id,value,evidence,inferences",
    "q=%22nuclear+power%22+romania&fields=id,title",
    "sort=status,-value.basis&fields=id,status,value,aliases",
]

ROUTES = [
    ("/api/v1/deals", QUERIES),
    ("/api/v1/meetings", ["", "kind=bilateral&sort=-date", "fields=id,counterpart,participants,delegation"]),
    ("/api/v1/countries", ["", "fields=code,leader,roles&sort=name"]),
    ("/api/v1/countries/RO/deals", ["", "fields=id,value"]),
    ("/api/v1/countries/jp/meetings", [""]),
    ("/api/v1/meetings/bilateral-ro/deals", ["", "sort=title&limit=2"]),
    ("/api/v1/sources", ["", "fields=id,publisher,date"]),
    ("/api/v1/sources/businesskorea-sales-diplomacy/deals", ["", "sector=nuclear&fields=id,evidence"]),
    ("/api/v1/sources/businesskorea-sales-diplomacy/countries", ["fields=code,aliases,evidence"]),
]


def with_query(path, query, extra):
    parts = [p for p in (query, extra) if p]
    return path + ("?" + "&".join(parts) if parts else "")


def without_paging(query):
    return "&".join(p for p in query.split("&") if p and not p.startswith(("limit=", "offset=")))


def check_routes(base):
    for path, queries in ROUTES:
        for query in queries:
            target = with_query(path, query, "")
            st, h, body = get(base, with_query(path, query, "limit=1000" if "limit=" not in query else ""))
            if not check(st == 200, "%s: JSON %d" % (target, st)):
                continue
            listing = json.loads(body)
            records, total = listing["data"], listing["meta"]["total"]
            for name, how in (("csv", {"extra": "format=csv"}), ("csv", {"accept": "text/csv"}),
                              ("ndjson", {"extra": "format=ndjson"}),
                              ("ndjson", {"accept": "application/x-ndjson"})):
                extra = how.get("extra", "")
                if "limit=" not in query:
                    extra = "&".join(x for x in (extra, "limit=1000") if x)
                t = with_query(path, query, extra)
                headers = {"Accept": how["accept"]} if "accept" in how else {}
                st, h, body = get(base, t, headers)
                what = "%s (%s)" % (t, headers or "format=")
                if not check(st == 200, "%s: %d %s" % (what, st, body[:200])):
                    continue
                media = "text/csv; charset=utf-8; header=present" if name == "csv" else "application/x-ndjson"
                check(h.get("content-type") == media, "%s: Content-Type %s" % (what, h.get("content-type")))
                check(h.get("x-total-count") == str(total), "%s: X-Total-Count %s, JSON total %d" % (what, h.get("x-total-count"), total))
                check("rel=\"first\"" in h.get("link", ""), "%s: a page has a Link header" % what)
                check(h.get("vary") == "Accept, Accept-Encoding, Origin", "%s: Vary %s" % (what, h.get("vary")))
                check(("content-disposition" in h) == ("format=" in t), "%s: Content-Disposition only for format=" % what)
                (compare_csv if name == "csv" else compare_ndjson)(what, body, records)
            # The whole list, streamed, is the same records.
            whole = without_paging(query)
            full = json.loads(get(base, with_query(path, whole, "limit=1000"))[2])["data"]
            for name in ("csv", "ndjson"):
                t = with_query(path, whole, "format=%s&limit=all" % name)
                st, h, body = get(base, t)
                check(h.get("transfer-encoding") == "chunked", "%s: streamed chunked" % t)
                check("link" not in h, "%s: an export has no Link header" % t)
                (compare_csv if name == "csv" else compare_ndjson)(t, body, full)
    # A record is one row or one line.
    st, h, body = get(base, "/api/v1/meetings/photo-asia-pacific?format=csv")
    rec = json.loads(get(base, "/api/v1/meetings/photo-asia-pacific")[2])
    compare_csv("a meeting as CSV", body, [rec])
    check(h.get("content-disposition") == 'attachment; filename="meetings-photo-asia-pacific-vilnius-2023.csv"',
          "a record's download name: %s" % h.get("content-disposition"))


def check_http(base):
    t = "/api/v1/deals?format=csv"
    st, h, body = get(base, t)
    check(h.get("content-disposition") == 'attachment; filename="deals-vilnius-2023.csv"', "download name %s" % h.get("content-disposition"))
    etag = h.get("etag")
    st, h2, _ = get(base, "/api/v1/deals")
    check(etag and etag != h2.get("etag"), "CSV and JSON have their own ETags")
    st, h3, b3 = get(base, t, {"If-None-Match": etag})
    check(st == 304 and not b3, "If-None-Match on CSV gives 304 (got %d)" % st)
    st, hg, gz = get(base, "/api/v1/deals?format=csv&limit=all", {"Accept-Encoding": "gzip"})
    check(hg.get("content-encoding") == "gzip" and hg.get("etag", "").endswith('-gz"'), "a streamed export is gzipped: %s" % hg)
    st, hp, plain = get(base, "/api/v1/deals?format=csv&limit=all")
    check(zlib.decompress(gz, 16 + zlib.MAX_WBITS) == plain, "the gzipped export inflates to the plain one")
    st, hh, hb = get(base, "/api/v1/deals?format=ndjson&limit=all", method="HEAD")
    deals = json.loads(get(base, "/api/v1")[2])["counts"]["deals"]
    check(st == 200 and not hb and hh.get("x-total-count") == str(deals), "HEAD of an export: headers, no body")
    st, h, body = get(base, "/api/v1/deals", {"Accept": "text/html"})
    check(st == 406 and b"text/csv" in body, "406 names the three formats: %s" % body[:200])
    st, h, body = get(base, "/api/v1/deals?format=csv&bom=true&fields=title&sort=title&limit=1")
    check(body.startswith(b"\xef\xbb\xbftitle\r\n"), "bom=true starts with the BOM: %r" % body[:20])


# ---- 2 and 3: a generated dataset, exported whole ----

TRICKY = ["=SUM(A1:A9)", "+82 2 123 4567", "-5", "@mention", "Cernavodă, Constanța", "한국수력원자력 \"KHNP\"",
          "two\nlines", "tab\there", "plain"]


def generate(path, n, version):
    codes = ["KR", "RO", "NL", "SE", "PL", "FI"]
    deals = []
    for i in range(n):
        t = TRICKY[i % len(TRICKY)]
        deals.append({
            "id": "d%d" % i, "title": "%s deal %d %s" % (version, i, t),
            "countries": ["KR", codes[1 + i % 5]], "sector": ["nuclear", "ports"][i % 2],
            "status": "proposed",
            "value": {"amount": i * 1000003 + 9007199254000000 % (i + 1), "currency": "KRW",
                      "basis": ["contract", "project"][i % 2], "estimate": i % 7 == 0} if i % 3 else None,
            "companies": [t, "Korea Hydro & Nuclear Power"] if i % 4 == 0 else [],
            "meetings": [], "location": TRICKY[(i + 3) % len(TRICKY)] if i % 5 == 0 else None,
            "summary": "Summary of %d: %s. A generated record, long enough to weigh what a real "
                       "summary weighs in an export of the whole collection." % (i, t),
            "evidence": [{"source": "generated", "quote": "Quote %d: %s" % (i, t)}] +
                        ([{"source": "generated", "quote": "=a second; quote"}] if i % 6 == 0 else []),
        })
    cite = [{"source": "generated", "quote": "A generated country."}]
    data = {"dataset": {"id": "generated", "title": "generated", "version": version,
                        "vocabularies": {"basis": [{"id": "contract", "label": "Contract"},
                                                   {"id": "project", "label": "Project"}]}},
            "sources": [{"id": "generated", "title": "check_formats.py", "publisher": None,
                         "date": None, "url": None}],
            "countries": [{"code": c, "name": c, "evidence": cite} for c in codes], "meetings": [],
            "deals": deals}
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    os.replace(tmp, path)


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def stream(base, target, headers, on_chunk):
    """Reads target in 64 KiB pieces, calling on_chunk(bytes_so_far); returns the body and headers."""
    host, port = base.split("//")[1].split(":")
    c = http.client.HTTPConnection(host, int(port), timeout=120)
    c.request("GET", target, headers=headers)
    r = c.getresponse()
    parts, got = [], 0
    while True:
        piece = r.read(65536)
        if not piece:
            break
        parts.append(piece)
        got += len(piece)
        on_chunk(got)
    h = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return b"".join(parts), h


def check_exports(binary, n, work):
    path = os.path.join(work, "big.json")
    generate(path, n, "v1")
    server = Server(binary, cwd=ROOT, timeout=120, args=["--data", path, "--threads", "2"])
    try:
        check_export_memory(server, n)
        check_reload_mid_export(server, n, path)
    finally:
        rc = server.stop(timeout=60)
        check(rc == 0, "the server stopped cleanly (exit %s): %s" % (rc, server.stderr()[-2000:]))


def check_export_memory(server, n):
    base, pid = server.base, server.proc.pid
    get(base, "/api/v1/deals?format=csv&limit=10")
    get(base, "/api/v1/deals?format=ndjson&limit=10", {"Accept-Encoding": "gzip"})
    bodies = {}
    for name, target, headers in (
            ("NDJSON", "/api/v1/deals?format=ndjson&limit=all", {}),
            ("CSV", "/api/v1/deals?format=csv&limit=all&bom=true", {}),
            ("gzipped CSV", "/api/v1/deals?format=csv&limit=all", {"Accept-Encoding": "gzip"})):
        before = rss_kb(pid)
        peak = [before]
        t0 = time.time()
        body, h = stream(base, target, headers, lambda got: peak.append(rss_kb(pid)) if got % (1 << 20) < 65536 else None)
        secs = time.time() - t0
        wire = len(body)
        if h.get("content-encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        bodies[name] = body
        grew = (max(peak) - before) / 1024.0
        print("check_formats: %s export of %d records: %.1f MB (%.1f MB sent) in %.2f s; "
              "server RSS %.1f MB before, +%.1f MB at most during it (bound %d MB, %d samples)"
              % (name, n, len(body) / 1e6, wire / 1e6, secs, before / 1024.0, grew, MEMORY_BOUND_MB, len(peak)),
              flush=True)
        check(grew <= MEMORY_BOUND_MB, "%s export: RSS grew by %.1f MB, over the %d MB bound" % (name, grew, MEMORY_BOUND_MB))
        # Built in memory, the body alone would have broken the bound.
        check(len(body) > 2 * MEMORY_BOUND_MB * 1e6, "%s export is too small to show memory (%d bytes)" % (name, len(body)))
        check(h.get("x-total-count") == str(n), "%s: X-Total-Count %s" % (name, h.get("x-total-count")))
    records = [json.loads(line) for line in bodies["NDJSON"].decode("utf-8").split("\n") if line]
    check([r["id"] for r in records] == ["d%d" % i for i in range(n)], "the NDJSON export holds every record once, in order")
    check(bodies["CSV"].startswith(b"\xef\xbb\xbf"), "bom=true on the export")
    compare_csv("CSV export", bodies["CSV"], records)
    check(bodies["gzipped CSV"] == bodies["CSV"][3:], "the gzipped export inflates to the same CSV")


def check_reload_mid_export(server, n, path):
    base = server.base
    state = {"reloaded": False}

    def maybe_reload(got):
        # A few MB in, change the data and reload, and wait for the new generation to serve.
        if got >= (4 << 20) and not state["reloaded"]:
            state["reloaded"] = True
            generate(path, n // 10, "v2")
            server.proc.send_signal(signal.SIGHUP)
            deadline = time.time() + 120
            while time.time() < deadline:
                if json.loads(get(base, "/readyz")[2])["generation"] == 2:
                    break
                time.sleep(0.1)
            check(get(base, "/api/v1/deals?format=ndjson&limit=1")[2].startswith(b'{"id":"d0","title":"v2'),
                  "new requests see the reloaded data while the old export runs")

    body, h = stream(base, "/api/v1/deals?format=ndjson&limit=all", {}, maybe_reload)
    lines = [json.loads(line) for line in body.decode("utf-8").split("\n") if line]
    check(state["reloaded"], "the reload happened during the export")
    check(len(lines) == n and all(r["title"].startswith("v1 ") for r in lines)
          and [r["id"] for r in lines] == ["d%d" % i for i in range(n)],
          "an export across a reload carries its own generation whole (%d lines)" % len(lines))
    print("check_formats: an export of %d records across a reload came whole from its generation" % n, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--records", type=int, default=100000)
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)

    server = Server(binary, cwd=ROOT)
    try:
        check_routes(server.base)
        check_http(server.base)
    finally:
        rc = server.stop()
        check(rc == 0, "the server stopped cleanly (exit %s): %s" % (rc, server.stderr()[-2000:]))
    with tempfile.TemporaryDirectory() as work:
        check_exports(binary, args.records, work)

    if failures:
        for f in failures:
            print("check_formats: " + f, file=sys.stderr)
        sys.exit(1)
    print("check_formats: every list route answers the same records as JSON, CSV and NDJSON; "
          "exports stream whole at flat memory")


if __name__ == "__main__":
    main()
