// The contract every OsBackend meets, as one vitest suite: run it from each implementation's test
// file with a factory that gives a fresh node (a fake host for the CLI backends, a real registry and
// node directory for the simulated one).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dockerConfigJsonFor } from "../../registry/index.ts";
import { type OsBackend, OsBackendError, type OsBackendErrorCode, type PullCredentials } from "./backend.ts";

export interface OsBackendFixture {
  backend: OsBackend;
  /** A digest-pinned image (`registry/repo@sha256:…`, canonical form) that exists and is not booted. */
  image: string;
  /** Credentials the registry accepts for `image`. */
  credentials: PullCredentials;
  /** A digest-pinned image in the same registry that does not exist. */
  missingImage: string;
  /** The registry host of both images, for credentials it must reject. */
  registryHost: string;
  close?(): Promise<void>;
}

const WRONG_PASSWORD = "conformance-wrong-password-5d1f";

/** `variant` tells apart runs of one backend in different set-ups (e.g. its host root). */
export function runOsBackendConformance(
  name: string,
  makeFixture: () => Promise<OsBackendFixture>,
  variant?: string,
): void {
  describe(`OsBackend conformance: ${name}${variant === undefined ? "" : ` (${variant})`}`, () => {
    const signal = new AbortController().signal;
    let fixture: OsBackendFixture;

    beforeEach(async () => {
      fixture = await makeFixture();
    });

    afterEach(async () => {
      await fixture?.close?.();
    });

    it("reports a booted deployment and nothing staged", async () => {
      const status = await fixture.backend.status(signal);
      expect(status.booted.id).not.toBe("");
      expect(status.booted.imageDigest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(status.staged).toBeUndefined();
      expect(fixture.backend.name).toBe(name);
    });

    it("stages a rebase with the image's digest, leaving booted as it was", async () => {
      const before = await fixture.backend.status(signal);
      await fixture.backend.rebase(fixture.image, { credentials: fixture.credentials, signal });
      const status = await fixture.backend.status(signal);
      expect(status.staged?.image).toBe(fixture.image);
      expect(status.staged?.imageDigest).toBe(digestOf(fixture.image));
      expect(status.booted).toEqual(before.booted);
    });

    it("boots the staged deployment on reboot and keeps the old booted one as rollback", async () => {
      const before = await fixture.backend.status(signal);
      await fixture.backend.rebase(fixture.image, { credentials: fixture.credentials, signal });
      const staged = (await fixture.backend.status(signal)).staged;
      await fixture.backend.reboot(signal);
      const status = await fixture.backend.status(signal);
      expect(status.booted).toEqual(staged);
      expect(status.rollback?.id).toBe(before.booted.id);
      expect(status.rollback?.imageDigest).toBe(before.booted.imageDigest);
      expect(status.staged).toBeUndefined();
    });

    it("refuses to reboot with nothing staged", async () => {
      await expectOsError(fixture.backend.reboot(signal), "no-staged-deployment");
    });

    it("fails a rebase to a missing image with image-not-found naming the image", async () => {
      const error = await expectOsError(
        fixture.backend.rebase(fixture.missingImage, { credentials: fixture.credentials, signal }),
        "image-not-found",
      );
      expect(error.message).toContain(fixture.missingImage);
      expect((await fixture.backend.status(signal)).staged).toBeUndefined();
    });

    it("fails a rebase with rejected credentials as unauthorized, never quoting them", async () => {
      const credentials = {
        dockerConfigJson: dockerConfigJsonFor(fixture.registryHost, {
          username: "mob",
          password: WRONG_PASSWORD,
        }),
      };
      const error = await expectOsError(
        fixture.backend.rebase(fixture.image, { credentials, signal }),
        "unauthorized",
      );
      expect(error.message).toContain(fixture.image);
      expect(error.message).not.toContain(WRONG_PASSWORD);
      expect(error.message).not.toContain(Buffer.from(`mob:${WRONG_PASSWORD}`).toString("base64"));
    });

    it("refuses an image not pinned by digest", async () => {
      const tagged = `${fixture.image.slice(0, fixture.image.indexOf("@"))}:latest`;
      await expectOsError(
        fixture.backend.rebase(tagged, { credentials: fixture.credentials, signal }),
        "invalid-image",
      );
    });

    it("drops the staged deployment on cleanupStaged, and is a no-op without one", async () => {
      const before = await fixture.backend.status(signal);
      await fixture.backend.cleanupStaged(signal);
      await fixture.backend.rebase(fixture.image, { credentials: fixture.credentials, signal });
      await fixture.backend.cleanupStaged(signal);
      const status = await fixture.backend.status(signal);
      expect(status.staged).toBeUndefined();
      expect(status.booted).toEqual(before.booted);
    });
  });
}

function digestOf(image: string): string {
  return image.slice(image.indexOf("@") + 1);
}

async function expectOsError(promise: Promise<unknown>, code: OsBackendErrorCode): Promise<OsBackendError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OsBackendError);
  expect((error as OsBackendError).code).toBe(code);
  return error as OsBackendError;
}
