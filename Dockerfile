# The Miroir image: one `miroir` command for peers (`miroir peer`), the
# embedded engine node (`miroir node`) and the rest of the CLI; the Helm chart
# (charts/miroir) runs it. Sources are TypeScript run through tsx, which is a
# runtime dependency, so there is no build stage: the image holds the sources
# and the production dependencies only.
#
#   docker build -t miroir:0.1.0 .
#   docker run --rm miroir:0.1.0 --help

# Node 20 LTS on Debian bookworm, slim. The native modules (LevelDB through
# classic-level, msgpackr-extract) ship glibc prebuilds, so no compiler is needed.
FROM node:20-bookworm-slim

# tini runs as PID 1: it forwards SIGTERM/SIGINT to miroir, which closes the
# client API, the Raft driver and LevelDB cleanly, and it reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so the layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

COPY tsconfig.json ./
COPY actors ./actors
COPY api ./api
COPY cli ./cli
COPY engine ./engine
COPY runtime ./runtime
COPY transport ./transport
RUN chmod 0755 cli/bin.js && ln -s /app/cli/bin.js /usr/local/bin/miroir

# The code stays owned by root and read-only to the process; relative data
# paths (a peer's default dataDir, `miroir node`'s ./data.ms) land in /data,
# the volume the chart mounts there. The `node` user of the base image is
# uid/gid 1000, the ids the chart's securityContext runs with.
RUN mkdir /data && chown node:node /data
WORKDIR /data
USER node

# 7700 client API (or a node's HTTP API), 7800 peer transport, 9464 metrics.
EXPOSE 7700 7800 9464
ENTRYPOINT ["/usr/bin/tini", "--", "miroir"]
CMD ["--help"]
