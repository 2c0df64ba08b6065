#!/bin/sh
# Checks that the include graph goes one way, as DESIGN.md draws it:
#
#   lib <- models <- handlers <- server,   lib <- config <- server
#
# Each folder may include (with "...") only from itself and the folders it
# depends on; only server/http.c may include libmicrohttpd. System headers and
# external libraries (<...>) are free. Prints every violation and exits 1 if
# there is any, 0 otherwise. Run from the repository root (make test does).
#
#   scripts/check-includes.sh
set -u

# folder: the folders its files may include from
allowed() {
	case "$1" in
	lib) echo "lib" ;;
	models) echo "lib models" ;;
	config) echo "lib config" ;;
	handlers) echo "lib models handlers" ;;
	server) echo "lib models handlers config server" ;;
	esac
}

bad=0
for dir in lib models config handlers server; do
	ok=$(allowed "$dir")
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		# "LINE folder/file.h" for each quoted include
		incs=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
			sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/')
		while read -r line target; do
			[ -n "$line" ] || continue
			top=${target%%/*}
			[ "$top" = "$target" ] && top="(no folder)"
			case " $ok " in
			*" $top "*) ;;
			*)
				echo "check-includes: $f:$line includes \"$target\": $dir/ may include only from: $ok" >&2
				bad=1
				;;
			esac
		done <<EOF
$incs
EOF
		if [ "$f" != server/http.c ] && grep -q '^[[:space:]]*#[[:space:]]*include[[:space:]]*<microhttpd.h>' "$f"; then
			echo "check-includes: $f includes <microhttpd.h>: only server/http.c may" >&2
			bad=1
		fi
	done
done
[ "$bad" = 0 ] && echo "check-includes: lib <- models <- handlers <- server, lib <- config: no include goes the wrong way"
exit "$bad"
