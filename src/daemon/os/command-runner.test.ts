import { describe, expect, it } from "vitest";
import { spawnCommand } from "./command-runner.ts";

const signal = new AbortController().signal;

describe("spawnCommand", () => {
  it("returns the exit code and both outputs without throwing", async () => {
    const result = await spawnCommand("sh", ["-c", "echo out; echo err >&2; exit 3"], { signal });
    expect(result).toEqual({ code: 3, stdout: "out\n", stderr: "err\n" });
  });

  it("adds env to the inherited environment", async () => {
    const result = await spawnCommand("sh", ["-c", 'test -n "$PATH" && echo "$MOB_TEST_VALUE"'], {
      signal,
      env: { MOB_TEST_VALUE: "x" },
    });
    expect(result.stdout).toBe("x\n");
  });

  it("reports a missing command as exit code 127", async () => {
    const result = await spawnCommand("/nonexistent/mob-no-such-command", [], { signal });
    expect(result.code).toBe(127);
    expect(result.stderr).toContain("ENOENT");
  });

  it("rejects with the abort reason when aborted", async () => {
    const controller = new AbortController();
    const running = spawnCommand("sleep", ["10"], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 50);
    await expect(running).rejects.toThrow("stop");
  });
});
