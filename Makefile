# swiftbind: two commands.
#   make test   installs what the tests need, runs `swift test` and pytest
#               (on python3, then on every other CPython 3.9-3.13 found)
#   make demo   installs what the demo needs, builds the examples, runs the
#               benchmarks against the peers and writes benchmarks/REPORT.md
#               (tables and one PNG chart per benchmark)

PYTHON ?= python3
export PIP_ROOT_USER_ACTION := ignore
PIP := $(PYTHON) -m pip --disable-pip-version-check -q
# The other interpreters we claim: found in pyenv's folder or on PATH.
EXTRA_PYTHON_VERSIONS ?= 3.9 3.10 3.12 3.13
BENCHMARKS ?= calls classes transfer stats bf parallel columnar build embed

PY_INCLUDE := $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_paths()['include'])")
PY_LIBDIR := $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('LIBDIR'))")
PY_LIB := $(shell $(PYTHON) -c "import sysconfig; print('python' + sysconfig.get_config_var('LDVERSION'))")
# `swift test` embeds the interpreter, so it links libpython (extensions never do).
SWIFT_TEST_FLAGS := -Xcc -I$(PY_INCLUDE) -Xlinker -L$(PY_LIBDIR) -Xlinker -l$(PY_LIB) \
                    -Xlinker -rpath -Xlinker $(PY_LIBDIR)

.PHONY: test deps swift-test pytest test-versions test-abi3 demo demo-deps examples clean

test: deps swift-test pytest test-versions test-abi3

deps:
	$(PIP) install -r pytests/requirements.txt $(addprefix -r ,$(wildcard pytests/requirements-*.txt))

swift-test:
	swift test $(SWIFT_TEST_FLAGS)

# pytest exits 5 when it collects no test: make fails on it like on any error.
pytest: deps
	$(PYTHON) -m pytest pytests -q -p no:cacheprovider

# The foundation suites on every other supported interpreter that is here,
# building only the fixture modules they import.
VERSION_FIXTURES := fx_functions,fx_conversions,fx_errors,fx_state,fx_gil,fx_classes,fx_inheritance
test-versions:
	@found=0; for v in $(EXTRA_PYTHON_VERSIONS); do \
	  py=$$(ls -d $$HOME/.pyenv/versions/$$v.*/bin/python$$v 2>/dev/null | tail -n 1); \
	  [ -n "$$py" ] || py=$$(command -v python$$v 2>/dev/null || true); \
	  if [ -z "$$py" ] || ! $$py -c pass 2>/dev/null; then echo "test-versions: no python$$v here, skipped"; continue; fi; \
	  found=1; echo "== CPython $$v ($$py)"; \
	  $$py -m pip --disable-pip-version-check -q install "pytest>=7" || exit 1; \
	  SWIFTBIND_TEST_FIXTURES=$(VERSION_FIXTURES) $$py -m pytest -q -p no:cacheprovider pytests/test_functions.py pytests/test_conversions.py \
	      pytests/test_errors.py pytests/test_state.py pytests/test_gil.py pytests/test_leaks.py \
	      pytests/test_binding_paths.py pytests/test_reimport.py pytests/test_hostile_containers.py \
	      pytests/test_trap_report.py || exit 1; \
	done; [ $$found = 1 ] || echo "test-versions: only $(PYTHON) was tested"

# One abi3 wheel of every fixture module (floor ABI3_FLOOR), installed into a
# fresh venv of each CPython from the floor up that is here; the core suites
# run against it there (pytests/abi3_matrix.py).  ABI3_FLOOR=3.10 leaves out
# the buffer fixtures and suites (no buffer protocol in 3.10's limited API).
ABI3_FLOOR ?= 3.11
test-abi3: deps
	$(PYTHON) pytests/abi3_matrix.py --floor $(ABI3_FLOOR)

demo-deps:
	$(PIP) install -r benchmarks/requirements.txt $(addprefix -r ,$(wildcard pytests/requirements-*.txt))
	@if ! command -v pypy3 >/dev/null || ! command -v go >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pypy3 golang-go) \
	  || echo "demo: could not install pypy3/golang-go; those peers will be skipped"; fi
	@# The PyO3 peers (build and calls benchmarks): Debian's PyO3 0.17.3 crates, built offline by cargo.
	@if [ ! -d /usr/share/cargo/registry/pyo3-0.17.3 ] || ! command -v cargo >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librust-pyo3-dev \
	     $$(command -v cargo >/dev/null || echo cargo)) \
	  || echo "demo: could not install librust-pyo3-dev/cargo; the pyo3 peers will be skipped"; fi
	$(PIP) install .

# Every example is a user project: pip builds the wheel of each extension
# module and installs it; examples/outliers (Python embedded in a Swift
# program) is a Swift executable that `swift run` builds and runs.
examples: demo-deps
	@for ex in examples/*/; do \
	  [ -f $$ex/pyproject.toml ] || continue; \
	  echo "== pip install $$ex"; \
	  $(PIP) install --no-build-isolation --force-reinstall --no-deps $$ex || exit 1; \
	done
	$(PYTHON) -c "import hello; print(hello.greet('swiftbind', shout=True), hello.add(2, 3))"
	@echo "== swift run outliers (examples/outliers)"
	echo "1 2 3 2 1 2 3 2 1 2 100 2 3 2 1 2" | swift run -c release --package-path examples/outliers $(SWIFT_TEST_FLAGS) outliers

demo: examples
	@for b in $(BENCHMARKS); do \
	  if [ -f benchmarks/$$b/bench.py ]; then \
	    echo; echo "################ benchmark: $$b ################"; \
	    $(PYTHON) benchmarks/run.py $$b || exit 1; \
	  fi; \
	done
	$(PYTHON) benchmarks/summary.py
	$(PYTHON) benchmarks/report.py

clean:
	rm -rf .build .build-* pytests/_build benchmarks/_build benchmarks/results
	find . -name .build-swiftbind -type d -prune -exec rm -rf {} +

# -- crash fuzzing and sanitizers (docs/testing.md) ---------------------------
#   make fuzz       FUZZ_CALLS fuzzed calls (default 1,000,000) in subprocess
#                   batches on FUZZ_JOBS processes, then the 100,000-call leak check
#   make sanitize   fuzz batches and the core suites under AddressSanitizer
#                   (SANITIZER=valgrind: memcheck); fails on any error through
#                   a swiftbind frame
.PHONY: fuzz sanitize
FUZZ_CALLS ?= 1000000
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_FIXTURES := $(PYTHON) -c "import sys; sys.path.insert(0, 'pytests'); import conftest; conftest.build_fixtures()"

fuzz: deps
	$(BUILD_FIXTURES)
	$(PYTHON) pytests/fuzz/campaign.py --calls $(FUZZ_CALLS) --jobs $(FUZZ_JOBS)
	FUZZ_LEAK_CALLS=100000 $(PYTHON) -m pytest pytests/test_fuzz_leaks.py -q -p no:cacheprovider

sanitize: deps
	$(BUILD_FIXTURES)
	$(PYTHON) pytests/fuzz/sanitize.py
