// The synchronous layer writer: archives split at any byte apply exactly like whole ones, and what it
// remembers about resolved directories never outlives a directory or symlink replaced in the layer.

import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FIXTURE_MTIME, type TarFixtureEntry, tarOf } from "./tar-fixture.ts";
import { treeSnapshot } from "./tree-snapshot.ts";
import { applyLayer } from "./unpack.ts";

const signal = new AbortController().signal;
let work: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "mob-layer-writer-"));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function newRoot(name: string): Promise<string> {
  const root = join(work, name);
  await mkdir(root);
  return root;
}

function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

/** Text that does not repeat, so a misplaced chunk changes the hash. */
function body(bytes: number): string {
  let text = "";
  for (let i = 0; text.length < bytes; i++) text += `${i.toString(36)} `;
  return text.slice(0, bytes);
}

describe("applyLayer fed in pieces", () => {
  const entries: TarFixtureEntry[] = [
    { path: "etc/", type: "Directory", mode: 0o751 },
    { path: "etc/empty", body: "" },
    { path: "etc/big", body: body(300_000), mode: 0o4755 },
    { path: "etc/small", body: "a=1\n", mode: 0o600 },
    { path: "etc/hard", type: "Link", linkpath: "etc/big" },
    { path: "usr/", type: "Directory" },
    { path: "usr/lib/", type: "Directory" },
    { path: "usr/lib/deep/", type: "Directory", mode: 0o700 },
    { path: "usr/lib/deep/file", body: body(1_000) },
    { path: "lib", type: "SymbolicLink", linkpath: "usr/lib" },
    { path: "lib/via-link", body: "through the link" },
  ];

  it("writes the same tree from 1-, 7-, 512- and 100,000-byte chunks as from one buffer", async () => {
    const archive = tarOf(entries);
    const whole = await newRoot("whole");
    const stats = await applyLayer(whole, Readable.from([archive]), { signal });
    expect(stats).toEqual({ entries: entries.length, whiteouts: 0, skipped: 0 });
    const expected = await treeSnapshot(whole);
    expect(expected["etc/big"]).toMatch(/^file 4755 /);
    // Owners are the archive's (0:0) when running as root, the caller's otherwise.
    const empty = `${FIXTURE_MTIME.getTime()} 1 ${createHash("sha256").digest("hex")}`;
    expect(expected["etc/empty"]).toMatch(new RegExp(`^file 644 \\d+:\\d+ ${empty}$`));
    expect(expected["usr/lib/via-link"]).toMatch(/^file 644 /);
    for (const size of [1, 7, 512, 100_000]) {
      const root = await newRoot(`chunks-${size}`);
      await applyLayer(root, chunked(archive, size), { signal });
      expect({ size, tree: await treeSnapshot(root) }).toEqual({ size, tree: expected });
    }
  }, 60_000);

  it("stops at an aborted signal with its reason, closing the file it was writing", async () => {
    const root = await newRoot("aborted");
    const controller = new AbortController();
    // Pulled one chunk at a time: the abort comes after the first chunk was applied.
    const source = (async function* () {
      const archive = tarOf(entries);
      yield archive.subarray(0, 2048);
      controller.abort(new Error("stop here"));
      yield archive.subarray(2048);
    })();
    await expect(applyLayer(root, source, { signal: controller.signal })).rejects.toThrow("stop here");
    // The cut came inside etc/big's body: the file exists, and no descriptor of this process is on it.
    expect((await lstat(join(root, "etc/big"))).size).toBeGreaterThan(0);
    const open = await Promise.all(
      (await readdir("/proc/self/fd")).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => "")),
    );
    expect(open.filter((target) => target.startsWith(root))).toEqual([]);
  });
});

describe("applyLayer within one layer", () => {
  it("follows a directory that a later entry replaced with a symlink, inside the root", async () => {
    const root = await newRoot("root");
    const outside = join(work, "outside");
    await mkdir(outside);
    await applyLayer(
      root,
      Readable.from([
        tarOf([
          { path: "a/", type: "Directory" },
          { path: "a/first", body: "1" },
          { path: "a", type: "SymbolicLink", linkpath: outside },
          { path: "a/second", body: "2" },
        ]),
      ]),
      { signal },
    );
    expect(await readdir(outside)).toEqual([]);
    expect(await readlink(join(root, "a"))).toBe(outside);
    expect(await readFile(join(root, outside, "second"), "utf8")).toBe("2");
  });

  it("creates a real directory where a whiteout removed a lower layer's directory symlink", async () => {
    const root = await newRoot("root");
    await applyLayer(
      root,
      Readable.from([
        tarOf([
          { path: "real/", type: "Directory" },
          { path: "link", type: "SymbolicLink", linkpath: "real" },
        ]),
      ]),
      { signal },
    );
    await applyLayer(
      root,
      Readable.from([
        tarOf([{ path: "link/through" }, { path: ".wh.link" }, { path: "link/own", body: "own" }]),
      ]),
      { signal },
    );
    expect(await readdir(join(root, "real"))).toEqual(["through"]);
    expect((await lstat(join(root, "link"))).isDirectory()).toBe(true);
    expect(await readFile(join(root, "link/own"), "utf8")).toBe("own");
  });

  it("puts a file where a directory of the same layer was, and refuses entries below that file", async () => {
    const root = await newRoot("root");
    const error = await applyLayer(
      root,
      Readable.from([
        tarOf([
          { path: "d/", type: "Directory" },
          { path: "d/inner", body: "x" },
          { path: "d", body: "now a file" },
          { path: "d/again", body: "y" },
        ]),
      ]),
      { signal },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/) });
    expect(await readFile(join(root, "d"), "utf8")).toBe("now a file");
  });
});
