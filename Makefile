# SPDX-License-Identifier: Apache-2.0
# The README's two commands, and a few developer targets. CMake does the
# real work; this file only chains set-up, configure, build and run.
#   make run    install what is missing, build, run `vigil scan demo/evidence`
#   make test   install what is missing, build, run every test (ctest)
#   make asan   the same tests under ASan + UBSan (clang-14)
#   make fuzz   libFuzzer harnesses (clang-14), in build-fuzz/fuzz/
#   make bench  the benchmarks in bench/ (not tests)

BUILD   ?= build
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
WERROR  := $(if $(CI),ON,OFF)
CMAKE_ARGS ?=

.PHONY: run test build setup asan asan-test fuzz bench clean

run: setup build
	@echo "==> vigil scan demo/evidence"
	@./$(BUILD)/vigil scan demo/evidence; rc=$$?; \
	  echo "==> exit status $$rc (0 clean, 1 findings, 2 error)"; \
	  test $$rc -le 1

test: setup build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

setup:
	@bash scripts/setup.sh

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVG_WERROR=$(WERROR) $(CMAKE_ARGS)
	cmake --build $(BUILD) -j$(JOBS)

asan asan-test:
	@bash scripts/setup.sh --sanitize
	cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang-14 -DCMAKE_BUILD_TYPE=Debug \
	  -DVG_SANITIZE=ON -DVG_ARENA_DEBUG=ON -DVG_WERROR=$(WERROR)
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure -j$(JOBS)

fuzz:
	@bash scripts/setup.sh --sanitize
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang-14 -DVG_FUZZ=ON
	cmake --build build-fuzz -j$(JOBS)

bench: setup build
	@bash scripts/setup.sh --bench
	@for b in bench/*/run.sh; do echo "==> $$b"; bash $$b || exit 1; done

clean:
	rm -rf build build-asan build-fuzz
