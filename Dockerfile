# syntax=docker/dockerfile:1
# Gatehouse: install, compile the workspaces (tsc to dist/, plus the server's pre-initialised PGlite
# data directory), keep only production dependencies (tsx and TypeScript are dev-only and go), drop
# the TypeScript sources so only the compiled JS can run, and run as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first: the dependency layer is reused until the lockfile changes.
COPY package.json package-lock.json ./
COPY packages/catalog/package.json packages/catalog/
COPY packages/sandbox/package.json packages/sandbox/
COPY packages/sdk/package.json packages/sdk/
COPY packages/server/package.json packages/server/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build --workspaces --if-present && npm prune --omit=dev --no-audit --no-fund \
    && rm -rf packages/*/src packages/*/test

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    GATEHOUSE_HOST=0.0.0.0 \
    GATEHOUSE_PORT=4100 \
    GATEHOUSE_DATA_DIR=/var/lib/gatehouse
WORKDIR /app
COPY --from=build --chown=root:root /app /app
RUN mkdir -p /var/lib/gatehouse && chown node:node /var/lib/gatehouse
USER node
EXPOSE 4100
VOLUME ["/var/lib/gatehouse"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4100/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "packages/server/bin/gatehouse.mjs"]
CMD ["start"]
