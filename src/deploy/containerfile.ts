// deploy/Containerfile: mob's own image, rendered here so it is golden-tested with the rest of
// deploy/. One image serves every role: `mob controller`, `mob daemon`, `mob server`, and the build
// pods, whose containers run `mob build prepare-context` and `buildah bud`/`push` (hence buildah).
// mob runs as TypeScript on Node.js 24 (type stripping), so the image carries src/ and the
// production dependencies, no build step.

import { IMAGE_REPOSITORY, MOB_VERSION } from "./components.ts";

/** A public Node.js 24 base on Debian, which packages buildah. */
export const BASE_IMAGE = "docker.io/library/node:24-bookworm-slim";

export function renderContainerfile(): string {
  return `# mob's image: the mob CLI on Node.js 24, plus buildah for the build pods.
# Build from the repository root:
#   buildah bud -f deploy/Containerfile -t ${IMAGE_REPOSITORY}:${MOB_VERSION} .
FROM ${BASE_IMAGE} AS dependencies
WORKDIR /opt/mob
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM ${BASE_IMAGE}
# buildah runs the build pods' steps (vfs storage, chroot isolation: no fuse or overlay needed).
RUN apt-get update \\
 && apt-get install -y --no-install-recommends buildah ca-certificates \\
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/mob
COPY --from=dependencies /opt/mob/node_modules ./node_modules
COPY package.json ./
COPY src ./src
RUN printf '#!/bin/sh\\nexec node /opt/mob/src/cli/main.ts "$@"\\n' >/usr/local/bin/mob \\
 && chmod 0755 /usr/local/bin/mob \\
 && mob version
# root by default: the daemon (privileged) and buildah in build pods need it; the controller and
# server Deployments run as the image's unprivileged \`node\` user (uid 1000).
LABEL org.opencontainers.image.title="mob" \\
      org.opencontainers.image.version="${MOB_VERSION}" \\
      org.opencontainers.image.licenses="Apache-2.0"
ENTRYPOINT ["mob"]
CMD ["help"]
`;
}
