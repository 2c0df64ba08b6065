#!/bin/sh
# Makes sure the build (or test) dependencies are installed, installing any that
# are missing with apt-get on Debian or Ubuntu (through sudo when not root).
#
#   scripts/deps.sh "PKG-CONFIG MODULES" "COMMANDS" DEBIAN-PACKAGE...
#
# A module written py:NAME is a Python module the system's python3 must import;
# h:HEADER is a C header the compiler must find, for a library that ships no
# pkg-config file (GNU libunistring).
#
# Exits 0 when everything is present (or was installed), 1 with a message
# naming what is missing otherwise.
set -u
modules=$1 commands=$2
shift 2

missing=""
for c in pkg-config $commands; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if command -v pkg-config >/dev/null 2>&1; then
	for m in $modules; do
		case "$m" in
		py:*) /usr/bin/python3 -c "import ${m#py:}" 2>/dev/null || missing="$missing $m" ;;
		h:*) printf '#include <%s>\n' "${m#h:}" | "${CC:-cc}" -E -x c - >/dev/null 2>&1 ||
			missing="$missing $m" ;;
		*) pkg-config --exists "$m" || missing="$missing $m" ;;
		esac
	done
else
	missing="$missing $modules"
fi
[ -z "$missing" ] && exit 0

echo "attache: missing:$missing; installing: $*" >&2
if ! command -v apt-get >/dev/null 2>&1; then
	echo "attache: no apt-get here: install the equivalents of these Debian packages: $*" >&2
	exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "attache: not root and no sudo: run as root: apt-get install $*" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine may be empty or stale: update once and retry.
$sudo apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 ||
	{ $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends "$@"; } || {
	echo "attache: apt-get could not install: $*" >&2
	exit 1
}
