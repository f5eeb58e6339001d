// Push failures as buildah 1.28 prints them (copied from the registry fault tests' archived logs).

import { describe, expect, it } from "vitest";
import { describeFailure } from "./failure.ts";
import { describePushFailure, pushFailureSummary } from "./push-failure.ts";

const T = "2026-11-21T03:32:27.000000000Z ";
const BLOB = "sha256:18151a6d3f74d4e90a8def03d689ed293345e3f6c17c19040db65c561d9a48c3";
const TARGET = "127.0.0.1:45355/os/outage:outage-e370ef8d152e0f3d2bfe91edafef944f";

const stopped = [
  "[mob-build] step: push",
  "Getting image source signatures",
  `Copying blob ${BLOB}`,
  `time="2026-11-21T03:32:27Z" level=warning msg="Failed, retrying in 2s ... (1/3). Error: trying to reuse blob ${BLOB} at destination: pinging container registry 127.0.0.1:45355: Get \\"http://127.0.0.1:45355/v2/\\": dial tcp 127.0.0.1:45355: connect: connection refused"`,
  `Error: pushing image "${TARGET}" to "docker://${TARGET}": trying to reuse blob ${BLOB} at destination: pinging container registry 127.0.0.1:45355: Get "http://127.0.0.1:45355/v2/": dial tcp 127.0.0.1:45355: connect: connection refused`,
];

const full = [
  "[mob-build] step: push",
  "Getting image source signatures",
  `Copying blob ${BLOB}`,
  'Error: pushing image "127.0.0.1:43311/os/full:full-2378" to "docker://127.0.0.1:43311/os/full:full-2378": writing blob: initiating layer upload to /v2/os/full/blobs/uploads/ in 127.0.0.1:43311: received unexpected HTTP status: 500 Internal Server Error',
];

describe("describePushFailure", () => {
  it("names the registry and 'connection refused' when the registry is down", () => {
    expect(describePushFailure(stopped)).toEqual({
      registry: "127.0.0.1:45355",
      cause: "connection refused",
    });
    const detail = describeFailure({
      name: "image-push",
      exitCode: 125,
      output: stopped.map((line) => T + line).join("\n"),
    });
    expect(detail.step).toBe("push");
    expect(detail.summary).toBe("pushing the image to 127.0.0.1:45355 failed: connection refused");
  });

  it("names the registry and its HTTP 500 as a registry-side fault", () => {
    expect(pushFailureSummary(describePushFailure(full))).toBe(
      "pushing the image to 127.0.0.1:43311 failed: HTTP 500 Internal Server Error from the registry " +
        "(a fault on the registry's side, such as full storage; see its log)",
    );
  });

  it("falls back to the registry of the retry warnings, and says only what the output says", () => {
    const retriesOnly = stopped.slice(0, 4);
    expect(describePushFailure(retriesOnly)).toEqual({
      registry: "127.0.0.1:45355",
      cause: "connection refused",
    });
    expect(pushFailureSummary(describePushFailure(["Error: something odd"]))).toBe(
      "pushing the image failed",
    );
    expect(
      pushFailureSummary(
        describePushFailure(['Error: pushing image "a" to "docker://r.example:5000/a:b": writing blob: EOF']),
      ),
    ).toBe("pushing the image to r.example:5000 failed: the registry closed the connection");
  });

  it("names the registry in authentication failures too", () => {
    const output =
      'Error: pushing image "r.example/a:b" to "docker://r.example/a:b": writing blob: unauthorized: authentication required';
    expect(describeFailure({ name: "image-push", output }).summary).toBe(
      "registry authentication failed while pushing the image to r.example",
    );
  });
});
