# The README's two commands are `make run` and `make test`; the rest are their parts.
JOBS   ?= 2
# ctest's jobs: more than the cores, as the e2e scripts spend much of their time waiting.
TEST_JOBS ?= 4
DB     ?= sqlite:kaowu.db
LISTEN ?= 127.0.0.1:8080
FUZZ_SECONDS ?= 60

.PHONY: all deps build build-asan build-fuzz run test fuzz bench format clean

all: build

deps:
	@scripts/deps.sh

build:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build -j$(JOBS)

build-asan:
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKW_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)

build-fuzz:
	@cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DKW_FUZZ=ON -DCMAKE_C_COMPILER=clang >/dev/null
	@cmake --build build-fuzz -j$(JOBS)

# Installs, builds, creates ./kaowu.db when absent and serves http://127.0.0.1:8080
run: deps build
	build/kaowu init --db $(DB)
	build/kaowu demo --db $(DB)
	build/kaowu serve --db $(DB) --listen $(LISTEN)

# Installs, builds with ASan+UBSan (and the release and libFuzzer builds, so that their
# warnings fail here too), starts a throwaway PostgreSQL 15, runs every test on SQLite and
# on PostgreSQL, removes the cluster.
test: deps build build-asan build-fuzz
	@tests/pg/with-cluster.sh ctest --test-dir build-asan --output-on-failure -j$(TEST_JOBS)

# A longer fuzzing run of every target (FUZZ_SECONDS each); crashes land in build-fuzz/.
fuzz: deps build-fuzz
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench: deps build
	@bench/run.sh

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-fuzz
