# The project's Node.js 24 (from the `node` npm package) comes first on PATH for every target.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
SHELL := /bin/bash

.PHONY: deps test typecheck lint unit demo bench

deps:
	@scripts/ensure-deps.sh

typecheck: deps
	tsc -p tsconfig.json

lint: deps
	biome check --error-on-warnings .

unit: deps
	vitest run

test: deps typecheck lint unit

demo: deps
	scripts/demo.sh

bench: deps
	node bench/run.ts $(ONLY)
