// The client against the embedded registry (CNCF distribution with htpasswd): credentials, deletion.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../embedded/registry/test-registry.ts";
import { RegistryClient } from "./client.ts";
import { RegistryError } from "./errors.ts";

const signal = new AbortController().signal;
let fixture: TestRegistry;

beforeAll(async () => {
  fixture = await startTestRegistry();
});

afterAll(async () => {
  await fixture?.close();
});

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(error)}`);
  return error;
}

describe("RegistryClient against the embedded registry", () => {
  it("resolves the seeded tag to the pushed digest", async () => {
    expect(await fixture.client.resolve(fixture.base.tagRef, { signal })).toBe(fixture.base.digest);
    expect(await fixture.client.resolve(fixture.base.ref, { signal })).toBe(fixture.base.digest);
  });

  it("reports a wrong password as unauthorized without leaking it", async () => {
    const password = "definitely-not-the-password-7";
    const client = new RegistryClient({ credentials: { username: "mob", password } });
    const error = await failure(client.resolve(fixture.base.tagRef, { signal }));
    expect(error.code).toBe("unauthorized");
    expect(error.message).toContain(fixture.registry.url);
    expect(error.message).toContain('user "mob"');
    expect(error.message).not.toContain(password);
    expect(error.message).not.toContain(fixture.registry.credentials.password);
    expect((await failure(new RegistryClient().resolve(fixture.base.ref, { signal }))).code).toBe(
      "unauthorized",
    );
  });

  it("deletes a manifest by digest; the tag and digest are then not found, a second delete reports it", async () => {
    const digest = await fixture.buildLayered("os/doomed", "v1", "echo doomed > /doomed");
    const tagged = `${fixture.registry.url}/os/doomed:v1`;
    expect(await fixture.client.resolve(tagged, { signal })).toBe(digest);
    expect(await fixture.client.deleteManifest(tagged, { signal })).toEqual({ deleted: true, digest });
    const pinned = `${fixture.registry.url}/os/doomed@${digest}`;
    expect((await failure(fixture.client.resolve(pinned, { signal }))).code).toBe("not-found");
    expect((await failure(fixture.client.resolve(tagged, { signal }))).code).toBe("not-found");
    expect(await fixture.client.deleteManifest(pinned, { signal })).toEqual({ deleted: false, digest });
    expect(await fixture.client.resolve(fixture.base.ref, { signal })).toBe(fixture.base.digest);
  });
});
