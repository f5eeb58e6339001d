import { describe, expect, it } from "vitest";
import { isRegistryError } from "./errors.ts";
import { formatImageReference, parseImageReference } from "./reference.ts";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("parseImageReference", () => {
  it.each([
    [
      `127.0.0.1:5000/os/layered@${DIGEST}`,
      { registry: "127.0.0.1:5000", repository: "os/layered", tag: undefined, digest: DIGEST },
    ],
    ["quay.io/ns/name:4.16", { registry: "quay.io", repository: "ns/name", tag: "4.16", digest: undefined }],
    [`localhost/a/b:v1@${DIGEST}`, { registry: "localhost", repository: "a/b", tag: "v1", digest: DIGEST }],
    [
      "localhost:5000/app",
      { registry: "localhost:5000", repository: "app", tag: undefined, digest: undefined },
    ],
    ["busybox", { registry: "docker.io", repository: "library/busybox", tag: undefined, digest: undefined }],
    ["fedora/httpd:v2", { registry: "docker.io", repository: "fedora/httpd", tag: "v2", digest: undefined }],
  ])("%s", (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
  });

  it.each(["", "Upper/Case", "host:5000/repo@sha256:short", "host/repo:bad tag", "host/repo/", "host//repo"])(
    "rejects %j",
    (text) => {
      let caught: unknown;
      try {
        parseImageReference(text);
      } catch (error) {
        caught = error;
      }
      expect(isRegistryError(caught, "invalid-reference")).toBe(true);
    },
  );

  it("formats back, pinned references without their tag", () => {
    expect(formatImageReference(parseImageReference(`h:1/a/b:t@${DIGEST}`))).toBe(`h:1/a/b@${DIGEST}`);
    expect(formatImageReference(parseImageReference(`h:1/a/b:t@${DIGEST}`), { keepTag: true })).toBe(
      `h:1/a/b:t@${DIGEST}`,
    );
    expect(formatImageReference(parseImageReference("h:1/a/b:t"))).toBe("h:1/a/b:t");
  });
});
