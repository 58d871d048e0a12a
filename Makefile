# Two commands a newcomer needs: `make lab` (open the course) and `make test`.
# Everything installs into .venv with the exact versions in constraints.txt.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test install exercises execute bench constraints clean-venv

$(PY):
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Open the course: JupyterLab on 127.0.0.1 with a token, at the start lesson.
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=. $(ROOT_FLAG) \
		--LabApp.default_url=/lab/tree/lessons/00_start_here.ipynb

## Run every test: unit tests, structure lints, nbval over all notebooks.
test: $(STAMP)
	$(PY) -m pytest

## Regenerate exercises/ from solutions/ (never overwrites an edited exercise).
exercises: $(STAMP)
	$(PY) -m course exercises

## Re-run every notebook top to bottom in a fresh kernel and save it cleaned.
execute: $(STAMP)
	$(PY) -m course execute

## Latency of every explainer, notebook sizes and run times; fails on a broken budget.
bench: $(STAMP)
	$(PY) -m course bench

## After a deliberate upgrade: re-pin constraints.txt from the installed venv.
constraints: $(STAMP)
	{ sed -n '1,3p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -v '^course'; } > constraints.tmp
	mv constraints.tmp constraints.txt
