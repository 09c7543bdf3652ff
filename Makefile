# duan8 — set-up, tests and checks. `make help` lists the targets.
#
# Fresh clone:  make run    (virtualenv, packages, SQLite database, demo data, dev server)
#               make test   (pytest, browser tests included; DB=postgres for PostgreSQL)

SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
PY := .venv/bin/python
VENV := .venv/.installed
PORT ?= 8000
PYTEST_ARGS ?=

# Debian packages the project needs on the machine: the browser for UI tests, pdftotext,
# gettext, and LibreOffice Writer (headless) with metric-compatible fonts for .docx -> .pdf.
# fonts-liberation2 (2.1.x): Liberation Serif with every Vietnamese letter; the old
# fonts-liberation (1.07) lacks ơ, ư and stacked marks, so PDFs mixed in DejaVu (if both are
# installed, fontconfig prefers the higher font version: 2.x).
SYSTEM_PACKAGES := chromium poppler-utils gettext libreoffice-writer-nogui fonts-liberation2

# Compiled translations: rebuilt when a .po file is newer than its .mo.
PO_FILES := $(wildcard duan8/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run worker test translations lint typecheck messages system-deps clean help lock

# The task worker (Celery, duan8/jobs): PDFs, exports and reminders run there, off the request.
# Without TASK_BROKER_URL its queue is a folder (var/queue/): no extra server.
WORKER := $(PY) -m celery -A duan8.jobs.celery_app worker --pool=solo --loglevel=INFO \
	--without-gossip --without-mingle --without-heartbeat
WORKER_LOG := var/log/worker.log

run: $(VENV) $(MO_FILES) ## Set up venv, database and demo data; serve http://127.0.0.1:8000 with a task worker
	$(PY) -m duan8 migrate --noinput
	$(PY) -m duan8 seed_demo
	@mkdir -p $(dir $(WORKER_LOG))
	@echo
	@echo "==> Task worker started in the background; its log: $(WORKER_LOG)"
	@echo "==> Serving http://127.0.0.1:$(PORT)/ — sign in with a demo login listed above."
	@$(WORKER) >>$(WORKER_LOG) 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) -m duan8 runserver 127.0.0.1:$(PORT)

worker: $(VENV) $(MO_FILES) ## Run the task worker in the foreground (when the site runs elsewhere)
	$(WORKER)

test: $(VENV) $(MO_FILES) ## Run the whole suite with pytest (DB=postgres for PostgreSQL)
	@$(PY) -m pytest $(PYTEST_ARGS) || { rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests (exit 5): that is a failure." >&2; fi; \
	  exit $$rc; }

translations: $(MO_FILES) ## Compile the translations (.po -> .mo) where a .po is newer

lint: $(VENV) ## ruff check and ruff format --check (reports both before failing)
	@rc=0; \
	echo "ruff check ."; .venv/bin/ruff check . || rc=1; \
	echo "ruff format --check ."; .venv/bin/ruff format --check . || rc=1; \
	exit $$rc

typecheck: $(VENV) ## mypy with django-stubs on the production code (config: [tool.mypy] in pyproject.toml)
	.venv/bin/mypy

messages: $(VENV) ## Update the Vietnamese catalogue and compile it
	$(PY) -m duan8 makemessages -l vi --no-obsolete -i '.venv/*'
	$(PY) -m duan8 compilemessages -i .venv

system-deps: ## Install the Debian packages (as root); otherwise list what is missing
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then \
	  echo "System packages present: $(SYSTEM_PACKAGES)"; \
	elif [ "$$(id -u)" -eq 0 ]; then \
	  echo "Installing missing system packages:$$missing"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES); \
	else \
	  echo "Missing system packages:$$missing"; \
	  echo "Install them as root: apt-get install -y --no-install-recommends$$missing"; \
	fi

clean: ## Remove the virtualenv, caches and collected static files (keeps duan8.sqlite3)
	rm -rf .venv staticfiles test-results .pytest_cache .ruff_cache .mypy_cache duan8.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

lock: ## Re-resolve requirements.lock from pyproject.toml in a throwaway virtualenv
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/pip" install -q -e '.[dev]' && \
	{ echo "# Every installed package, pinned exactly: the direct ones come from pyproject.toml,"; \
	  echo "# the indirect ones are locked here. Used as a constraints file:"; \
	  echo "#   pip install -c requirements.lock -e '.[dev]'"; \
	  echo "# Regenerate with \`make lock\` after changing pyproject.toml."; \
	  "$$tmp/venv/bin/pip" freeze --exclude-editable; } > requirements.lock && \
	echo "requirements.lock updated."

.PHONY: load-deps load-test

load-deps: ## Locust and py-spy in their own virtualenv (.venv-load), from bench/load/requirements.txt
	test -x .venv-load/bin/python || $(PYTHON) -m venv .venv-load
	.venv-load/bin/pip install --disable-pip-version-check -q -r bench/load/requirements.txt

load-test: $(VENV) load-deps ## Load test on PostgreSQL (bench/load/run.sh; LOAD_MINUTES, LOAD_THINK, LOAD_MIX, ...)
	bench/load/run.sh

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

# The virtualenv is a file target: rebuilt only when the dependency files change.
$(VENV): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv .venv
	$(PY) -m pip install --disable-pip-version-check -q -c requirements.lock -e '.[dev]'
	touch $@

%.mo: %.po
	@if command -v msgfmt >/dev/null; then \
	  echo "msgfmt $<"; msgfmt --check-format -o $@ $<; \
	else \
	  echo "msgfmt not found (make system-deps): $@ not rebuilt." >&2; \
	fi
