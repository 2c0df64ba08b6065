# attache — build, run and test.
#
#   make            build build/attache (installing missing -dev packages first)
#   make run        build and serve the built-in dataset on port 8080
#   make test       unit and integration tests, then the README's examples
#   make e2e        the dashboard in headless Chromium (and the API documents)
#   make map        regenerate the dashboard map (web/map-data.js)
#   make SANITIZE=address,undefined test    the same under ASan and UBSan
#
# Every library is found with pkg-config. Objects go under build/ (or
# build/sanitize/ with SANITIZE), with -MMD dependencies.

CC ?= cc
PKGS := libmicrohttpd libcjson zlib
TEST_PKGS := criterion libcurl
BUILD_DEBS := make gcc libc6-dev pkg-config libmicrohttpd-dev libcjson-dev zlib1g-dev
TEST_DEBS := libcriterion-dev libcurl4-openssl-dev curl jq python3 python3-prometheus-client

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wvla
WERROR ?= -Werror
OPT ?= -O2
SANITIZE ?=

BUILD := build
RUNNER :=
ifneq ($(SANITIZE),)
BUILD := build/sanitize
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
RUNNER := scripts/sanitized.sh
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CPPFLAGS += -I. -D_GNU_SOURCE -DATTACHE_VERSION='"$(VERSION)"'
CFLAGS += -std=c11 $(OPT) -g $(WARN) $(WERROR) $(SANFLAGS) -MMD -MP
LDFLAGS += $(SANFLAGS)

# pkg-config runs only once the dependencies are known to be installed.
pc = $(shell pkg-config $(1) $(2) 2>/dev/null)
LIB_CFLAGS = $(call pc,--cflags,$(PKGS))
LIB_LIBS = $(call pc,--libs,$(PKGS)) -lpthread -lm
TEST_CFLAGS = $(call pc,--cflags,$(TEST_PKGS))
TEST_LIBS = $(call pc,--libs,$(TEST_PKGS))

LIB_SRC := $(wildcard models/*.c handlers/*.c config/*.c) $(filter-out server/main.c,$(wildcard server/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/assets_data.o
MAIN_OBJ := $(BUILD)/obj/server/main.o
UNIT_SRC := $(wildcard tests/unit/*.c)
INTEG_SRC := $(wildcard tests/integration/*.c)
TEST_SUPPORT_SRC := $(wildcard tests/support/*.c)
ASSETS := data/vilnius-2023.json data/schema.json $(sort $(wildcard web/*.html web/*.css web/*.js web/*.svg web/*.ico))

.PHONY: all run test unit integration readme-test metrics-test deps test-deps clean check-data bench docker-test e2e fuzz map
all: $(BUILD)/attache

$(BUILD)/.deps:
	@scripts/deps.sh "$(PKGS)" "$(CC)" $(BUILD_DEBS)
	@mkdir -p $(@D) && touch $@

$(BUILD)/.test-deps: $(BUILD)/.deps
	@scripts/deps.sh "$(TEST_PKGS) py:prometheus_client" "curl jq python3" $(TEST_DEBS)
	@touch $@

deps: $(BUILD)/.deps
test-deps: $(BUILD)/.test-deps

$(BUILD)/obj/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS) -c $< -o $@

$(BUILD)/gen/assets.S: scripts/gen-assets.sh $(ASSETS)
	@mkdir -p $(@D)
	scripts/gen-assets.sh $(ASSETS) > $@

$(BUILD)/obj/gen/assets_data.o: $(BUILD)/gen/assets.S | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) -c $< -o $@

$(BUILD)/libattache.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/attache: $(MAIN_OBJ) $(BUILD)/libattache.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(BUILD)/tests/obj/%.o: %.c | $(BUILD)/.test-deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_CFLAGS) $(TEST_CFLAGS) -c $< -o $@

$(BUILD)/tests/unit: $(UNIT_SRC:%.c=$(BUILD)/tests/obj/%.o) $(TEST_SUPPORT_SRC:%.c=$(BUILD)/tests/obj/%.o) $(BUILD)/libattache.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS) $(TEST_LIBS)

$(BUILD)/tests/integration: $(INTEG_SRC:%.c=$(BUILD)/tests/obj/%.o) $(TEST_SUPPORT_SRC:%.c=$(BUILD)/tests/obj/%.o) $(BUILD)/libattache.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS) $(TEST_LIBS)

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

test: unit integration readme-test metrics-test

# Node and Chromium are installed apart: a machine whose Node does not come
# from Debian cannot take Debian's npm, and needs only the browser.
E2E_TESTS := dashboard.test.mjs schemas.test.mjs assets.test.mjs
e2e: $(BUILD)/attache
	@scripts/deps.sh "" "node npm" nodejs npm
	@scripts/deps.sh "" "chromium" chromium
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	cd tests/e2e && TEST_ATTACHE_BIN=$(CURDIR)/$(BUILD)/attache node --test --test-concurrency=1 $(E2E_TESTS)

# The dashboard's map outlines (web/map-data.js), made by hand when their
# frames change and committed; assets.test.mjs checks they are current.
# Needs Debian's iso-codes (on the machine images) for the country codes.
map:
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	node scripts/gen-map.mjs > web/map-data.js.tmp && mv web/map-data.js.tmp web/map-data.js

# libFuzzer targets, built with clang; FUZZ_SECONDS a target (seeds: the fixtures).
FUZZ_SECONDS ?= 30
FUZZ_CC ?= clang
build/fuzz/%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(BUILD)/gen/assets.S | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(LIB_CFLAGS) $^ -o $@ $(LIB_LIBS)

fuzz: build/fuzz/store build/fuzz/request
	@command -v $(FUZZ_CC) >/dev/null || scripts/deps.sh "" clang clang
	mkdir -p build/fuzz/corpus-store build/fuzz/corpus-request
	build/fuzz/store -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -print_final_stats=1 \
		build/fuzz/corpus-store tests/fixtures/store data
	build/fuzz/request -max_total_time=$(FUZZ_SECONDS) -max_len=512 -print_final_stats=1 \
		build/fuzz/corpus-request tests/fuzz/corpus-request

docker-test:
	tests/docker/run.sh

bench: $(BUILD)/attache
	BIN=$(BUILD)/attache tests/bench/run.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
