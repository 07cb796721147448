# Thin front end over CMake: `make run` and `make test` are the two set-up commands.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= 2

.PHONY: all deps configure build run test test-release test-asan bench clean

all: build

deps:
	@sh scripts/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

# Build the command only, then run the 东流镇 2019 policy on the shipped example facts.
run: configure
	@cmake --build $(BUILD) -j$(JOBS) --target wenze
	$(BUILD)/wenze run policies/dongliu-2019.wz --facts examples/dongliu --out out/dongliu
	@echo "--- out/dongliu/scores.csv"; cat out/dongliu/scores.csv
	@echo "--- out/dongliu/pay.csv"; cat out/dongliu/pay.csv
	@echo "--- out/dongliu/summary.json"; cat out/dongliu/summary.json

test: test-release test-asan

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DWZ_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j$(JOBS)

# The benchmark (never part of `make test` timings): sizes 10k..10M rows,
# BENCH_MAX=50M adds 50M; prints the table, writes bench/results/.
bench: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) out
