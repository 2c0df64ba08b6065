#!/usr/bin/env bash
# make docker-test: build the image and check it from outside.
#
# It uses docker where an engine answers, else podman (installed from Debian's
# packages if missing), as ../shared/notes/containers.md describes for machines
# with no Docker engine and no image registry: runc as the runtime, ulimits
# within the caller's, and a debian:bookworm-slim base made with debootstrap
# from the machine's own apt mirror when the image is not there.
#
# First it runs the README's Docker commands, as written but for ports and
# names (so the README cannot drift), then it checks: the API answers, the
# health check passes, the image runs as non-root, a mounted data file is
# served and reloads on SIGHUP, and `stop` (SIGTERM) ends the server with
# exit 0 well within the grace period.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=$ROOT/build/docker
mkdir -p "$WORK"

say() { printf '[docker-test] %s\n' "$*"; }
fail() { printf '[docker-test] FAIL: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- the engine ----
BUILD_FLAGS=()
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
	ENGINE=docker
else
	ENGINE=podman
	if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
		say "no Docker engine here: installing podman, runc and debootstrap"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends podman runc debootstrap >/dev/null 2>&1 ||
			{ as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends podman runc debootstrap >/dev/null; }
	fi
	nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
	[ "$nofile" = unlimited ] && nofile=20000; [ "$nproc" = unlimited ] && nproc=32768
	[ "$nofile" -gt 20000 ] && nofile=20000; [ "$nproc" -gt 32768 ] && nproc=32768
	cat > "$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
CONF
	export CONTAINERS_CONF=$WORK/containers.conf
	BUILD_FLAGS=(--format docker)   # keeps HEALTHCHECK, which the OCI format drops
	if ! podman image exists debian:bookworm-slim; then
		mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1)
		[ -n "$mirror" ] || mirror=$(awk '/^deb / && !/security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
		[ -n "$mirror" ] || fail "no apt mirror found for debootstrap"
		say "making the base image debian:bookworm-slim with debootstrap from $mirror (once per machine)"
		rootfs=$(mktemp -d)
		as_root debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
		# The machine's own sources replace debootstrap's (listing both warns of duplicates).
		as_root rm -f "$rootfs/etc/apt/sources.list"
		as_root cp -r /etc/apt/sources.list.d/. "$rootfs/etc/apt/sources.list.d/"
		if [ -f /etc/apt/sources.list ]; then as_root cp /etc/apt/sources.list "$rootfs/etc/apt/sources.list"; fi
		as_root rm -rf "$rootfs/var/lib/apt/lists/"*
		as_root tar -C "$rootfs" -c . | podman import - debian:bookworm-slim >/dev/null
		podman tag debian:bookworm-slim docker.io/library/debian:bookworm-slim
		as_root rm -rf "$rootfs"
	fi
fi
say "engine: $ENGINE"

C1=attache-dt$$ C2=attache-mine-dt$$ C3=attache-health-dt$$
P1=$(free_port) P2=$(free_port) P3=$(free_port)
MYDATA=$WORK/mydata-$$
cleanup() { "$ENGINE" rm -f "$C1" "$C2" "$C3" >/dev/null 2>&1 || true; rm -rf "$MYDATA"; }
trap cleanup EXIT
mkdir -p "$MYDATA"
cp tests/fixtures/query.json "$MYDATA/deals.json"

wait_http() {   # URL: until it answers 200, up to 20 s
	for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
	return 1
}

# ---- the README's commands ----
# The first sh block of the Docker section (the second is Compose, which no engine here runs).
sed -n '/^## Docker/,/^## /p' README.md | awk '/^```sh$/ { n++; next } /^```$/ { if (n == 1) exit } n == 1' |
	grep -E '^(docker|curl) ' > "$WORK/readme-commands"
[ -s "$WORK/readme-commands" ] || fail "no docker commands found in the README's Docker section"
while IFS= read -r line; do
	cmd=${line%%#*}
	cmd=$(printf '%s' "$cmd" | sed -e 's/[[:space:]]*$//')
	cmd=${cmd//"-p 8080:8080"/"-p 127.0.0.1:$P1:8080"}
	cmd=${cmd//"-p 8081:8080"/"-p 127.0.0.1:$P2:8080"}
	cmd=${cmd//"localhost:8080"/"localhost:$P1"}
	cmd=${cmd//"localhost:8081"/"localhost:$P2"}
	cmd=${cmd//'$PWD/mydata'/"$MYDATA"}
	cmd=${cmd//"--name attache-mine "/"--name $C2 "}
	cmd=${cmd//"--name attache "/"--name $C1 "}
	# The container named last on a stop/kill line (on a run line, the last word is the image).
	case "$cmd" in
	"docker stop "* | "docker kill "* | "docker logs "*)
		case "${cmd##* }" in
		attache) cmd="${cmd% *} $C1";;
		attache-mine) cmd="${cmd% *} $C2";;
		esac;;
	esac
	cmd=${cmd/#"docker build"/"$ENGINE build ${BUILD_FLAGS[*]}"}
	cmd=${cmd/#docker /"$ENGINE "}
	say "README: $line"
	case "$cmd" in
	curl*) wait_http "http://localhost:$P1/healthz" || fail "the container did not answer";;
	esac
	start=$(date +%s%N)
	out=$(eval "$cmd" 2>&1) || { printf '%s\n' "$out" | tail -40; fail "README command failed: $line"; }
	took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
	case "$cmd" in
	*" build "*) printf '%s\n' "$out" | grep -E "Synthesis|check_readme" || true;;
	curl*) [ "$out" = '{"status":"ok"}' ] || fail "health answered: $out";;
	*" stop "*) say "stop took ${took_ms} ms"
	            [ "$took_ms" -lt 9000 ] || fail "stop took ${took_ms} ms, over the grace period";;
	*" run "*) case "$cmd" in *"$C2"*) port=$P2;; *) port=$P1;; esac
	           wait_http "http://localhost:$port/healthz" || { "$ENGINE" logs "$C1" 2>&1 | tail; fail "the container did not start"; };;
	esac
done < "$WORK/readme-commands"

# ---- checks ----
code=$("$ENGINE" inspect -f '{{.State.ExitCode}}' "$C1")
[ "$code" = 0 ] || fail "after stop, the server exited $code"
say "docker stop: exit code 0"

user=$("$ENGINE" image inspect -f '{{.Config.User}}' attache)
[ "$user" = "10001:10001" ] || fail "the image runs as '$user', not the non-root attache user"
size=$("$ENGINE" image inspect -f '{{.Size}}' attache)
say "image size: $((size / 1000000)) MB; user $user"

# The mounted file (6 deals) is served; a new file and SIGHUP serve the new one (2 deals).
deals=$(curl -s "localhost:$P2/api/v1" | jq .counts.deals)
[ "$deals" = 6 ] || fail "the mounted data file is not served (deals: $deals)"
gen=$(curl -s "localhost:$P2/readyz" | jq .generation)
[ "$gen" -ge 2 ] || fail "the README's SIGHUP did not reload (generation $gen)"
cp tests/fixtures/store/valid.json "$MYDATA/deals.json.new" && mv "$MYDATA/deals.json.new" "$MYDATA/deals.json"
"$ENGINE" kill --signal HUP "$C2" >/dev/null
for _ in $(seq 1 50); do [ "$(curl -s "localhost:$P2/api/v1" | jq .counts.deals)" = 2 ] && break; sleep 0.1; done
[ "$(curl -s "localhost:$P2/api/v1" | jq .counts.deals)" = 2 ] || fail "SIGHUP did not reload the mounted file"
say "mounted data served and reloaded on SIGHUP"
start=$(date +%s)
"$ENGINE" stop -t 10 "$C2" >/dev/null
[ "$("$ENGINE" inspect -f '{{.State.ExitCode}}' "$C2")" = 0 ] || fail "the mounted-data container did not exit 0"
[ $(( $(date +%s) - start )) -lt 9 ] || fail "stop was not within the grace period"

# The health check, run by the engine.
"$ENGINE" run -d --name "$C3" -p "127.0.0.1:$P3:8080" attache >/dev/null
wait_http "http://localhost:$P3/healthz" || fail "the health container did not start"
if [ "$ENGINE" = podman ]; then
	podman healthcheck run "$C3" >/dev/null || fail "podman healthcheck run failed"
	status=$(podman inspect -f '{{.State.Health.Status}}' "$C3" 2>/dev/null || podman inspect -f '{{.State.Healthcheck.Status}}' "$C3")
else
	for _ in $(seq 1 40); do
		status=$(docker inspect -f '{{.State.Health.Status}}' "$C3")
		[ "$status" = healthy ] && break; sleep 1
	done
fi
[ "$status" = healthy ] || fail "health status: $status"
say "health check: $status"
"$ENGINE" stop -t 10 "$C3" >/dev/null
# compose.yaml: no Compose engine runs here, so check what it says against the image's contract.
python3 - <<'PY' || fail "compose.yaml does not describe the service as the README does"
import yaml
svc = yaml.safe_load(open("compose.yaml"))["services"]["attache"]
assert svc["build"] == "." and "8080:8080" in svc["ports"], svc
assert svc["environment"]["ATTACHE_DATA"] == "/data/vilnius-2023.json", svc
assert "./data:/data:ro" in svc["volumes"], svc
PY
"$ENGINE" image prune -f >/dev/null 2>&1 || true   # the build stages left behind
say "all checks passed"
