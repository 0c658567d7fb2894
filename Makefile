# Two commands on a fresh machine: `make run` (set up, index if needed, serve) and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
KB     := $(VENV)/bin/kb
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test install index eval clean-index

run: install  ## set up, build the index if missing (no-op when current), serve http://127.0.0.1:7860
	$(KB) index
	$(KB) serve --host 127.0.0.1 --port 7860

test: install  ## set up and run the whole test suite
	$(PY) -m pytest

install: $(STAMP)

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,stores]'
	touch $(STAMP)

index: install  ## build or update the index
	$(KB) index

eval: install  ## retrieval quality on the dev set, every configuration
	$(KB) eval --gold eval/gold/dev.jsonl --compare bm25,dense,hybrid,hybrid-rrf --report eval/reports/dev

clean-index:  ## drop the index (the next `make run` rebuilds it)
	rm -rf data/index
