// Pull + unpack of one image from the embedded registry, cold (a fresh target directory every
// time): mob's pullAndUnpack (what the simulated backend's rebase runs) against the field's tools,
// `skopeo copy docker://… oci:…` then `umoci unpack`. Rounds alternate between the two; medians.
// Also: five pulls at once in this process, as a rollout wave of simulated nodes does.

import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { RunningRegistry } from "../src/embedded/registry/registry-process.ts";
import { pullAndUnpack } from "../src/registry/pull-unpack.ts";
import { type Figure, ratio } from "./report.ts";

const run = promisify(execFile);
const ROUNDS = 5;
const CONCURRENT = 5;

export async function benchPull(
  registry: RunningRegistry,
  image: string,
  signal: AbortSignal,
): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), "mob-pull-bench-"));
  try {
    const authfile = join(dir, "auth.json");
    await writeFile(authfile, registry.dockerConfigJson(), { mode: 0o600 });
    const mob: number[] = [];
    const field: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const target = join(dir, `round-${round}`);
      mob.push(
        await timed(() =>
          pullAndUnpack(image, join(target, "mob"), { credentials: registry.credentials, signal }),
        ),
      );
      field.push(
        await timed(async () => {
          const layout = `oci:${join(target, "oci")}:image`;
          await run("skopeo", [
            "copy",
            "--quiet",
            "--src-authfile",
            authfile,
            "--src-tls-verify=false",
            `docker://${image}`,
            layout,
          ]);
          await run("umoci", ["unpack", "--image", `${join(target, "oci")}:image`, join(target, "bundle")]);
        }),
      );
      await rm(target, { recursive: true, force: true });
    }
    const mobMs = median(mob);
    const fieldMs = median(field);
    // What a wave of the rollout does at once: every node of the wave pulls the same image.
    const concurrent = await timed(() =>
      Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          pullAndUnpack(image, join(dir, `concurrent-${i}`), { credentials: registry.credentials, signal }),
        ),
      ),
    );
    return [
      {
        name: `pull + unpack of the layered image, cold (median of ${ROUNDS})`,
        value: `pullAndUnpack ${mobMs.toFixed(0)} ms vs skopeo copy + umoci unpack ${fieldMs.toFixed(0)} ms; ${(mobMs / fieldMs).toFixed(2)}× the field's tools`,
        goal: "≤ 1.25 × skopeo + umoci",
        ratio: ratio(1.25 * fieldMs, mobMs),
      },
      {
        name: `${CONCURRENT} concurrent pullAndUnpack in one process (one rollout wave of simulated nodes)`,
        value: `${concurrent.toFixed(0)} ms; ${(concurrent / mobMs).toFixed(1)}× one pull`,
        goal: "-",
        ratio: undefined,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
