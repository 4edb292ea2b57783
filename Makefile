# govdisclose — the commands a newcomer runs: `make demo` (render the notebooks on the bundled
# data) and `make test` (the whole suite, offline). Both install what they need first
# (`make setup`: the package in editable mode with every extra and the test tools, `.[dev]`).
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PARAMS ?= notebooks/params/demo.yml
DEMO   ?= reports
JOBS   ?= auto
# scripts/bench_corpus.py: build_corpus over 100,000 synthetic reports with 2 workers (e.g. CORPUS_BENCH="--n 10000")
CORPUS_BENCH ?= --n 100000
# ... and the text/HTML mix the reports/s target is set for
CORPUS_BENCH_TEXT ?= --n 100000 --formats text,html

.PHONY: setup notebook-filters system-deps test test-fast test-oldest demo render wheel lint typecheck bench clean help

help:
	@echo "make setup   create $(VENV) and install govdisclose with everything the tests and notebooks need"
	@echo "make test    setup, then the whole test suite (offline)"
	@echo "make demo    render every notebook on the bundled data into reports/ (re-renders: replaces an earlier demo)"
	@echo "make render PARAMS=file.yml   render the (notebook, parameters) sets listed in a YAML file (replaces an earlier render)"
	@echo "make wheel   build the wheel into dist/ (the sample, notebooks and parameter files inside)"
	@echo "make bench   benchmark parsing speed against pandas.read_html / pdfplumber baselines, then build_corpus (CORPUS_BENCH=\"--n 10000\")"
	@echo "make test-oldest   the core tests on the oldest pandas/numpy/pyarrow pyproject.toml admits (own venv)"
	@echo "make lint    ruff over the package and tests, then mypy"
	@echo "make typecheck   mypy over the package (settings in pyproject.toml)"

setup: $(STAMP)
	@$(MAKE) --no-print-directory notebook-filters

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@bash scripts/system-deps.sh
	@touch $(STAMP)

# git filter (see .gitattributes): outputs saved into notebooks/*.ipynb by JupyterLab never reach git
notebook-filters:
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.govdisclose-nbstrip.clean "$(abspath $(PY)) -m govdisclose.viz.nbstrip" && \
	  git config filter.govdisclose-nbstrip.smudge cat && \
	  echo "notebook filter: git commits notebooks/*.ipynb without outputs"; \
	else echo "not a git checkout: notebook filter not installed"; fi

system-deps:
	@bash scripts/system-deps.sh

test: setup
	$(PY) -m pytest -n $(JOBS) -q -p no:cacheprovider

test-fast: setup
	$(PY) -m pytest -n $(JOBS) -q -m "not slow" -p no:cacheprovider

# the oldest releases pyproject.toml admits (pandas 2.2, numpy 1.26, pyarrow 15), in a venv of their
# own, over the tests of the core, PDF, DOCX and dask code (pandas 2 groups categoricals and infers
# concat dtypes differently, and warns where pandas 3 changed the default: the suite's warnings are errors)
OLDEST ?= .venv-oldest
OLDEST_TESTS ?= tests/mapping tests/checks tests/template tests/test_public_api.py tests/corpus tests/analysis \
	tests/readers/test_text_reader.py tests/readers/test_reader_html.py tests/readers/test_reader_pdf.py tests/readers/test_reader_docx.py
test-oldest:
	@test -x $(OLDEST)/bin/python || python3 -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet -e ".[pdf,docx,dask]" pillow pytest pytest-xdist hypothesis -c scripts/oldest-constraints.txt
	$(OLDEST)/bin/python -m pytest -n $(JOBS) -q -p no:cacheprovider $(OLDEST_TESTS) \
	  --deselect tests/readers/test_reader_pdf.py::test_image_only_pdf_needs_ocr

# `govdisclose demo` / `render` refuse a folder holding an earlier render unless --force: `make`
# re-renders on purpose (the output folder is reports/, ignored by git).
demo: setup
	$(PY) -m govdisclose demo --output $(DEMO) --force

render: setup
	$(PY) -m govdisclose render $(PARAMS) --force

wheel: setup
	$(PY) -m pip wheel --no-deps -w dist .

bench: setup
	$(PY) scripts/bench.py
	$(PY) scripts/bench_corpus.py $(CORPUS_BENCH)
	$(PY) scripts/bench_corpus.py $(CORPUS_BENCH_TEXT)
	$(PY) scripts/bench_ocr.py

lint: setup
	$(PY) -m ruff check govdisclose tests scripts
	$(PY) -m mypy

typecheck: setup
	$(PY) -m mypy

clean:
	rm -rf reports .pytest_cache .hypothesis build dist govdisclose.egg-info
