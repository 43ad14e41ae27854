# `make run` opens the viewer on the bundled knowledge base; `make test` runs every test.
# Both create the virtual environment they need and install what is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHOT_DATA := build/screenshot-data

.PHONY: run test check bench screenshots system-deps clean

run: $(STAMP)
	@KBVIEWER_WINDOW=1 sh scripts/system-deps.sh
	$(BIN)/kbviewer

test: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/kbviewer check

bench: $(STAMP)
	$(BIN)/python -m benchmarks.search --notes 1000
	$(BIN)/python -m benchmarks.search --notes 10000
	$(BIN)/python -m benchmarks.annotations

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
	@sh scripts/system-deps.sh

$(STAMP): pyproject.toml
	@sh scripts/python-venv.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
