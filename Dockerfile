# Payer Portal: one image for the web processes (`npm start`) and the workers (`npm run worker`).
# Multi-stage: the build stage has the dev dependencies (Remix compiler); the runtime stage has
# the production dependencies, the build and the sources tsx runs (server/, app/, db/, emails/),
# and runs as the unprivileged `node` user. Nothing is written to local disk at run time:
# everything lives in PostgreSQL (DATABASE_URL), so any number of containers may run.
#
#   docker build -t payer-portal .
#   docker run --env-file .env -p 3000:3000 payer-portal               # web
#   docker run --env-file .env payer-portal npm run worker             # worker

# Node 20 as in CI; every dependency also runs on 22 and 24.
ARG NODE_VERSION=20.19

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall repairs the PostgreSQL driver (scripts/patch-postgres.mjs).
COPY scripts/patch-postgres.mjs ./scripts/
# The embedded PostgreSQL is for `npm run dev` and tests only; production uses DATABASE_URL.
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx remix build

FROM node:${NODE_VERSION}-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/patch-postgres.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/build ./build
COPY --from=build --chown=root:root /app/public ./public
COPY --chown=root:root package.json tsconfig.json ./
COPY --chown=root:root app ./app
COPY --chown=root:root server ./server
COPY --chown=root:root db ./db
COPY --chown=root:root emails ./emails
# The code is owned by root and read-only to the process; it runs as `node` (uid 1000).
USER node
EXPOSE 3000
# Liveness; readiness (/readyz: database and job queue) belongs to the load balancer.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `npm start` forwards SIGTERM: requests in flight finish within SHUTDOWN_GRACE_MS (default 25 s);
# give the orchestrator a longer stop timeout (compose: stop_grace_period 30s).
CMD ["npm", "start"]
