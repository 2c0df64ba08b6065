#!/usr/bin/env bash
# make bench: throughput and latency of attache on loopback, with wrk.
#
# Each scenario runs for BENCH_SECONDS (default 5) with BENCH_CONNECTIONS
# (default 64) keep-alive connections from one wrk thread, against a server
# with 2 threads (the machines here have 2 cores, shared with wrk). The same
# bytes served by nginx as a static file give a yardstick where nginx is
# installed. A generated dataset of BENCH_RECORDS deals (default 200000) shows
# that lookups, indexed filters and searches do not slow down with the size of
# the data (BENCH_RECORDS=1000000 measures a million), and how fast whole
# exports (limit=all) stream: MB/s and records/s, the median of three curl
# downloads each. Results are printed and written to build/bench.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/attache}
SECONDS_EACH=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNECTIONS:-64}
RECORDS=${BENCH_RECORDS:-200000}
OUT=build/bench.txt
WORK=$(mktemp -d)
chmod 755 "$WORK"   # nginx's workers read from it
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

command -v wrk >/dev/null || scripts/deps.sh "" wrk wrk
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() {   # start PORT ARGS...: an attache, waited for
	local port=$1; shift
	"$BIN" --port "$port" --threads 2 --access-log=false "$@" 2>"$WORK/server-$port.log" &
	pids+=($!)
	SERVER=$!
	# A million generated deals take about 40 s to load and index here.
	for _ in $(seq 1 1800); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && return 0; sleep 0.1; done
	cat "$WORK/server-$port.log"; echo "bench: the server did not start" >&2; exit 1
}

# CPU time (user + system, clock ticks) the attache started last has used.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }

