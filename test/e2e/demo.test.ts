// `make demo`'s script, run as CI runs it: the whole documented workflow must succeed end to end.

import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const DEMO = resolve(import.meta.dirname, "../../scripts/demo.sh");

function run(): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn("bash", [DEMO], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", (code) => done({ code, output }));
  });
}

describe("make demo", () => {
  it("walks the layered-image workflow from mob up to the revert and exits 0", async () => {
    const { code, output } = await run();
    expect(code, output).toBe(0);
    expect(output).toMatch(/layered-[0-9a-f]{32}\s+False\s+False\s+True\s+False\s+False/);
    expect(output).toContain("hello from mob base OS, layered by mob");
    expect(output).toContain("Managed by mob");
    expect(output).toMatch(/mob base OS 1\.0 {2}currentImage=\n/);
    expect(output).toContain("demo: done");
  }, 300_000);
});
