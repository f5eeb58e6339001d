import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "./cli-error.ts";
import { runDaemonCommand } from "./daemon-command.ts";

// Only the flag checks that fail before the daemon connects anywhere.
describe("mob daemon --host-root", () => {
  let empty: string;
  const base = ["--node", "worker-0", "--kubeconfig", "/nonexistent/kubeconfig", "--log-level", "silent"];

  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), "mob-daemon-command-"));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
  });

  it("refuses a host root without an os-release: an empty mount point is not the host", async () => {
    const run = runDaemonCommand([...base, "--backend", "rpm-ostree", "--host-root", empty]);
    await expect(run).rejects.toBeInstanceOf(CliError);
    await expect(runDaemonCommand([...base, "--backend", "bootc", "--host-root", empty])).rejects.toThrow(
      `--host-root: host root ${empty} has no etc/os-release or usr/lib/os-release`,
    );
  }, 10_000);

  it("refuses --host-root with the simulated backend, whose root is its node directory", async () => {
    const run = runDaemonCommand([
      ...base,
      "--backend",
      "simulated",
      "--node-dir",
      empty,
      "--host-root",
      "/",
    ]);
    await expect(run).rejects.toThrow("--host-root is for rpm-ostree and bootc");
  }, 10_000);
});
