# inkan: the commands README.md tells people to type. CMake does the
# building; this file only drives it.
#
#   make test          install missing Debian packages, build, run every test
#   make run           build and run the demo
#   make bench         benchmarks against the peers (installed if missing)
#   make fuzz          every libFuzzer target for FUZZ_SECONDS (default 60)
#   make asan-test     the tests again under ASan + UBSan (clang)
#   make fuzz-replay   every seed corpus through the libFuzzer binaries
#   make format        clang-format every C file in place
#   make check-style   clang-format check plus the banned-function check

MAKEFLAGS += --no-print-directory

BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
CMAKE ?= cmake
CTEST ?= ctest

.PHONY: all deps build test run bench fuzz fuzz-build fuzz-replay asan-test \
	format check-style clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS)

test: build
	$(CTEST) --test-dir $(BUILD) --output-on-failure -j $(JOBS)

run: build
	@scripts/demo $(BUILD)/inkan

# The peers (libspf2, pyspf, libopendkim, dkimpy) are installed for the
# benchmarks only; the configure step runs again so that CMake finds a
# library installed just now.
bench:
	@scripts/install-deps --bench
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	$(CMAKE) --build $(BUILD) -j $(JOBS)
	@scripts/bench $(BUILD)

asan-test: deps
	CC=clang $(CMAKE) -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug \
		-DINKAN_SANITIZE=ON
	$(CMAKE) --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(CTEST) --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

fuzz-build: deps
	CC=clang $(CMAKE) -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DINKAN_FUZZ=ON
	$(CMAKE) --build $(FUZZ_BUILD) -j $(JOBS)

fuzz: fuzz-build
	@scripts/fuzz run $(FUZZ_BUILD) $(FUZZ_SECONDS)

fuzz-replay: fuzz-build
	@scripts/fuzz replay $(FUZZ_BUILD)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

check-style:
	@scripts/check-style

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
