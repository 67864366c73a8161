# Herd: the two set-up commands are `make run` and `make test` (see README.md).
SWIFT ?= swift
CONFIG ?=

.PHONY: run build test lint fuzz format bench bench-api bench-transcode bench-p2p bench-federation bench-redundancy bench-web deps clean

deps:
	@scripts/install-deps.sh build

build: deps
	$(SWIFT) build -c release --product herd

# Installs what is missing, builds, and runs the server on the embedded default (SQLite + ./storage).
run: build
	.build/release/herd serve $(if $(CONFIG),--config $(CONFIG),)

# The whole test suite, twice: every Herd instance on its own SQLite file and storage folder, then on a PostgreSQL 15
# database and an S3 bucket each (HERD_TEST_DATABASE=postgres HERD_TEST_OBJECT_STORAGE=1; the tests start PostgreSQL
# and SeaweedFS on loopback themselves). CLI tests run the built `herd` binary, so everything is built first.
# The shared test vectors: ../shared/vectors beside this checkout, or beside the repository it was cloned from.
VECTORS ?= $(firstword $(wildcard $(CURDIR)/../shared/vectors $(shell git config --get remote.origin.url 2>/dev/null)/../shared/vectors))

# At most TEST_WIDTH tests run at once: unbounded, every test of the suite starts together on two cores and
# in-process servers take tens of seconds per request (past HummingbirdTesting's 20 s read timeout); six keep
# requests within a few seconds and finish sooner (251 s against 326 s here).
TEST_WIDTH ?= 6

# The build also refuses an import of a module the target does not declare as a dependency (issue 17).
test:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error
	$(if $(VECTORS),HERD_VECTORS="$(VECTORS)") $(SWIFT) test --skip-build \
		--experimental-maximum-parallelization-width $(TEST_WIDTH)
	$(if $(VECTORS),HERD_VECTORS="$(VECTORS)") HERD_TEST_DATABASE=postgres HERD_TEST_OBJECT_STORAGE=1 $(SWIFT) test --skip-build \
		--experimental-maximum-parallelization-width $(TEST_WIDTH)

# Formatting and style as .swift-format has them, warnings included (.ci/run runs it before the tests).
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Package.swift

# Fuzzing (issue 14): every parser of bytes from the network or from uploads, built with libFuzzer and
# AddressSanitizer (in .build-fuzz), each run over its seed corpus in Tests/Fuzz/Corpus (never written to); prints
# executions and crashes per target. FUZZ_RUNS=10000000 per target by default, or FUZZ_SECONDS=N; FUZZ_TARGETS and
# FUZZ_JOBS narrow or widen it; FUZZ_RESUME=1 continues a campaign across runs and sums its executions
# (Tests/Fuzz/run.sh).
fuzz:
	Tests/Fuzz/run.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Benchmarks Package.swift

# Every benchmark, then one table of all rows against Benchmarks/baseline.md (rows that moved by more than 15% are
# named). BENCHES="api web" runs some only.
bench:
	Benchmarks/bench.sh

bench-api:
	@scripts/install-deps.sh bench
	Benchmarks/api/run.sh

bench-transcode:
	@scripts/install-deps.sh test
	Benchmarks/transcode/run.sh

# Herd's tracker, seeder and web seed against a libtorrent seed, same swarm, same cap (see Benchmarks/p2p/run.sh).
bench-p2p:
	@scripts/install-deps.sh bench
	Benchmarks/p2p/run.sh

# Delivery to 1,000 follower inboxes and verification of 2,000 signed inbox activities (issue 5).
bench-federation:
	@scripts/install-deps.sh bench
	Benchmarks/federation/run.sh

# Mirrors (issue 6): CacheFile acceptance to first byte, copy throughput against curl, player failover ≤ 5 s.
bench-redundancy:
	@scripts/install-deps.sh bench
	Benchmarks/redundancy/run.sh

# The web client (issue 7): first frame, peer share with 4 viewers (≥ 60%), watch page weight (≤ 150 KB).
bench-web:
	@scripts/install-deps.sh test
	Benchmarks/web/run.sh

# Scale-out (issue 18): the list on PostgreSQL beside SQLite, job claims, uploads to and fragments from a bucket.
bench-cluster:
	@scripts/install-deps.sh bench
	Benchmarks/cluster/run.sh

clean:
	rm -rf .build
