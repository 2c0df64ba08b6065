# attache — build, run and test.
#
#   make            build build/attache (installing missing -dev packages first)
#   make run        build and serve the built-in dataset on port 8080
#   make test       the include graph, unit and integration tests, the README's examples,
#                   CSV and NDJSON against JSON with a streamed export at flat memory,
#                   the hostile-client suite, the crash test
#   make formats-test  CSV and NDJSON against JSON alone
#   make hostile    the hostile-client suite alone (tests/hostile/)
#   make crash      the crash test alone: writes against SIGKILL (tests/crash/)
#   make valgrind-hostile   the hostile-client suite against the server under valgrind
#   make e2e        the dashboard in headless Chromium (and the API documents)
#   make conformance  the live server against its OpenAPI document, and the checker against broken variants
#   make openapi-ui Swagger UI for the OpenAPI document, in build/openapi-ui/, offline
#   make map        regenerate the dashboard map (web/map-data.js)
#   make SANITIZE=address,undefined test    the same under ASan and UBSan
#
# Knobs: V=1 prints whole commands instead of "  CC  file". DEVELOPER=1 adds
# -Werror, so a warning fails the build; the test targets and CI turn it on,
# while a plain `make` of a release still builds with a newer compiler's new
# warnings (git's DEVELOPER switch).
#
# Every library is found with pkg-config. Objects go under build/ (or
# build/sanitize/ with SANITIZE), with -MMD dependencies, and are rebuilt when
# the flags change (build/.cflags, after git's GIT-CFLAGS).

CC ?= cc
PKGS := libmicrohttpd libcjson zlib nettle
# Libraries without a pkg-config file: checked by a header, linked by name.
HEADERS := h:unicase.h
TEST_PKGS := criterion libcurl
BUILD_DEBS := make gcc libc6-dev pkg-config libmicrohttpd-dev libcjson-dev zlib1g-dev \
	libunistring-dev nettle-dev
TEST_DEBS := libcriterion-dev libcurl4-openssl-dev curl jq python3 python3-prometheus-client

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wvla
OPT ?= -O2
SANITIZE ?=

# The test targets are for developers: warnings are errors there.
ifneq ($(filter test unit integration readme-test metrics-test formats-test hostile valgrind-hostile check-includes conformance crash,$(MAKECMDGOALS)),)
DEVELOPER ?= 1
endif
ifeq ($(DEVELOPER),1)
WERROR := -Werror
endif

ifneq ($(V),1)
QUIET_CC = @echo "  CC      $<";
QUIET_AS = @echo "  AS      $<";
QUIET_AR = @echo "  AR      $@";
QUIET_LINK = @echo "  LINK    $@";
QUIET_GEN = @echo "  GEN     $@";
endif

BUILD := build
RUNNER :=
ifneq ($(SANITIZE),)
BUILD := build/sanitize
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
RUNNER := scripts/sanitized.sh
# A sanitized server answers two to three times slower: the hostile suite's
# time bounds (its well-behaved client's p99 included) are doubled for it.
HOSTILE_SLOW := --slow 2
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CPPFLAGS += -I. -D_GNU_SOURCE -DATTACHE_VERSION='"$(VERSION)"'
CFLAGS += -std=c11 $(OPT) -g $(WARN) $(WERROR) $(SANFLAGS) -MMD -MP
LDFLAGS += $(SANFLAGS)

# pkg-config runs only once the dependencies are known to be installed.
pc = $(shell pkg-config $(1) $(2) 2>/dev/null)
LIB_CFLAGS = $(call pc,--cflags,$(PKGS))
LIB_LIBS = $(call pc,--libs,$(PKGS)) -lunistring -lpthread -lm
TEST_CFLAGS = $(call pc,--cflags,$(TEST_PKGS))
TEST_LIBS = $(call pc,--libs,$(TEST_PKGS))

