# syntax=docker/dockerfile:1
# modelgate: one image for the gateway, the monitor and the demo backends.
#   docker build -t modelgate .
#   docker run -p 8080:8080 -v $PWD/my.yaml:/etc/modelgate.yaml -e MODELGATE_CONFIG=/etc/modelgate.yaml modelgate
#   docker run ... modelgate monitor --config /etc/modelgate.yaml
ARG NODE_VERSION=20.20

# --- build: all dependencies, compile src/ to dist/ (npm ci runs `prepare` = `npm run build`),
#     then drop the dev dependencies
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm ci --no-audit --no-fund \
 && test -f dist/.build-stamp \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production node_modules (tsx included: a runtime dependency), dist/, bin/, config/
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    MODELGATE_CONFIG=/app/config/gateway.yaml \
    HEALTH_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
# the official image's unprivileged user (uid 1000); nothing in /app is writable by it
USER node
# 8080 data plane and /metrics, 8081 admin API, 9100 monitor /metrics
EXPOSE 8080 8081 9100
# /healthz of the gateway (HEALTH_PORT=8080) or of the monitor (HEALTH_PORT=9100)
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/modelgate.js"]
CMD ["gateway"]
