# fengqing — `make demo` and `make test` do all set-up on a fresh machine.
VENV  := .venv
STAMP := $(VENV)/.installed-stamp
OUT   ?= demo-out
SCALE ?= 1
BENCHDATA ?= bench-data

.PHONY: setup demo test test-sqlite bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e ".[test]" >$(VENV)/pip.log 2>&1 \
	  || { cat $(VENV)/pip.log; exit 1; }
	touch $(STAMP)

demo: setup
	FONTCONFIG_FILE=$(CURDIR)/src/fengqing/report/fonts.conf $(VENV)/bin/fengqing demo --out $(OUT)

test: setup
	bash scripts/test.sh

test-sqlite: setup
	FENGQING_HOME=$$(mktemp -d) FONTCONFIG_FILE=$(CURDIR)/src/fengqing/report/fonts.conf \
	  $(VENV)/bin/python -m pytest -q -rs

bench: setup  # SCALE=0.1 for a quicker run; BENCHDATA keeps the generated databases between runs
	$(VENV)/bin/python bench/import_bench.py --pg
	$(VENV)/bin/python bench/audit_bench.py --pg
	$(VENV)/bin/python bench/import_limits_bench.py
	$(VENV)/bin/python bench/dossier_bench.py
	$(VENV)/bin/python bench/assess_bench.py --scale $(SCALE)
	$(VENV)/bin/python bench/assess_bench.py --scales 0.01,0.1,$(SCALE) --data $(BENCHDATA) --no-naive
	$(VENV)/bin/python bench/web_bench.py --home $(BENCHDATA)/web --scale $(SCALE)
	$(VENV)/bin/python bench/report_bench.py --data $(BENCHDATA) --scales 0.01,0.1,$(SCALE)

clean:
	rm -rf $(VENV) fengqing-data $(OUT) test-results
