// The registry stops during a build, before its push: the build fails with a reason naming the
// registry (host:port), the push step's archived log says why, no password shows anywhere; once the
// registry is started again (same port and storage) `mob rebuild` succeeds and the image pulls by
// digest.
//
// To hit the push reliably, the Containerfile's last instruction prints a marker and then waits
// (inside the build, through busybox wget) until the registry refuses connections: the test stops
// the registry when it sees the marker, so the base image has been pulled and the push has not
// started yet, whatever the machine's speed.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuildContainers, PoolConditionTypes } from "../../src/api/constants.ts";
import type { MachineOSBuild } from "../../src/api/machineosbuild-v1.ts";
import { eventually } from "../../src/testing/eventually.ts";
import {
  archivedBuildLog,
  buildCondition,
  buildContainerLog,
  currentBuild,
  eventsAbout,
  probePort,
  pullVerified,
  rebuildSucceeds,
  registryPids,
  waitForBuildState,
} from "./registry-fault-observations.ts";
import { createMosc, createPool, poolCondition, type RolloutStack, startRollout } from "./rollout-harness.ts";

const POOL = "outage";
/** What the RUN instruction prints; buildah's echo of the instruction itself does not contain it. */
const MARKER = "registry-outage: waiting for the registry to stop";

function containerfile(registry: string): string {
  return [
    "FROM configs AS final",
    "RUN echo 'registry-outage:' 'waiting for the registry to stop' && i=0 && \\",
    `    until busybox wget -q -O /dev/null http://${registry}/v2/ 2>&1 | grep -q refused; do \\`,
    "      i=$((i + 1)); [ $i -lt 240 ] || break; sleep 0.5; \\",
    "    done && echo 'built while the registry was down' > /etc/registry-outage",
    "",
  ].join("\n");
}

describe("the registry stopped during a build", () => {
  let r: RolloutStack;
  let failed: MachineOSBuild;

  beforeAll(async () => {
    r = await startRollout({ workers: 0, masters: 0 });
  }, 120_000);
  afterAll(async () => {
    await r?.close();
  }, 60_000);

  it("fails the build with a reason naming the registry, and no password anywhere", async () => {
    const { url, port, credentials } = r.stack.registry;
    await createPool(r, POOL);
    await createMosc(r, POOL, { containerfile: containerfile(url) });
    const building = await currentBuild(r, POOL);
    const name = building.metadata.name ?? "";
    await eventually(
      async () => expect(await buildContainerLog(r, name, BuildContainers.imageBuild)).toContain(MARKER),
      { timeoutMs: 120_000, intervalMs: 250 },
    );

    const pids = await registryPids(r);
    expect(pids).toHaveLength(1);
    await r.stack.registry.stop();
    expect(await registryPids(r)).toEqual([]);
    expect(await probePort(port)).toBe("ECONNREFUSED");

    failed = await waitForBuildState(r, name, "Failed", 150_000);
    const condition = buildCondition(failed, "Failed");
    const summary = condition?.message?.split("\n")[0] ?? "";
    expect(summary).toContain(`step push: pushing the image to ${url} failed: connection refused`);
    expect(summary).toContain("container image-push");
    const archived = await archivedBuildLog(r, name);
    const pushSection = archived.slice(archived.indexOf("container image-push"));
    expect(pushSection).toMatch(
      new RegExp(`dial tcp ${url.replaceAll(".", "\\.")}: connect: connection refused`),
    );
    const degraded = await eventually(
      async () => {
        const found = await poolCondition(r, POOL, PoolConditionTypes.ImageBuildDegraded);
        expect(found).toMatchObject({ status: "True", reason: "BuildFailed" });
        return found;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const events = await eventsAbout(r, name);
    expect(events).toContain(`pushing the image to ${url} failed`);
    for (const text of [JSON.stringify(failed.status), archived, JSON.stringify(degraded), events]) {
      expect(text).not.toContain(credentials.password);
    }
  }, 300_000);

  it("succeeds after `mob rebuild` once the registry is back on the same port and storage", async () => {
    const { url, port } = r.stack.registry;
    await r.stack.registry.start();
    expect(r.stack.registry.url).toBe(url);
    expect(await registryPids(r)).toHaveLength(1);
    expect(await probePort(port)).toBe("connected");

    const rebuilt = await rebuildSucceeds(r, POOL, failed);
    expect(buildCondition(rebuilt, "Succeeded")?.status).toBe("True");
    const image = rebuilt.status?.digestedImagePushSpec ?? "";
    expect(image).toMatch(new RegExp(`^${url.replaceAll(".", "\\.")}/os/${POOL}@sha256:[0-9a-f]{64}$`));
    const pulled = await pullVerified(r, image);
    expect(pulled.layers).toBeGreaterThan(1);
  }, 200_000);
});
