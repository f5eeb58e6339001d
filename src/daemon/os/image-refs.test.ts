import { describe, expect, it } from "vitest";
import { failureCode } from "./cli-failure.ts";
import { pinnedName, registryNameOf, requirePinnedImage } from "./image-refs.ts";

const DIGEST = `sha256:${"a".repeat(64)}`;

describe("registryNameOf", () => {
  it.each([
    [`ostree-unverified-registry:quay.io/x/os@${DIGEST}`, `quay.io/x/os@${DIGEST}`],
    ["ostree-unverified-image:docker://quay.io/x/os:4.15", "quay.io/x/os:4.15"],
    ["ostree-unverified-image:registry:quay.io/x/os:4.15", "quay.io/x/os:4.15"],
    ["ostree-image-signed:docker://quay.io/x/os:4.15", "quay.io/x/os:4.15"],
    [
      "ostree-remote-image:fedora:docker://quay.io/fedora/fedora-coreos:stable",
      "quay.io/fedora/fedora-coreos:stable",
    ],
    [
      "ostree-remote-registry:fedora:quay.io/fedora/fedora-coreos:stable",
      "quay.io/fedora/fedora-coreos:stable",
    ],
  ])("%s names %s", (reference, name) => {
    expect(registryNameOf(reference)).toBe(name);
  });

  it.each([
    `ostree-unverified-image:containers-storage:quay.io/x/os@${DIGEST}`,
    "ostree-unverified-image:oci:/var/mnt/osupdate",
    "fedora:fedora/x86_64/coreos/stable",
  ])("%s is not a registry image", (reference) => {
    expect(registryNameOf(reference)).toBeUndefined();
  });
});

describe("pinnedName and requirePinnedImage", () => {
  it("pins a tagged name by the digest the host resolved", () => {
    expect(pinnedName("quay.io/x/os:4.15", DIGEST)).toBe(`quay.io/x/os@${DIGEST}`);
    expect(pinnedName("quay.io/x/os:4.15", undefined)).toBeUndefined();
  });

  it("accepts only digest-pinned references", () => {
    expect(requirePinnedImage(`127.0.0.1:5000/os/base@${DIGEST}`).digest).toBe(DIGEST);
    expect(() => requirePinnedImage("quay.io/x/os:4.15")).toThrow(/not pinned by digest/);
    expect(() => requirePinnedImage("Not A Reference")).toThrow(/not a valid image reference/);
  });
});

describe("failureCode", () => {
  it.each([
    ["reading manifest sha256:1 in quay.io/x: manifest unknown", "image-not-found"],
    ["reading manifest sha256:1 in quay.io/x: unauthorized: authentication required", "unauthorized"],
    ["requested access to the resource is denied: ", "unauthorized"],
    [
      'pinging container registry q: Get "https://q/v2/": dial tcp 1.2.3.4:443: connect: connection refused',
      "registry-unreachable",
    ],
    ["Digest did not match, expected sha256:1, got sha256:2", "digest-mismatch"],
    ["error: Transaction in progress: deploy", "command-failed"],
  ])("%s → %s", (stderr, code) => {
    expect(failureCode(stderr)).toBe(code);
  });
});
