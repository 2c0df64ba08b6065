#!/usr/bin/env python3
"""The crash test: acknowledged writes survive SIGKILL at any moment.

A server with writes on takes creates, patches and deletes from several
concurrent clients, each owning its own records, and is killed with SIGKILL at
a random moment, again and again (--rounds, at least 50). Some rounds run with
a tiny journal-max-size, so that the journal is being folded into the data file
while the kill comes; others kill the server at a chosen step of compaction
itself (TEST_ATTACHE_COMPACT_KILL=1..4: half the temporary file written, the
temporary file synced, the data file renamed, the journal emptied). After each
restart (which must load the data), every record must be exactly as the last
write that got a 2xx left it (the same bytes), or, if a write to it was in
flight when the kill came, exactly as that write would leave it: never
anything else, never half of it. The changes feed must be in order with no
sequence number twice.

    tests/crash/crash.py --bin build/attache [--rounds 60] [--seconds 120]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from attache import Server, writes_files  # noqa: E402

TOKEN = "crash-test-token-0123456789abcdefghijkl"
CLIENTS = 4
RECORDS = 4   # per client


def deal(rid, summary):
    return {"id": rid, "title": "Crash test deal " + rid, "countries": ["KR"], "sector": "nuclear",
            "status": "proposed", "value": None, "companies": [], "meetings": [], "summary": summary,
            "evidence": [{"source": "businesskorea-sales-diplomacy", "quote": "a quote"}]}


def start_server(binary, data, tokens, env=None, journal_max=None):
    args = ["--data", data, "--tokens", tokens, "--threads", "4"]
    if journal_max:
        args += ["--journal-max-size", str(journal_max)]
    return Server(binary, args=args, env=env)


class Client(threading.Thread):
    """Writes to its own records until the server goes; keeps what was acknowledged."""

    def __init__(self, n, port, model, rng):
        super().__init__(daemon=True)
        self.n, self.port, self.model, self.rng = n, port, model, rng
        self.pending = {}   # record id -> ("put", summary) or ("delete", None): in flight at the kill
        self.acked = 0

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        auth = {"Authorization": "Bearer " + TOKEN}
        while True:
            rid = "c%d-r%d" % (self.n, self.rng.randrange(RECORDS))
            cur = self.model.get(rid)
            summary = "s-%d-%d" % (self.n, self.rng.randrange(1 << 30))
            if cur is None:
                method, path, body = "POST", "/api/v1/deals", json.dumps(deal(rid, summary))
                headers = dict(auth, **{"Content-Type": "application/json"})
                intent = ("put", summary)
            elif self.rng.random() < 0.2:
                method, path, body = "DELETE", "/api/v1/deals/" + rid, None
                headers = dict(auth, **{"If-Match": cur[1]})
                intent = ("delete", None)
            else:
                method, path = "PATCH", "/api/v1/deals/" + rid
                body = json.dumps({"summary": summary})
                headers = dict(auth, **{"Content-Type": "application/merge-patch+json", "If-Match": cur[1]})
                intent = ("put", summary)
            self.pending[rid] = intent
            try:
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
            except (OSError, http.client.HTTPException):
                return   # killed: this write's fate is unknown
            del self.pending[rid]
            if r.status in (200, 201):
                self.model[rid] = (data, r.getheader("ETag"))
            elif r.status == 204:
                self.model[rid] = None
            else:
                raise SystemExit("crash: %s %s answered %d: %s" % (method, path, r.status, data[:300]))
            self.acked += 1


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", path)
    r = c.getresponse()
    return r.status, r.read(), r.getheader("ETag")


def verify(port, clients, models):
    """Every record as its last acknowledged write left it, or as the one in flight would."""
    for cl, model in zip(clients, models):
        for k in range(RECORDS):
            rid = "c%d-r%d" % (cl.n, k)
            status, body, etag = get(port, "/api/v1/deals/" + rid)
            got = (body, etag) if status == 200 else None
            if status not in (200, 404):
                return "GET %s answered %d" % (rid, status)
            want = model.get(rid)
            if got == want or (got and want and got[0] == want[0]):
                model[rid] = got
                continue
            intent = cl.pending.get(rid)
            if intent and intent[0] == "delete" and got is None:
                model[rid] = None
                continue
            if intent and intent[0] == "put" and got and json.loads(got[0])["summary"] == intent[1]:
                if etag != '"%s"' % etag.strip('"'):
                    return "%s: a bad ETag %s" % (rid, etag)
                model[rid] = got
                continue
            return ("%s: lost or half an acknowledged write:\n  acknowledged %s\n  in flight %s\n  served %s"
                    % (rid, want and want[0][:200], intent, got and got[0][:200]))
    status, body, _ = get(port, "/api/v1/changes?sort=seq&limit=1000&fields=seq")
    seqs = [r["seq"] for r in json.loads(body)["data"]]
    if seqs != sorted(set(seqs)):
        return "the changes feed repeats or reorders sequence numbers: %s" % seqs[:50]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=60)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    binary = os.path.abspath(args.bin)
    work = tempfile.mkdtemp(prefix="attache-crash-")
    data, tokens = writes_files(work, TOKEN, "crash")
    models = [dict() for _ in range(CLIENTS)]
    start = time.time()
    acked = kills = compaction_kills = 0
    failure = None
    try:
        for rnd in range(args.rounds):
            if time.time() - start > args.seconds:
                failure = "only %d rounds in %.0f s (want %d)" % (rnd, args.seconds, args.rounds)
                break
            # One round in four folds the journal all the time; one in six dies inside a fold.
            env, jmax, step = {}, None, 0
            if rnd % 6 == 5:
                step = 1 + (rnd // 6) % 4
                env = {"TEST_ATTACHE_COMPACT_KILL": str(step)}
                jmax = 4096
            elif rnd % 4 == 3:
                jmax = 4096
            server = start_server(binary, data, tokens, env, jmax)
            clients = [Client(i, server.port, models[i], random.Random(rng.random())) for i in range(CLIENTS)]
            for c in clients:
                c.start()
            if step:
                server.proc.wait(timeout=20)   # it kills itself at the step
                compaction_kills += 1
            else:
                time.sleep(rng.uniform(0.05, 0.4))
                server.kill()
            kills += 1
            for c in clients:
                c.join(10)
            acked += sum(c.acked for c in clients)
            # The restart must load the data and the journal, and serve every acknowledged write.
            try:
                check = start_server(binary, data, tokens)
            except RuntimeError as e:
                failure = "round %d: %s" % (rnd, e)
                break
            failure = verify(check.port, clients, models)
            check.kill()
            if failure:
                failure = "round %d (seed %d): %s\n%s" % (rnd, args.seed, failure, check.stderr()[-2000:])
                break
    finally:
        if not failure:
            shutil.rmtree(work, ignore_errors=True)
    if failure:
        sys.exit("crash: FAILED: %s\n(files kept in %s)" % (failure, work))
    print("crash: %d kills (%d inside compaction), %d acknowledged writes, every one present after "
          "each restart, in %.0f s" % (kills, compaction_kills, acked, time.time() - start))


if __name__ == "__main__":
    main()
