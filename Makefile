# Quick start: `make build` builds the site into site/, `make test` runs the whole suite.
# Everything installs itself into .venv; nothing needs to be installed by hand.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Material 9.7+ prints a notice about MkDocs 2.0 on every run; we pin mkdocs<2 on purpose.
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve test lint browser clean publish record-live rollback changes consent-proof

# Values people type (a pull request's title, a target, a consent ID a visitor sent, a path) are text, never make's
# or the shell's: each is taken unexpanded ($(value …): «$5», «$(shell …)» stay as written), exported, and read by
# the recipes from the environment ("$$NAME"), which the shell does not parse: a quote or a ';' stays in the value.
TEXT := TITLE BASE TARGET ID RECEIPT LOG EDITIONS TSA_CA SEALS_COPY_FILE SUMMARY ALLOW_HISTORY_REWRITE
$(foreach name,$(TEXT),$(eval override $(name) := $$(value $(name))))
export $(TEXT)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian run 'apt-get install python3-venv'" >&2; exit 1; }

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

# Reproducible: without SOURCE_DATE_EPOCH, MkDocs dates pages and sitemap.xml(.gz) by the clock; the last commit's time instead.
build: $(VENV)/.installed
	export SOURCE_DATE_EPOCH="$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null)}"; [ -n "$$SOURCE_DATE_EPOCH" ] || unset SOURCE_DATE_EPOCH; $(BIN)/mkdocs build --strict

# What would be published (uncommitted edits and this branch's commits) against the editions in force on main;
# BASE=<rev> compares with another revision; TITLE="…" is the merge's message (a pull request's title, a squash
# commit's subject), shown as the edition's summary. Markdown: readable here, and as a pull request's summary in CI.
# TITLE and BASE are text (TEXT, above).
changes: $(VENV)/.installed
	@$(BIN)/python -m alectro_policy.changes.cli --config mkdocs.yml $(if $(value BASE),--base="$$BASE") $(if $(value TITLE),--title="$$TITLE")

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

browser:
	@sh tests/ensure_chromium.sh
	@sh tests/ensure_lighthouse.sh

$(VENV)/.installed-lint: $(VENV)/.installed
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[lint]'
	touch $@

# CI runs it before the tests: ruff (lint and format check) over the code, mypy over the plugin and deploy packages.
lint: $(VENV)/.installed-lint
	$(BIN)/ruff check plugins deploy tests bench
	$(BIN)/ruff format --check plugins deploy tests bench
	$(BIN)/mypy

# The tests run on every core (pytest-xdist; PYTEST_WORKERS=0 runs them in this process, for --pdb). Each test file
# goes to one worker (--dist loadfile): a site a module builds once is built once. Files are handed out in the order
# pytest collects them (--no-loadscope-reorder), the slow browser and build tests first, the many small unit files
# last, which even out the workers' ends.
PYTEST_WORKERS ?= auto

test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

clean:
	rm -rf site .pytest_cache

# Publishing (guides/operator.md, «Публикация»): TARGET is a directory or user@host:/path (rsync over ssh).
# ALLOW_HISTORY_REWRITE=1 publishes even if published editions would change: for a deliberate correction only.
# TARGET reaches the script through the environment (TEXT, above), never through the shell's parsing of the recipe:
# a quote or a ';' in it stays part of the path.
# The package alectro_deploy (standard library only) runs from deploy/ as it is: nothing to install, on a server neither.
DEPLOY_PYTHONPATH := PYTHONPATH=deploy

# The build numbers from the record of what went live, the tags published/N (guides/operator.md «Запись о
# публикации»), which publish writes after the upload and pushes to RECORD_REMOTE (origin when unset; empty: none).
# ALLOW_HISTORY_REWRITE=1 builds by git history alone, and the tag says so.
publish: $(VENV)/.installed
	@test -n "$$TARGET" || { echo "usage: make publish TARGET=/srv/dir or TARGET=user@host:/path" >&2; exit 2; }
	ALECTRO_PUBLISHING=1 $(if $(filter 1 yes true,$(ALLOW_HISTORY_REWRITE)),ALECTRO_BY_GIT_ALONE=1 )$(MAKE) -f $(firstword $(MAKEFILE_LIST)) --no-print-directory build
	RECORD_REMOTE="$${RECORD_REMOTE-origin}" $(DEPLOY_PYTHONPATH) $(BIN)/python -m alectro_deploy publish --site site --repository . --target "$$TARGET"$(if $(filter 1 yes true,$(ALLOW_HISTORY_REWRITE)), --allow-history-rewrite)

# A site published before the record was kept, or a publish whose tag was not pushed: record the live editions.json.
record-live: $(BIN)/python
	@test -n "$$TARGET" || { echo "usage: make record-live TARGET=/srv/dir or TARGET=user@host:/path" >&2; exit 2; }
	RECORD_REMOTE="$${RECORD_REMOTE-origin}" $(DEPLOY_PYTHONPATH) $(BIN)/python -m alectro_deploy record-live --repository . --target "$$TARGET"

rollback: $(BIN)/python
	@test -n "$$TARGET" || { echo "usage: make rollback TARGET=/srv/dir or TARGET=user@host:/path" >&2; exit 2; }
	$(DEPLOY_PYTHONPATH) $(BIN)/python -m alectro_deploy rollback --target "$$TARGET"

# Proof of consent from nginx's consent log (guides/operator.md, «Журнал согласий»): ID=<consent ID> for one visitor's
# records, or SUMMARY=1 for counts. LOG: the log (its rotated copies are read too), a folder or a glob, or several
# separated by spaces (one per server: merged by the server's time; a glob is passed on unexpanded);
# EDITIONS: the published editions.json (path or URL) the checksums are checked against; TSA_CA: the CA certificate
# of the time-stamping authority that timestamps the log's seals (deploy/alectro-consent-seal). Plain python3:
# runs on the server without the venv. Values reach the script through the environment, as for publish.
consent-proof:
	@test -n "$${ID}$${RECEIPT}$(filter 1 yes true,$(SUMMARY))" || { echo "usage: make consent-proof ID=<consent ID> [LOG=…] [EDITIONS=…], make consent-proof RECEIPT=<visitor's receipt> [LOG=…] [EDITIONS=…], or make consent-proof SUMMARY=1 [LOG=…]" >&2; exit 2; }
	@set -f; set --; for log in $${LOG:-/var/log/nginx/alectro-consent.jsonl}; do set -- "$$@" --log "$$log"; done; \
	for copy in $${SEALS_COPY_FILE}; do set -- "$$@" --seals-copy "$$copy"; done; \
	$(DEPLOY_PYTHONPATH) $(PYTHON) -m alectro_deploy.consent_proof $(if $(filter 1 yes true,$(SUMMARY)),--summary,$(if $(ID),"$$ID") $(if $(RECEIPT),--receipt "$$RECEIPT")) "$$@" --editions "$${EDITIONS:-https://alectro.ru/privacy/editions.json}" $(if $(TSA_CA),--tsa-ca "$$TSA_CA")
