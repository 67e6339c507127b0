# journey-prober: `serve` in a container (docs/deploy.md).
#
# Base: the official node:20 image on Debian bookworm, pinned by tag. Debian's own nodejs
# in bookworm is 18.x, below the package's engines (>= 20.19); Chromium, fonts and tini
# come from Debian's archive, the same packages the tests run on.
# For byte-for-byte reproducibility, pin the digest your registry mirror resolves:
#   FROM node:20.20.2-bookworm-slim@sha256:<digest>

# ---- deps stage: production node_modules only
FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /app
# The browser is Debian's chromium in the runtime stage, never Playwright's download.
# Optional dependencies stay: tsx's esbuild (it loads journey files) needs its platform package.
# --ignore-scripts: `prepare` would build dist/, which the compile stage does with the dev tools.
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
    && npm cache clean --force

# ---- compile stage: dist/ (JavaScript + the public API's types) by tsc
FROM node:20.20.2-bookworm-slim AS compile
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime stage
FROM node:20.20.2-bookworm-slim AS runtime
# Set by the pipeline: --build-arg VERSION="$(node -p 'require("./package.json").version')" --build-arg REVISION="$CI_COMMIT_SHA"
ARG VERSION=0.1.0
ARG REVISION=unknown

LABEL org.opencontainers.image.title="journey-prober" \
      org.opencontainers.image.description="Synthetic journey prober for the subscription billing portal: scheduled Playwright journeys, Prometheus metrics, failure evidence." \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/node:20.20.2-bookworm-slim" \
      org.opencontainers.image.documentation="docs/deploy.md" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

# chromium: the browser the tests use. Fonts: pages render with real glyph metrics, so
# screenshots are readable and layout assertions hold. tini: PID 1, forwards SIGTERM to
# node and reaps Chromium's orphaned children. ca-certificates: TLS to the real portal.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       chromium fonts-liberation fonts-dejavu-core fonts-noto-color-emoji tini ca-certificates \
    && rm -rf /var/lib/apt/lists/*

# A fixed numeric uid/gid, so Kubernetes runAsNonRoot can verify it and volumes can be chowned.
# `journey-prober` on PATH, for pipelines that run the image with their own command.
RUN groupadd --gid 10001 prober \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin prober \
    && mkdir -p /data /config \
    && chown 10001:10001 /data \
    && ln -s /app/bin/journey-prober.js /usr/local/bin/journey-prober

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=compile /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY journeys ./journeys
COPY schema ./schema
# The default config probes the in-process sandbox (needs no secrets); mount your own at
# /config and set PROBER_CONFIG=/config/journey-prober.config.yaml (docs/deploy.md).
COPY deploy/kubernetes/overlays/demo/journey-prober.config.yaml ./journey-prober.config.yaml

# PROBER_LISTEN: every interface inside the container (the default elsewhere is 127.0.0.1).
# XDG_*: Chromium and fontconfig write their caches under /tmp, so the root filesystem can
# be read-only. Chromium's sandbox: see docs/deploy.md (PROBER_NO_SANDBOX=1 where user
# namespaces are unavailable, e.g. under the RuntimeDefault seccomp profile).
ENV NODE_ENV=production \
    PROBER_LISTEN=0.0.0.0:9464 \
    PROBER_CONFIG=/app/journey-prober.config.yaml \
    PROBER_BROWSER_PATH=/usr/lib/chromium/chromium \
    XDG_CONFIG_HOME=/tmp/.config \
    XDG_CACHE_HOME=/tmp/.cache

USER 10001:10001
VOLUME ["/data"]
EXPOSE 9464

# /healthz answers while the process is alive (readiness, /readyz, is for orchestrators).
# The port follows PROBER_LISTEN, so overriding it does not break the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const p=(process.env.PROBER_LISTEN||'').split(':').pop()||'9464';fetch('http://127.0.0.1:'+p+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/journey-prober.js"]
CMD ["serve"]
