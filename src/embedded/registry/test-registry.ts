// Test set-up: a real registry in a temporary directory, seeded with the base image, plus a helper
// that builds and pushes an image on top of it with one `buildah run` layer. close() stops the
// registry and removes everything.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../logging.ts";
import { RegistryClient } from "../../registry/client.ts";
import { type SeededImage, seedBaseImage } from "./base-image.ts";
import { type Buildah, buildahIn } from "./buildah.ts";
import { type RunningRegistry, startRegistry } from "./registry-process.ts";

export interface TestRegistry {
  dir: string;
  registry: RunningRegistry;
  client: RegistryClient;
  base: SeededImage;
  buildah: Buildah;
  /** Builds `FROM base` + `RUN sh -c script`, pushes it to `<registry>/<repository>:<tag>`, returns the digest. */
  buildLayered(repository: string, tag: string, script: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "mob-test-registry-"));
  const signal = AbortSignal.timeout(120_000);
  const logger = silentLogger();
  const registry = await startRegistry({ dir, logger, signal: new AbortController().signal });
  try {
    const base = await seedBaseImage({ registry, dir, logger, signal });
    const buildah = buildahIn(dir);
    const authfile = join(dir, "auth.json");
    await writeFile(authfile, registry.dockerConfigJson(), { mode: 0o600 });
    const auth = ["--authfile", authfile, "--tls-verify=false"];
    return {
      dir,
      registry,
      base,
      buildah,
      client: new RegistryClient({ credentials: registry.credentials }),
      async buildLayered(repository, tag, script) {
        const name = `layered-${repository.replaceAll("/", "-")}-${tag}`;
        const image = `localhost/${name}:${tag}`;
        await buildah.run(["from", "--quiet", "--name", name, ...auth, `docker://${base.ref}`], { signal });
        await buildah.run(["run", name, "--", "/bin/sh", "-c", script], { signal });
        await buildah.run(["commit", "--quiet", name, image], { signal });
        const digestfile = join(dir, `${name}.digest`);
        const target = `docker://${registry.url}/${repository}:${tag}`;
        await buildah.run(["push", "--quiet", ...auth, "--digestfile", digestfile, image, target], {
          signal,
        });
        await buildah.run(["rm", name], { signal });
        return (await readFile(digestfile, "utf8")).trim();
      },
      async close() {
        await registry.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