results=()
bench() {   # bench NAME URL [HEADER]; BENCH_ERRORS=ok when errors are the point
	local name=$1 url=$2 out rps p50 p99 t0 n cpu
	local args=(-t1 -c"$CONNS" -d"${SECONDS_EACH}s" --latency)
	[ $# -gt 2 ] && args+=(-H "$3")
	t0=$(cpu_ticks)
	out=$(wrk "${args[@]}" "$url")
	# The server's CPU time per request: steadier than req/s on a shared machine.
	n=$(awk '/requests in/ {print $1}' <<<"$out")
	cpu=$(awk -v d=$(( $(cpu_ticks) - t0 )) -v n="$n" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { if (n > 0) printf "%.0fus", d * 1e6 / hz / n; else print "-" }')
	case "$url" in "http://127.0.0.1:$NP/"*) cpu="-" ;; esac
	if [ "${BENCH_ERRORS:-}" != ok ] && grep -q "Non-2xx or 3xx" <<<"$out"; then
		echo "$out"; echo "bench: $name got errors" >&2; exit 1
	fi
	rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	results+=("$(printf '%-58s %10s %9s %9s %10s' "$name" "$rps" "$p50" "$p99" "$cpu")")
	printf '%s\n' "${results[-1]}"
}

header() { printf '%-58s %10s %9s %9s %10s\n' "scenario" "req/s" "p50" "p99" "cpu/req"; }
NP=none

exports=()
export_rate() {   # export_rate NAME URL RECORDS [HEADER]: a whole export, median of 3 downloads
	local name=$1 url=$2 n=$3 args=(-s -o /dev/null -w '%{size_download} %{time_total}\n') line
	[ $# -gt 3 ] && args+=(-H "$4")
	line=$(for _ in 1 2 3; do curl "${args[@]}" "$url"; done | sort -k2 -g | sed -n 2p)
	exports+=("$(awk -v name="$name" -v n="$n" '{ printf "%-58s %8.1f MB/s %9.0f rec/s %7.1f MB sent", name, $1 / $2 / 1e6, n / $2, $1 / 1e6 }' <<<"$line")")
	printf '%s\n' "${exports[-1]}"
}

echo "attache $("$BIN" --version | cut -d' ' -f2) on $(nproc) cores; wrk -t1 -c$CONNS -d${SECONDS_EACH}s; server --threads 2"
header
P=$(free_port)
start "$P"
B=http://127.0.0.1:$P
bench "list, unfiltered (bytes rendered at load)" "$B/api/v1/deals"
bench "list, unfiltered, gzip (compressed at load)" "$B/api/v1/deals" "Accept-Encoding: gzip"
bench "one record (bytes rendered at load)" "$B/api/v1/deals/asml-duv-plant"
bench "list, filtered+sorted+projected (assembled)" "$B/api/v1/deals?countries=RO&sort=-value.amount&fields=id,title,value"
bench "list, filtered, gzip per request" "$B/api/v1/deals?sector=nuclear" "Accept-Encoding: gzip"
etag=$(curl -sI "$B/api/v1/deals?sector=nuclear" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
bench "If-None-Match on a filtered list (304, not built)" "$B/api/v1/deals?sector=nuclear" "If-None-Match: $etag"
BENCH_ERRORS=ok bench "bad query (400 problem)" "$B/api/v1/deals?stauts=x"

if command -v nginx >/dev/null 2>&1; then
	NP=$(free_port)
	mkdir -p "$WORK/www/api/v1" "$WORK/nginx"
	curl -s "$B/api/v1/deals" > "$WORK/www/api/v1/deals"
	cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NP;
    root $WORK/www;
    location / { default_type application/json; etag on; }
  }
}
CONF
	nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' 2>>"$WORK/nginx/error.log" &
	pids+=($!)
	sleep 0.5
	bench "yardstick: nginx, the same list bytes as a static file" "http://127.0.0.1:$NP/api/v1/deals"
fi

echo
echo "generating $RECORDS deals..."
python3 - "$RECORDS" "$WORK/big.json" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
codes = ["KR", "RO", "NL", "SE", "PL", "FI", "GB", "JP"]
names = {"KR": "South Korea", "RO": "Romania", "NL": "Netherlands", "SE": "Sweden", "PL": "Poland",
         "FI": "Finland", "GB": "United Kingdom", "JP": "Japan", "UA": "Ukraine"}
sectors = [("nuclear", "Nuclear power"), ("ports", "Ports and logistics"), ("semiconductors", "Semiconductors")]
# Summaries are 8 words in a row of a list of 64: each word is in 1/8 of the deals and each
# pair of neighbours (a phrase, "waste storage") in 7/64, beside the country's name.
words = ("supply chain battery reactor hydrogen cyber mineral lithium nickel port plant grid "
         "export import bank finance vehicle training centre network security defence fund aid "
         "equipment facility tritium removal disposal site waste storage carbon capture green "
         "infrastructure construction railway bridge tunnel airport harbour terminal logistics "
         "reconstruction housing water energy solar wind turbine cable steel copper cobalt "
         "silicon wafer chip design research laboratory university hospital medical").split()
assert len(words) == 64
def summary(i):
    return "Generated %s for %s." % (" ".join(words[(i * 7 + k) % 64] for k in range(8)),
                                     names[codes[1 + i % 7]])
deals = [{"id": "d%d" % i, "title": "Generated deal %d" % i, "countries": ["KR", codes[1 + i % 7]],
          "sector": sectors[i % 3][0], "status": "proposed",
          "value": {"amount": (i * 7919) % 1000000007, "currency": "KRW",
                    "basis": ["contract", "project", "market"][i % 3], "estimate": i % 5 == 0},
          "companies": [], "meetings": [], "summary": summary(i),
          "evidence": [{"source": "generated", "quote": "Generated deal %d was reported." % i}]}
         for i in range(n)]
deals[n // 2]["countries"] = ["KR", "UA"]   # one rare value: an index hit among n
deals[n // 3]["summary"] += " A zircon mine."   # one rare word: a search hit among n
cite = [{"source": "generated", "quote": "A generated country."}]
json.dump({"dataset": {"title": "bench", "version": "1",
                       "vocabularies": {"basis": [{"id": b, "label": b} for b in ("contract", "project", "market")],
                                        "sector": [{"id": i, "label": l} for i, l in sectors]}},
           "sources": [{"id": "generated", "title": "generated", "publisher": None, "date": None, "url": None}],
           "countries": [{"code": c, "name": names[c], "evidence": cite} for c in codes + ["UA"]],
           "meetings": [], "deals": deals}, open(path, "w"))
PY
P2=$(free_port)
t0=$(date +%s%N)
# The budget lifted: the bench measures what the broad searches cost, which
# the default max-scan refuses past a few hundred thousand records (README,
# Limits), and max-expensive-queries would turn most of wrk's away.
start "$P2" --data "$WORK/big.json" --max-scan 4294967296 --max-expensive-queries 256
echo "loaded and indexed in $(( ($(date +%s%N) - t0) / 1000000 )) ms: $(curl -s "http://127.0.0.1:$P2/api/v1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"])'), $(awk '/VmRSS/ {print $2 / 1024 " MB resident"}' /proc/"${pids[-1]}"/status)"
for q in zircon 12345 tritium+romania %22waste+storage%22 nuclear semicon; do
	printf '  q=%s: %s matches\n' "$q" "$(curl -s "http://127.0.0.1:$P2/api/v1/deals?q=$q&limit=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["meta"]["total"])')"
done
header
B2=http://127.0.0.1:$P2
bench "$RECORDS deals: one record by id" "$B2/api/v1/deals/d$((RECORDS / 3))"
bench "$RECORDS deals: rare value via the index (countries=UA)" "$B2/api/v1/deals?countries=UA"
bench "$RECORDS deals: sorted page (sort=-value.amount&limit=10)" "$B2/api/v1/deals?sort=-value.amount&limit=10"
bench "$RECORDS deals: deep page (offset=150000&limit=10)" "$B2/api/v1/deals?offset=150000&limit=10"
bench "$RECORDS deals: search, a rare word (q=zircon, 1 match)" "$B2/api/v1/deals?q=zircon"
bench "$RECORDS deals: search, a prefix of few words (q=12345)" "$B2/api/v1/deals?q=12345&fields=id"
bench "$RECORDS deals: search, two words (q=tritium+romania)" "$B2/api/v1/deals?q=tritium+romania&limit=10&fields=id"
bench "$RECORDS deals: search, a phrase (q=\"waste storage\")" "$B2/api/v1/deals?q=%22waste+storage%22&limit=10&fields=id"
bench "$RECORDS deals: search, a common word, ranked (q=nuclear)" "$B2/api/v1/deals?q=nuclear&limit=10&fields=id"
bench "$RECORDS deals: search, a common prefix, ranked (q=semicon)" "$B2/api/v1/deals?q=semicon&limit=10&fields=id"
echo
echo "whole exports of $RECORDS deals (limit=all), streamed; one client"
export_rate "$RECORDS deals as CSV" "$B2/api/v1/deals?format=csv&limit=all" "$RECORDS"
export_rate "$RECORDS deals as NDJSON" "$B2/api/v1/deals?format=ndjson&limit=all" "$RECORDS"
export_rate "$RECORDS deals as CSV, gzip on the fly" "$B2/api/v1/deals?format=csv&limit=all" "$RECORDS" "Accept-Encoding: gzip"
export_rate "$RECORDS deals as CSV, sorted by value, projected" "$B2/api/v1/deals?format=csv&limit=all&sort=-value.amount&fields=id,title,value" "$RECORDS"

echo
writes=$(python3 tests/bench/writes.py --bin "$BIN" --seconds "$SECONDS_EACH")
printf '%s\n' "$writes"

{
	echo "attache bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t1 -c$CONNS -d${SECONDS_EACH}s, server --threads 2"
	header
	printf '%s\n' "${results[@]}"
	echo
	echo "whole exports of $RECORDS deals (limit=all), streamed; median of 3 downloads by one curl"
	printf '%s\n' "${exports[@]}"
	echo
	printf '%s\n' "$writes"
} > "$OUT"
echo
echo "written to $OUT"
