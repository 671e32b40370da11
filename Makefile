# storyline: the two quickstart commands (`make demo`, `make test`) set everything up
# themselves: a virtual environment in .venv with every pinned dependency, the spaCy
# English model included. Nothing has to be installed by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= storyline.db

.PHONY: demo test lint bench reliability serve browser-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/storyline ingest examples --exclude README.md --outlets examples/outlets.yaml --db $(DB); status=$$?; \
	  [ $$status -le 1 ] || exit $$status
	$(BIN)/storyline articles --db $(DB)

# Browser tests need Debian's Chromium and ChromeDriver; install them when we can
# (root with apt-get), otherwise the browser tests skip and say why.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "browser-deps: could not install chromium; browser tests will skip"; \
	  else echo "browser-deps: chromium not installed and not root; browser tests will skip"; fi; \
	fi

test: $(STAMP) browser-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

# Lint and the format check (config: [tool.ruff] in pyproject.toml). `make test` runs the
# lint; the format check is not in it yet: formatting the tree as ruff would takes ten
# modules over the 600-line limit (tests/test_imports.py), so they are split first.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m storyline.bench

# The long reliability run (issue 15): 12 kill -9s of an ingest with workers, two
# concurrent ingests, and a seeded fuzz run of 2,000 hostile inputs (large sizes included).
reliability: $(STAMP)
	STORYLINE_RELIABILITY_KILLS=12 STORYLINE_FUZZ_INPUTS=2000 STORYLINE_FUZZ_LARGE=1 \
	  $(BIN)/python -m pytest -q -s -p no:cacheprovider tests/test_reliability.py tests/test_fuzz.py

serve: $(STAMP)
	$(BIN)/storyline serve --db $(DB)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
