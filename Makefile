# Every target delegates to an npm script, so `make` and `npm` always agree with CI (.ci/run).
.DEFAULT_GOAL := help
.PHONY: help install dev start build check format lint typecheck deps-check schema-dump schema-check api-openapi api-examples test test-unit test-int bench-queue bench-heartbeat bench-api bench-decision ci clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

install: ## Install exactly what package-lock.json pins (npm ci)
	npm ci

dev: start ## Run the whole company locally (alias of start)

start: ## npm start: embedded PostgreSQL + every role, dashboard on http://localhost:8080
	npm start

build: ## Bundle the atc CLI into dist/atc.cjs
	npm run build

check: ## Format, lint, typecheck, pinned dependencies, schema and API-docs drift (what CI checks)
	npm run check

format: ## Rewrite files with prettier
	npm run format

lint: ## ESLint with zero warnings
	npm run lint

typecheck: ## tsc --noEmit over every package
	npm run typecheck

deps-check: ## Every dependency pinned exactly; lock file committed
	npm run deps:check

schema-dump: ## Regenerate migrations/schema.sql from migrations/
	npm run schema:dump

schema-check: ## Fail when migrations/schema.sql drifts from migrations/
	npm run schema:check

api-openapi: ## Regenerate docs/api/openapi.json and the generated tables of docs/api/README.md
	npm run api:openapi

api-examples: ## Regenerate the curl examples of docs/api/README.md from a real run of the API
	npm run api:examples

test: ## npm test: unit and integration tests (real PostgreSQL)
	npm test

test-unit: ## Unit tests only
	npm run test:unit

test-int: ## Integration tests only
	npm run test:int

bench-queue: ## Queue benchmark: our step queue vs graphile-worker and pg-boss
	npm run bench:queue

bench-heartbeat: ## One heartbeat run over a large seeded state, per phase
	npm run bench:heartbeat

bench-api: ## API benchmark (autocannon) against a running `atc up`
	npm run bench:api

bench-decision: ## Proposal-to-venue-order latency through POST /api/proposals against `atc up`
	npm run bench:decision

ci: ## Run CI exactly as it runs on a fresh clone
	bash .ci/run

clean: ## Remove build output (keeps .atc/, the local database)
	rm -rf dist coverage
