# `make run` opens the viewer on the bundled knowledge base; `make test` checks the code
# (ruff, mypy) and runs every test in parallel. Both create the virtual environment they
# need and install what is missing (system packages through scripts/system-deps.sh: only
# those each one needs).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHOT_DATA := build/screenshot-data

.PHONY: run test lint check bench screenshots bundle system-deps clean

run: $(STAMP)
	@sh scripts/system-deps.sh window
	$(BIN)/kbviewer

test: lint
	@PYTHON=$(PYTHON) sh scripts/system-deps.sh test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy viewer/core

# dist/kbviewer-VERSION-linux-ARCH.tar.gz: Python, Qt and the knowledge base in one folder
bundle: $(STAMP)
	@PYTHON=$(PYTHON) sh scripts/system-deps.sh bundle
	sh scripts/bundle.sh $(BIN)/python

check: $(STAMP)
	$(BIN)/kbviewer check

bench: $(STAMP)
	$(BIN)/python -m benchmarks.search --notes 1000
	$(BIN)/python -m benchmarks.search --notes 10000
	$(BIN)/python -m benchmarks.annotations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.browse
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.tables

screenshots: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/kbviewer --screenshot docs/window.png --note ontario-provincial-police --size 1400x900
	QT_QPA_PLATFORM=offscreen $(BIN)/kbviewer --screenshot docs/timeline.png --view timeline --size 1400x900
	QT_QPA_PLATFORM=offscreen $(BIN)/kbviewer --screenshot docs/graph.png --note opp-internal-review --view graph --size 1400x900
	QT_QPA_PLATFORM=offscreen $(BIN)/kbviewer --screenshot docs/vault.png --kb tests/fixtures/vault --note Home --size 1400x900
	@# annotations made for the picture in a scratch data folder, never the reader's own
	rm -rf $(SHOT_DATA)
	$(BIN)/kbviewer annotations add ontario-provincial-police --data $(SHOT_DATA) --colour yellow \
		--quote "the force afterwards instructed them to stop" --tag timeline --tag opp \
		--comment "Stopped only once it was found out: compare the internal review." >/dev/null
	$(BIN)/kbviewer annotations add ontario-provincial-police --data $(SHOT_DATA) --colour blue \
		--quote "the tool had served mainly to identify victims" --tag claims \
		--comment "The force's own account; nobody outside checked it." >/dev/null
	$(BIN)/kbviewer annotations add ontario-provincial-police --data $(SHOT_DATA) --colour pink \
		--quote "the testing took place outside the force's normal evaluation process" --tag procurement \
		--tag opp --comment "The procurement question in one sentence." >/dev/null
	$(BIN)/kbviewer annotations add opp-internal-review --data $(SHOT_DATA) --colour green \
		--quote "a media inquiry" --tag timeline --comment "Found out from outside, not by the force." >/dev/null
	QT_QPA_PLATFORM=offscreen $(BIN)/kbviewer --screenshot docs/annotations.png --note ontario-provincial-police \
		--panel annotations --size 1400x900 --data $(SHOT_DATA)
	rm -rf $(SHOT_DATA)

system-deps:
	@sh scripts/system-deps.sh offscreen

$(STAMP): pyproject.toml
	@sh scripts/python-venv.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bundle]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
