# Thin front end over CMake: `make run` and `make test` are the two set-up commands.
#
# They (and `make bench`, which needs the benchmark's peers) install any missing Debian
# package first, with scripts/deps.sh, once; then a sub-make does the work, so the
# packages are in place before anything starts, even under `make -j`. `make deps` does
# only that. Everything else (`make build`, `make test-release`, …) never calls apt.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= 2
# seconds of fuzzing per harness: fuzz-smoke (part of `make test`) and a campaign
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_SECONDS       ?= 300

# $(call cmake_configure,DIR,OPTIONS): configure DIR; when that fails (on a fresh
# machine, most likely a missing package), say how to install what is missing.
cmake_configure = cmake -S . -B $(1) $(2) >/dev/null || \
    { echo "wenze: cmake failed; on a fresh machine, 'make deps' installs what is missing" >&2; exit 1; }

.PHONY: all deps configure build run example test test-release test-asan fuzz-build fuzz-smoke fuzz fmt fmt-check bench bench-only clean install man pot

all: build

deps:
	@sh scripts/deps.sh

configure:
	@$(call cmake_configure,$(BUILD),-DCMAKE_BUILD_TYPE=RelWithDebInfo)

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

run: deps
	@$(MAKE) --no-print-directory example

# Build the command only, then run the 东流镇 2019 policy on the shipped example facts.
example: configure
	@cmake --build $(BUILD) -j$(JOBS) --target wenze
	$(BUILD)/wenze run policies/dongliu-2019.wz --facts examples/dongliu --out out/dongliu
	@echo "--- out/dongliu/scores.csv"; cat out/dongliu/scores.csv
	@echo "--- out/dongliu/pay.csv"; cat out/dongliu/pay.csv
	@echo "--- out/dongliu/summary.json"; cat out/dongliu/summary.json

test: deps
	@$(MAKE) --no-print-directory test-release test-asan fuzz-smoke

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# `wenze fmt` over the files kept formatted (tests/e2e/fmt.sh checks them): the policies, the
# standard library and the test policies.  fmt-check prints the diff instead.
FMT_FILES = $(wildcard policies/*.wz stdlib/*.wz tests/policies/*.wz)

fmt: build
	@$(BUILD)/wenze fmt $(FMT_FILES)

fmt-check: build
	@$(BUILD)/wenze fmt --check $(FMT_FILES)

# `make install [PREFIX=/usr/local] [DESTDIR=…]`: the binary, its manual page (man wenze), its
# bash completion and its Chinese messages (PREFIX/share/locale, which PREFIX/bin/wenze finds
# beside itself).  `make man` remakes docs/wenze.1 from the binary's help.
PREFIX ?= /usr/local
install: build
	install -D -m 755 $(BUILD)/wenze $(DESTDIR)$(PREFIX)/bin/wenze
	install -D -m 644 docs/wenze.1 $(DESTDIR)$(PREFIX)/share/man/man1/wenze.1
	install -D -m 644 editors/bash/wenze $(DESTDIR)$(PREFIX)/share/bash-completion/completions/wenze
	install -D -m 644 $(BUILD)/locale/zh_CN/LC_MESSAGES/wenze.mo $(DESTDIR)$(PREFIX)/share/locale/zh_CN/LC_MESSAGES/wenze.mo

man: build
	python3 scripts/make_man.py $(BUILD)/wenze

# po/wenze.pot from the sources, merged into po/zh_CN.po: after adding or changing a message
# (then translate it; tests/e2e/i18n_catalogue.sh fails until every message is).
pot:
	sh scripts/update_po.sh

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan:
	@$(call cmake_configure,$(ASAN_BUILD),-DCMAKE_BUILD_TYPE=Debug -DWZ_SANITIZE=ON)
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j$(JOBS)

# The libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan; tests/fuzz/run.sh): every
# committed crash input again, then FUZZ_SMOKE_SECONDS (fuzz-smoke, in `make test`) or
# FUZZ_SECONDS (fuzz, a campaign) of fuzzing per harness.
fuzz-build:
	@CC=clang $(call cmake_configure,$(FUZZ_BUILD),-DCMAKE_BUILD_TYPE=RelWithDebInfo -DWZ_FUZZ=ON -DWZ_TESTS=OFF)
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_policy fuzz_facts fuzz_vm fuzz_decimal

fuzz-smoke: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The benchmark (never part of `make test` timings): sizes 10k..10M rows,
# BENCH_MAX=50M adds 50M; prints the table, writes bench/results/.  scripts/bench-deps.sh
# adds what only the benchmark needs (Node.js, npm and the DuckDB peer's npm packages).
bench: deps
	@sh scripts/bench-deps.sh
	@$(MAKE) --no-print-directory bench-only

bench-only: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) out
