#!/bin/sh
# Runs a command built with SANITIZE=... and fails when a sanitizer reported
# anything, even where the command itself exited 0: Criterion runs each test
# in a child process and LeakSanitizer's report at a child's exit does not
# change the test's result, so the report must be read.
#
#   scripts/sanitized.sh COMMAND [ARG...]
set -u
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Keep going after a report so one run shows every fault; exit code 23 marks it.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=23}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
"$@" >"$log" 2>&1
rc=$?
cat "$log"
if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|ThreadSanitizer|SUMMARY: UndefinedBehaviorSanitizer' "$log"; then
	echo "sanitized.sh: a sanitizer reported a fault (see above)" >&2
	exit 1
fi
exit "$rc"
