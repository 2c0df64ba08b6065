#!/usr/bin/env python3
"""Writes a data file of N deals shaped like the shipped ones, for make bench-scale.

    gen_deals.py N PATH

The file holds everything of data/vilnius-2023.json (its dataset, sources,
countries, meetings and 27 deals, first and in their order) and N - 27
generated deals after them, each valid by every rule of the loader: ids,
titles, two or three countries of the dataset, a sector and a status from
its vocabularies, a date (none for one in ten), money with its currency,
basis and estimate (none for one in seven), companies, a summary and
evidence citing the source "generated", which the shipped deals never cite.
So a query with evidence.source=businesskorea-sales-diplomacy added selects
the shipped deals exactly, and must answer what the shipped data answers.

Values spread evenly, so that each value of a field is held by a fixed share
of the deals (a status by about a ninth, a country by about a tenth), and a
few are rare: the country KP is held by one generated deal in 100,000, the
word "zircon" by one deal in all.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED_SOURCE = "businesskorea-sales-diplomacy"

WORDS = ("supply chain battery reactor hydrogen cyber mineral lithium nickel port plant grid "
         "export import bank finance vehicle training centre network security defence fund aid "
         "equipment facility tritium removal disposal site waste storage carbon capture green "
         "infrastructure construction railway bridge tunnel airport harbour terminal logistics "
         "reconstruction housing water energy solar wind turbine cable steel copper cobalt "
         "silicon wafer chip design research laboratory university hospital medical").split()
assert len(WORDS) == 64
COMPANIES = ["Company %s" % c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
CURRENCIES = ["KRW", "KRW", "KRW", "USD", "EUR"]


def generated(i, codes, names, sectors, statuses, bases):
    """Generated deal number i (i >= 0)."""
    c1 = codes[i % len(codes)]
    c2 = codes[(i // len(codes)) % len(codes)]
    countries = ["KR", c1]
    if c2 not in countries and i % 3 == 0:
        countries.append(c2)
    if i % 100000 == 77777:
        countries.append("KP")          # rare: a value held by few deals
    words = " ".join(WORDS[(i * 7 + k) % 64] for k in range(4))
    summary = "%s for %s." % (words.capitalize(), names[c1])
    if i == 31337:
        summary += " A zircon mine."    # rare: a word of one deal
    deal = {
        "id": "g%d" % i,
        "title": "Deal %d on %s" % (i, WORDS[(i * 3) % 64]),
        "countries": countries,
        "sector": sectors[(i * 5) % len(sectors)],
        "status": statuses[(i * 7) % len(statuses)],
        "date": None if i % 10 == 9 else "%04d-%02d-%02d" % (2024 + (i // 336) % 8, 1 + (i // 28) % 12,
                                                              1 + i % 28),
        "value": None if i % 7 == 6 else {
            "amount": (i * 7919) % 1000000007 * 1000,
            "currency": CURRENCIES[i % len(CURRENCIES)],
            "basis": bases[i % len(bases)],
            "estimate": i % 4 == 0,
        },
        "companies": [COMPANIES[i % 26]] if i % 5 else [],
        "meetings": [],
        "summary": summary,
        "evidence": [{"source": "generated", "quote": "deal %d" % i}],
    }
    if deal["date"] is None:
        del deal["date"]
    return deal


def write(n, path):
    with open(os.path.join(ROOT, "data", "vilnius-2023.json")) as f:
        data = json.load(f)
    voc = data["dataset"]["vocabularies"]
    codes = [c["code"] for c in data["countries"] if c["code"] not in ("KR", "KP")]
    names = {c["code"]: c["name"] for c in data["countries"]}
    sectors = [v["id"] for v in voc["sector"]]
    statuses = [v["id"] for v in voc["status"]]
    bases = [v["id"] for v in voc["basis"]]
    assert all(SHIPPED_SOURCE in {e["source"] for e in d["evidence"]} for d in data["deals"])
    data["sources"].append({"id": "generated", "title": "Generated for make bench-scale",
                            "publisher": None, "date": None, "url": None})
    shipped = data.pop("deals")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        # Everything but the deals, then the deals one by one: a million in a
        # list would take a few gigabytes here.
        head = json.dumps(data, ensure_ascii=False)
        f.write(head[:-1] + ', "deals": [')
        for k, d in enumerate(shipped):
            f.write((", " if k else "") + json.dumps(d, ensure_ascii=False))
        for i in range(max(0, n - len(shipped))):
            f.write(", " + json.dumps(generated(i, codes, names, sectors, statuses, bases),
                                      ensure_ascii=False, separators=(",", ":")))
        f.write("]}\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    write(int(sys.argv[1]), sys.argv[2])
