# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run serve migrate seed-demo test lint schema-check test-sqlite test-postgres test-browser browser schema bench-scheduling bench-people-import bench-matching bench-sync bench-dashboard bench-faults bench-insight bench-directory bench-api clean

$(INSTALLED): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is needed (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(INSTALLED)

run: install migrate seed-demo serve

migrate: install
	$(BIN)/mentorgraph migrate

seed-demo: install
	$(BIN)/mentorgraph seed-demo

serve: install
	$(BIN)/mentorgraph serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

schema-check: install
	$(BIN)/mentorgraph export-schema --check

schema: install
	$(BIN)/mentorgraph export-schema

test-sqlite: install
	MENTORGRAPH_TEST_ENGINE=sqlite $(BIN)/python -m pytest -q --durations=12

test-postgres: install
	MENTORGRAPH_TEST_ENGINE=postgres $(BIN)/python -m pytest -q --durations=12

# The two engines' passes run side by side (each on its own database; on 2 cores the PostgreSQL pass spends
# much of its time waiting on the server); each pass's output is printed whole when it ends.
test: lint schema-check
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# GraphiQL in a real headless Chromium with the network closed; installs Debian's chromium if it is missing.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		echo "installing chromium and chromium-driver (Debian packages)"; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

test-browser: install browser
	MENTORGRAPH_TEST_ENGINE=sqlite MENTORGRAPH_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q tests/api/test_graphiql_browser.py

bench-scheduling: install
	$(BIN)/python bench/scheduling.py
	$(BIN)/python bench/availability.py
	$(BIN)/python bench/free_busy.py

bench-dashboard: install
	$(BIN)/python bench/dashboard.py

# uvicorn in its own process, wrk on loopback (Debian's package, installed when missing), both engines.
bench-api: install
	@command -v wrk >/dev/null || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq wrk; }
	$(BIN)/python bench/api.py $(BENCH_ARGS)

bench-people-import: install
	$(BIN)/python bench/people_import.py

bench-faults: install
	$(BIN)/python bench/faults.py

bench-matching: install
	$(BIN)/python bench/matching.py $(BENCH_ARGS)

bench-insight: install
	$(BIN)/python bench/insight.py

bench-directory: install
	$(BIN)/python bench/directory.py $(BENCH_ARGS)

bench-sync: install
	$(BIN)/python bench/calendar_sync.py $(BENCH_ARGS)
	$(BIN)/python bench/calendar_inbound.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
