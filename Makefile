# Alliance Credentials: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run test fuzz test-services w3c-suites load install node lint format typecheck importlint security deploy-check secrets messages translations clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Node.js is needed only for the interoperability tests and the browser tests.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: interoperability and browser tests will be skipped"; fi

node:
	@if [ -f package.json ]; then $(MAKE) --no-print-directory $(NODE_STAMP); fi

.env: | $(STAMP)
	$(PY) -m portal.secrets > .env
	@echo "Wrote .env with freshly generated demo keys (not for production)."

secrets: .env

# Compile the committed .po catalogues into .mo files (pure Python, no GNU gettext needed).
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py compile_translations

# After adding or changing interface strings: extract them into every language's catalogue
# (needs GNU gettext), then translate the new entries (docs/translations.md).
translations: $(STAMP)
	DEBUG=1 $(PY) manage.py update_translations
	DEBUG=1 $(PY) manage.py compile_translations

# Start the portal with demo data on SQLite, tasks running in-process.
run: $(STAMP) .env messages
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The whole test suite on the embedded defaults (SQLite, tasks in-process).
test: $(STAMP) messages node
	$(BIN)/pytest -n auto -m "not services"

# The differential tests against Digital Bazaar's JavaScript stack, run longer than in `make test`
# (FUZZ_SCALE times as many generated batches of credentials and mutations).
FUZZ_SCALE ?= 40
fuzz: $(STAMP) node
	DIFFERENTIAL_EXAMPLES=$(FUZZ_SCALE) $(BIN)/pytest -p no:randomly -m interop -q \
		tests/interop/test_canonical_differential.py

# The suite again against PostgreSQL and Redis, with real Celery workers for the tests marked
# `services` and the browser journeys (`e2e`, Debian's Chromium) against a real server.
# DATABASE_URL and REDIS_URL must point at running servers.
test-services: $(STAMP) messages node
	$(BIN)/pytest -n 2

# The W3C conformance suites (eddsa-rdfc-2022, VC Data Model 2.0, Bitstring Status List) against
# the VC-API of a portal started on loopback; see docs/conformance.md. W3C_SUITES_DIR defaults to
# ../shared/w3c-suites; W3C_SUITES_WORK keeps the suites' npm dependencies between runs.
w3c-suites: $(STAMP) messages
	$(PY) ci/w3c_suites.py

# Load on gunicorn + PostgreSQL with Locust (not part of CI; about three minutes). DATABASE_URL
# must point at a running PostgreSQL; the figures go into docs/benchmarks.md.
load: $(STAMP)
	$(PY) bench/load.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	DEBUG=1 $(BIN)/mypy .

importlint: $(STAMP)
	$(BIN)/lint-imports

# Static security analysis: fails on any high-severity finding.
security: $(STAMP)
	$(BIN)/bandit --quiet --recursive credential_format portal alliances catalogue issuance verification wallet recognition insights --severity-level high

deploy-check: $(STAMP)
	DEBUG=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	KEY_ENCRYPTION_KEY="$$($(PY) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')" \
	PORTAL_BASE_URL=https://credentials.example.eu \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache
