# `make run` opens the viewer on the bundled knowledge base; `make test` runs every test.
# Both create the virtual environment they need and install what is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check bench screenshots system-deps clean

run: $(STAMP) system-deps
	$(BIN)/kbviewer

test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/kbviewer check

bench: $(STAMP)
	$(BIN)/python -m benchmarks.search --notes 1000
	$(BIN)/python -m benchmarks.search --notes 10000

screenshots: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/kbviewer --screenshot docs/window.png --note ontario-provincial-police --size 1400x900
	QT_QPA_PLATFORM=offscreen $(BIN)/kbviewer --screenshot docs/timeline.png --view timeline --size 1400x900
	QT_QPA_PLATFORM=offscreen $(BIN)/kbviewer --screenshot docs/graph.png --note opp-internal-review --view graph --size 1400x900

system-deps:
	@sh scripts/system-deps.sh

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "kbviewer needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
