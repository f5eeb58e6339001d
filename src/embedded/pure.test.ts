import { describe, expect, it } from "vitest";
import { expandReferences } from "./container-env.ts";
import { computePhase, newContainerRecord, type PodRecord } from "./pod-status.ts";
import { setupScript, shellQuote } from "./process-runner.ts";

describe("expandReferences", () => {
  it("expands defined $(VAR)s, keeps unknown ones and unescapes $$", () => {
    expect(expandReferences("$(A)-$(B)-$$(A)-$A", { A: "x" })).toBe("x-$(B)-$(A)-$A");
  });
});

describe("setupScript", () => {
  it("mounts parents first, remounts read-only ones and changes directory", () => {
    const script = setupScript({
      isolate: true,
      workingDir: "/w d",
      mounts: [
        { source: "/v/b", target: "/a/b", readOnly: true, file: false },
        { source: "/v/a", target: "/a", readOnly: false, file: false },
      ],
    });
    expect(script.split("\n")).toEqual([
      "set -e",
      "mkdir -p '/a'",
      "mount --bind '/v/a' '/a'",
      "mkdir -p '/a/b'",
      "mount --bind '/v/b' '/a/b'",
      "mount -o remount,ro,bind '/a/b'",
      "mkdir -p '/w d'",
      "cd '/w d'",
      'exec "$@"',
    ]);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it("skips mounts without isolation", () => {
    expect(
      setupScript({
        isolate: false,
        workingDir: undefined,
        mounts: [{ source: "/s", target: "/t", readOnly: false, file: false }],
      }),
    ).toBe('set -e\nexec "$@"');
  });
});

describe("computePhase", () => {
  const pod = (exitCodes: (number | undefined)[]): PodRecord => ({
    phase: "Pending",
    startTime: "",
    sandboxReady: true,
    init: [],
    containers: exitCodes.map((code, i) => ({
      ...newContainerRecord({ name: `c${i}` }, "ContainerCreating"),
      pid: 1,
      state:
        code === undefined
          ? { kind: "running", startedAt: "", pid: 1 }
          : { kind: "terminated", exitCode: code, reason: "", startedAt: "", finishedAt: "" },
    })),
  });
  it("is Running while a container runs and terminal once all ended", () => {
    expect(computePhase(pod([0, undefined]), "Never")).toBe("Running");
    expect(computePhase(pod([0, 0]), "Never")).toBe("Succeeded");
    expect(computePhase(pod([0, 1]), "Never")).toBe("Failed");
    expect(computePhase(pod([0, 0]), "OnFailure")).toBe("Succeeded");
    expect(computePhase(pod([0, 0]), "Always")).toBe("Running");
  });
});
