# syntax=docker/dockerfile:1

# --- build: install all dependencies, compile, then drop the dev dependencies ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# --- runtime: compiled code and production dependencies only, as the non-root node user ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Writable by node, for the embedded PostgreSQL when no DATABASE_URL is given (EMBEDDED_PG_DIR default).
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# Database roles (README, "Database roles"): DATABASE_URL is the role the API runs as,
# MIGRATION_DATABASE_URL the owner that runs migrations and grants; with a superuser DATABASE_URL
# alone, the API runs as the restricted role anker_app it creates.
# Slim images have no curl; Node 20 has fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# The heap budget of package.json's start:prod (README, "Production and containers": Memory).
CMD ["node", "--max-old-space-size=192", "dist/src/main.js"]
