#!/usr/bin/env python3
"""Scrapes attache's /metrics with Prometheus's own parser (prometheus_client).

Starts the server, makes requests of known outcomes, then parses the
exposition with prometheus_client.parser.text_string_to_metric_families, the
parser of the official Python client, and checks the families, their types
and the samples' values and labels.

    tests/integration/scrape_metrics.py --bin build/attache
"""
import argparse
import os
import sys
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from attache import Server  # noqa: E402


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    args = ap.parse_args()
    server = Server(args.bin)
    base = server.base
    try:
        for _ in range(4):
            assert get(base + "/api/v1/deals?limit=2")[0] == 200
        assert get(base + "/api/v1/deals?limit=x")[0] == 400
        assert get(base + "/nope/x")[0] == 404
        _, headers, _ = get(base + "/api/v1/deals/asml-duv-plant")
        assert get(base + "/api/v1/deals/asml-duv-plant", {"If-None-Match": headers["ETag"]})[0] == 304
        status, headers, body = get(base + "/metrics")
        assert status == 200, status
        assert headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8", headers
    finally:
        server.stop()

    families = {f.name: f for f in text_string_to_metric_families(body.decode())}

    def sample(name, **labels):
        for f in families.values():
            for s in f.samples:
                if s.name == name and s.labels == labels:
                    return s.value
        raise AssertionError("no sample %s%s" % (name, labels))

    want_types = {
        "attache_build_info": "gauge",
        "attache_http_requests": "counter",
        "attache_http_request_duration_seconds": "histogram",
        "attache_http_not_modified": "counter",
        "attache_http_response_bytes": "counter",
        "attache_http_rejected": "counter",
        "attache_http_open_connections": "gauge",
        "attache_records": "gauge",
        "attache_data_generation": "gauge",
        "attache_data_loaded_timestamp_seconds": "gauge",
        "attache_reloads": "counter",
        "attache_last_reload_timestamp_seconds": "gauge",
        "attache_reload_failed": "gauge",
        "process_start_time_seconds": "gauge",
    }
    for name, kind in want_types.items():
        assert name in families, "missing family %s (have %s)" % (name, sorted(families))
        assert families[name].type == kind, "%s is a %s" % (name, families[name].type)
        assert families[name].documentation, "%s has no help" % name

    assert sample("attache_http_requests_total", route="/api/v1/deals", status_class="2xx") == 4
    assert sample("attache_http_requests_total", route="/api/v1/deals", status_class="4xx") == 1
    assert sample("attache_http_requests_total", route="unmatched", status_class="4xx") == 1
    assert sample("attache_http_not_modified_total") == 1
    assert sample("attache_records", collection="deals") == 27
    assert sample("attache_records", collection="countries") == 20
    assert sample("attache_records", collection="sources") == 1
    assert sample("attache_data_generation") == 1
    assert sample("attache_reloads_total", result="failure") == 0
    count = sample("attache_http_request_duration_seconds_count")
    assert count >= 8, count
    assert sample("attache_http_request_duration_seconds_bucket", le="+Inf") == count
    buckets = [s for s in families["attache_http_request_duration_seconds"].samples if s.name.endswith("_bucket")]
    assert all(a.value <= b.value for a, b in zip(buckets, buckets[1:])), "buckets are cumulative"
    assert sample("attache_build_info", version=open_version()) == 1
    print("scrape_metrics: %d families parsed by prometheus_client, all as expected" % len(families))


def open_version():
    return open(os.path.join(ROOT, "VERSION")).read().strip()


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, RuntimeError) as e:
        sys.exit("scrape_metrics: %s" % e)
