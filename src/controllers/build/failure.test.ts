// mob's failure classification from real buildah output shapes.

import { describe, expect, it } from "vitest";
import { describeFailure, failedMessage } from "./failure.ts";

const T = "2026-01-01T00:00:00.000000000Z ";

describe("describeFailure", () => {
  it("names the failing Containerfile instruction (multi-stage prefixes, ports that contain 401)", () => {
    const output = [
      `${T}[mob-build] step: prepare`,
      `${T}[mob-build] step: build`,
      `${T}[2/3] STEP 1/4: FROM 127.0.0.1:40117/os/base@sha256:d9 AS configs`,
      `${T}[3/3] STEP 2/2: RUN echo boom && exit 3`,
      `${T}boom`,
      `${T}Error: building at STEP "RUN echo boom && exit 3": exit status 3`,
    ].join("\n");
    const detail = describeFailure({ name: "image-build", exitCode: 3, output });
    expect(detail.step).toBe("containerfile");
    expect(detail.summary).toContain('"RUN echo boom && exit 3"');
    expect(detail.lastLines.at(-1)).toBe('Error: building at STEP "RUN echo boom && exit 3": exit status 3');
    expect(failedMessage(detail, { name: "image-build", exitCode: 3, output })).toMatch(
      /^Build Failed: step containerfile: .* \(container image-build, exit code 3\)\nLast 6 lines of output:\n/,
    );
  });

  it("tells base image pulls, authentication, prepare and push apart", () => {
    const pull = `[mob-build] step: build\nSTEP 1/3: FROM r.io/base@sha256:aa AS extract\nError: creating build container: initializing source docker://r.io/base: manifest unknown`;
    expect(describeFailure({ name: "image-build", output: pull }).step).toBe("base-image-pull");
    const auth = `[mob-build] step: build\nSTEP 1/3: FROM r.io/base AS extract\nError: initializing source docker://r.io/base: reading manifest: unauthorized: authentication required`;
    expect(describeFailure({ name: "image-build", output: auth }).step).toBe("authentication");
    expect(
      describeFailure({ name: "image-build", output: "[mob-build] step: prepare\nmob: bad gzip" }).step,
    ).toBe("prepare");
    const push =
      "[mob-build] step: push\nError: pushing image: writing blob: unauthorized: authentication required";
    expect(describeFailure({ name: "image-push", output: push }).step).toBe("authentication");
    expect(describeFailure({ name: "image-push", output: "Error: connection refused" }).step).toBe("push");
    expect(describeFailure({ name: "report-digest", output: "no digest was written" }).step).toBe("digest");
  });

  it("keeps only the last 20 lines, each cut to 300 characters", () => {
    const output = Array.from({ length: 50 }, (_, i) => `line ${i} ${"x".repeat(i === 49 ? 400 : 1)}`).join(
      "\n",
    );
    const detail = describeFailure({ name: "image-push", output });
    expect(detail.lastLines).toHaveLength(20);
    expect(detail.lastLines[0]).toMatch(/^line 30 /);
    expect(detail.lastLines[19]).toHaveLength(300);
  });
});
