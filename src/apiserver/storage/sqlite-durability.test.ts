import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { SqliteStorage } from "./sqlite-storage.ts";

const dir = mkdtempSync(join(tmpdir(), "mob-durability-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writer = fileURLToPath(new URL("./durability-writer.fixture.ts", import.meta.url));
const KILL_AFTER_ACKS = 2_000;

/** Runs the writer until it has acknowledged KILL_AFTER_ACKS creates, SIGKILLs it, and returns every complete ack line. */
async function writeUntilKilled(path: string): Promise<Map<string, string>> {
  const child = spawn(process.execPath, [writer, path], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let lines = 0;
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  child.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    stdout += text;
    lines += text.split("\n").length - 1;
    if (lines >= KILL_AFTER_ACKS) child.kill("SIGKILL");
  });
  const signal = await exited;
  expect(signal, stderr).toBe("SIGKILL");
  const complete = stdout.slice(0, stdout.lastIndexOf("\n"));
  return new Map(complete.split("\n").map((line) => line.split(" ") as [string, string]));
}

it("keeps every acknowledged create across a SIGKILL", async () => {
  const path = join(dir, "killed.sqlite");
  const acked = await writeUntilKilled(path);
  expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

  const storage = new SqliteStorage({ path });
  let newest = 0;
  for (const [name, rv] of acked) {
    const stored = storage.get({ resource: "configmaps", namespace: "default", name });
    expect(stored.metadata.resourceVersion).toBe(rv);
    newest = Math.max(newest, Number(rv));
  }
  expect(Number(storage.currentResourceVersion())).toBeGreaterThanOrEqual(newest);
  const next = storage.create(
    { resource: "configmaps", namespace: "default", name: "after-restart" },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "after-restart", namespace: "default" } },
  );
  expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(newest);
  const history: string[] = [];
  storage.watch("configmaps", { sinceResourceVersion: String(newest - 1) }, (e) => {
    history.push(e.object.metadata.resourceVersion ?? "");
  });
  expect(history[0]).toBe(String(newest));
  expect(history.at(-1)).toBe(next.metadata.resourceVersion);
  storage.close();
});