LIB_SRC := $(wildcard lib/*.c models/*.c handlers/*.c config/*.c) $(filter-out server/main.c,$(wildcard server/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/assets_data.o
MAIN_OBJ := $(BUILD)/obj/server/main.o
UNIT_SRC := $(wildcard tests/unit/*.c)
INTEG_SRC := $(wildcard tests/integration/*.c)
TEST_SUPPORT_SRC := $(wildcard tests/support/*.c)
ASSETS := data/vilnius-2023.json data/schema.json $(sort $(wildcard web/*.html web/*.css web/*.js web/*.svg web/*.ico))

.PHONY: FORCE all run test crash check-includes unit integration readme-test metrics-test formats-test hostile valgrind-hostile deps test-deps clean check-data bench bench-instr bench-scale docker-test e2e fuzz map conformance openapi-ui
all: $(BUILD)/attache

$(BUILD)/.deps:
	@scripts/deps.sh "$(PKGS) $(HEADERS)" "$(CC)" $(BUILD_DEBS)
	@mkdir -p $(@D) && touch $@

$(BUILD)/.test-deps: $(BUILD)/.deps
	@scripts/deps.sh "$(TEST_PKGS) py:prometheus_client" "curl jq python3" $(TEST_DEBS)
	@touch $@

deps: $(BUILD)/.deps
test-deps: $(BUILD)/.test-deps

# The flags every object is built with, kept in a file that changes only when
# they do: objects depend on it, so `make` then `make test` (which adds
# -Werror) rebuilds instead of reusing objects built without it.
CFLAGS_STAMP = $(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS) $(LDFLAGS)
$(BUILD)/.cflags: FORCE | $(BUILD)/.deps
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(subst ','\'',$(CFLAGS_STAMP))' ]; then \
		[ -f $@ ] && echo "  FLAGS   changed: rebuilding"; \
		echo '$(subst ','\'',$(CFLAGS_STAMP))' > $@; \
	fi

$(BUILD)/obj/%.o: %.c $(BUILD)/.cflags | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS) -c $< -o $@

$(BUILD)/gen/assets.S: scripts/gen-assets.sh $(ASSETS)
	@mkdir -p $(@D)
	$(QUIET_GEN)scripts/gen-assets.sh $(ASSETS) > $@

$(BUILD)/obj/gen/assets_data.o: $(BUILD)/gen/assets.S | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(QUIET_AS)$(CC) -c $< -o $@

$(BUILD)/libattache.a: $(LIB_OBJ)
	@rm -f $@
	$(QUIET_AR)$(AR) rcs $@ $^

$(BUILD)/attache: $(MAIN_OBJ) $(BUILD)/libattache.a
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(BUILD)/tests/obj/%.o: %.c $(BUILD)/.cflags | $(BUILD)/.test-deps
	@mkdir -p $(@D)
	$(QUIET_CC)$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS) $(TEST_CFLAGS) -c $< -o $@

$(BUILD)/tests/unit: $(UNIT_SRC:%.c=$(BUILD)/tests/obj/%.o) $(TEST_SUPPORT_SRC:%.c=$(BUILD)/tests/obj/%.o) $(BUILD)/libattache.a
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS) $(TEST_LIBS)

$(BUILD)/tests/integration: $(INTEG_SRC:%.c=$(BUILD)/tests/obj/%.o) $(TEST_SUPPORT_SRC:%.c=$(BUILD)/tests/obj/%.o) $(BUILD)/libattache.a
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS) $(TEST_LIBS)

run: $(BUILD)/attache
	$(BUILD)/attache --port 8080

check-data: $(BUILD)/attache
	$(BUILD)/attache --check --data data/vilnius-2023.json

unit: $(BUILD)/tests/unit
	$(RUNNER) $(BUILD)/tests/unit --jobs 2

integration: $(BUILD)/tests/integration $(BUILD)/attache
	TEST_ATTACHE_BIN=$(BUILD)/attache $(RUNNER) $(BUILD)/tests/integration --jobs 1

readme-test: $(BUILD)/attache $(BUILD)/.test-deps
	python3 tests/readme/check_readme.py --bin $(BUILD)/attache README.md

# The system's python3: the one apt installs prometheus_client for.
metrics-test: $(BUILD)/attache $(BUILD)/.test-deps
	/usr/bin/python3 tests/integration/scrape_metrics.py --bin $(BUILD)/attache

# CSV and NDJSON against JSON on every list route; a whole export of
# FORMATS_RECORDS generated deals at flat memory, and across a reload.
FORMATS_RECORDS ?= 100000
formats-test: $(BUILD)/attache $(BUILD)/.test-deps
	python3 tests/integration/check_formats.py --bin $(BUILD)/attache --records $(FORMATS_RECORDS)

# The include graph goes one way: lib <- models <- handlers <- server, lib <- config.
check-includes:
	@scripts/check-includes.sh

# Raw-socket attacks on a live server, each with its exact expected answer,
# while a well-behaved client's latency is held to a bound (about 15 s).
hostile: $(BUILD)/attache $(BUILD)/.test-deps
	$(RUNNER) python3 tests/hostile/hostile.py --bin $(BUILD)/attache $(HOSTILE_SLOW)

# The same attacks on a server under valgrind's memcheck: any error fails it
# (the server then exits 99). Bounded: about a minute, killed at five.
valgrind-hostile: $(BUILD)/attache
	@scripts/deps.sh "" valgrind valgrind
	timeout 300 python3 tests/hostile/hostile.py --bin $(BUILD)/attache --valgrind

# Writes survive SIGKILL at random moments and inside compaction (tests/crash/crash.py):
# at least 60 kills, bounded to two minutes.
crash: $(BUILD)/attache $(BUILD)/.test-deps
	$(RUNNER) python3 tests/crash/crash.py --bin $(BUILD)/attache --rounds 60 --seconds 120

test: check-includes unit integration readme-test metrics-test formats-test hostile crash

# Node and Chromium are installed apart: a machine whose Node does not come
# from Debian cannot take Debian's npm, and needs only the browser.
E2E_TESTS := dashboard.test.mjs schemas.test.mjs assets.test.mjs openapi-ui.test.mjs
e2e: $(BUILD)/attache
	@scripts/deps.sh "" "node npm" nodejs npm
	@scripts/deps.sh "" "chromium" chromium
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	cd tests/e2e && TEST_ATTACHE_BIN=$(CURDIR)/$(BUILD)/attache node --test --test-concurrency=1 $(E2E_TESTS)

# Every answer of the built server held to its OpenAPI document by npm's tools,
# lists and records in each format also to a model; then seven broken variants,
# each of which must fail.
# CONFORMANCE_RUNS generated queries a list route (500), CONFORMANCE_SEED.
conformance: $(BUILD)/attache
	@scripts/deps.sh "" "node npm" nodejs npm
	cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error
	cd tests/conformance && TEST_ATTACHE_BIN=$(CURDIR)/$(BUILD)/attache node --test --test-concurrency=1 conformance.test.mjs

# Swagger UI for the OpenAPI document, to open from the file (no network).
openapi-ui: $(BUILD)/attache
	@scripts/deps.sh "" "node npm" nodejs npm
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	node scripts/openapi-ui.mjs $(BUILD)/attache build/openapi-ui

# The dashboard's map outlines (web/map-data.js), made by hand when their
# frames change and committed; assets.test.mjs checks they are current.
# Needs Debian's iso-codes (on the machine images) for the country codes.
map:
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	node scripts/gen-map.mjs > web/map-data.js.tmp && mv web/map-data.js.tmp web/map-data.js

# libFuzzer targets, built with clang; FUZZ_SECONDS a target. store: data files,
# seeded by the store fixtures, the data and an excerpt of it small enough for
# -max_len (tests/fuzz/corpus-store); request: targets through the router and
# handlers (tests/fuzz/corpus-request); http: whole raw requests through
# libmicrohttpd and the server, on a socketpair (tests/fuzz/corpus-http); write:
# write bodies and merge patches through the writer's checks (tests/fuzz/corpus-write).
FUZZ_SECONDS ?= 30
FUZZ_CC ?= clang
build/fuzz/%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(BUILD)/gen/assets.S | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(LIB_CFLAGS) $^ -o $@ $(LIB_LIBS)

fuzz: build/fuzz/store build/fuzz/request build/fuzz/http build/fuzz/write
	@command -v $(FUZZ_CC) >/dev/null || scripts/deps.sh "" clang clang
	mkdir -p build/fuzz/corpus-store build/fuzz/corpus-request build/fuzz/corpus-http \
		build/fuzz/corpus-write
	build/fuzz/store -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -print_final_stats=1 \
		build/fuzz/corpus-store tests/fuzz/corpus-store tests/fixtures/store data
	build/fuzz/request -max_total_time=$(FUZZ_SECONDS) -max_len=512 -print_final_stats=1 \
		build/fuzz/corpus-request tests/fuzz/corpus-request
	build/fuzz/http -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
		build/fuzz/corpus-http tests/fuzz/corpus-http
	build/fuzz/write -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
		build/fuzz/corpus-write tests/fuzz/corpus-write

docker-test:
	tests/docker/run.sh

# The bare libmicrohttpd yardstick of make bench.
$(BUILD)/bench/probe: tests/bench/probe.c $(BUILD)/.cflags | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(QUIET_LINK)$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_LIBS)

# attache beside nginx, the probe and json-server (tests/bench/bench.py), then
# writes: their rate and latency, and reads while they run (tests/bench/writes.py).
# A few minutes.
bench: $(BUILD)/attache $(BUILD)/bench/probe
	python3 tests/bench/bench.py --bin $(BUILD)/attache --probe $(BUILD)/bench/probe
	python3 tests/bench/writes.py --bin $(BUILD)/attache --seconds $${BENCH_SECONDS:-4}

# Instructions a request, attache beside the probe, under callgrind
# (tests/bench/instr.py): the figure that does not move with the machine's
# load. About a minute.
bench-instr: $(BUILD)/attache $(BUILD)/bench/probe
	python3 tests/bench/instr.py --bin $(BUILD)/attache --probe $(BUILD)/bench/probe

# The growth study from a thousand deals to a million: load, memory, reload,
# --check and each query shape; writes docs/scale.md, .tsv and .png
# (tests/bench/scale.py; SCALE_SIZES to choose the sizes). About ten minutes.
bench-scale: $(BUILD)/attache
	@command -v wrk >/dev/null || scripts/deps.sh "" wrk wrk
	@command -v gnuplot >/dev/null || scripts/deps.sh "" gnuplot gnuplot-nox
	python3 tests/bench/scale.py $(BUILD)/attache

clean:
	rm -rf build

FORCE:

-include $(shell find build -name '*.d' 2>/dev/null)
