# Two entry points on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo test test-fast lint bench eval train sparql-ahead clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	# kg's bytecode too (pip writes it only for what it copies): where PYTHONDONTWRITEBYTECODE is set,
	# as in many containers, every `kg` command compiled kg's modules again (0.08 s of its start-up)
	$(BIN)/python -m compileall -q kg
	rm -f $(VENV)/.installed-* && touch $@

demo: install
	$(BIN)/kg extract examples/000_3d31550ceac5e1d3.txt -o exports --published 2022-10-11
	$(BIN)/kg validate exports/000_3d31550ceac5e1d3.ttl

# the suite on every core (pytest-xdist); JOBS=1 runs it in one process
JOBS ?= auto
test: install
	$(BIN)/python -m pytest -q -n $(JOBS)

test-fast: install
	$(BIN)/python -m pytest -q -n $(JOBS) -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

eval: install
	$(BIN)/kg extract tests/data/articles/*.txt -o build/eval --published 2022-10-11
	$(BIN)/kg eval tests/data/gold build/eval

# the learned Indonesian name finder (kg/models/README.md): rebuilt from the corpora, fixed seed, same bytes
CORPORA ?= ../shared/corpora/id-ner
train: install
	OMP_NUM_THREADS=1 $(BIN)/python scripts/train_ner.py --corpora $(CORPORA) --out kg/models/id_ner.npz

# kg's SPARQL constraints parsed ahead (kg/shacl/sparql_ahead.py), after an edit of shapes/ or of the compiler
sparql-ahead: install
	$(BIN)/python -c "from kg.shacl.sparql_ahead import AHEAD, written; AHEAD.write_text(written(), encoding='utf-8')"

bench: install
	$(BIN)/python bench/bench_extract.py

clean:
	rm -rf $(VENV) build .pytest_cache
