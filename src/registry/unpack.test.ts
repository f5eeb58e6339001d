import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isRegistryError } from "./errors.ts";
import { FIXTURE_MTIME, type TarFixtureEntry, tarOf } from "./tar-fixture.ts";
import { applyLayer, entryComponents } from "./unpack.ts";

const signal = new AbortController().signal;
let work: string;
let root: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "mob-unpack-"));
  root = join(work, "root");
  await mkdir(root);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const apply = (entries: TarFixtureEntry[]) => applyLayer(root, Readable.from([tarOf(entries)]), { signal });
const rejection = (entries: TarFixtureEntry[]) =>
  apply(entries).then(
    () => undefined,
    (error: unknown) => error,
  );

describe("applyLayer", () => {
  it("writes files, directories, symlinks and hardlinks with modes and mtimes", async () => {
    const stats = await apply([
      { path: "etc/", type: "Directory", mode: 0o750 },
      { path: "etc/conf", body: "a=1\n", mode: 0o640 },
      { path: "./etc/link", type: "SymbolicLink", linkpath: "/etc/conf" },
      { path: "etc/hard", type: "Link", linkpath: "etc/conf" },
      { path: "dev/fifo", type: "FIFO" },
    ]);
    expect(stats).toEqual({ entries: 5, whiteouts: 0, skipped: 1 });
    expect(await readFile(join(root, "etc/conf"), "utf8")).toBe("a=1\n");
    const conf = await lstat(join(root, "etc/conf"));
    expect(conf.mode & 0o7777).toBe(0o640);
    expect(conf.mtimeMs).toBe(FIXTURE_MTIME.getTime());
    expect(conf.nlink).toBe(2);
    expect((await lstat(join(root, "etc"))).mode & 0o7777).toBe(0o750);
    expect((await lstat(join(root, "etc"))).mtimeMs).toBe(FIXTURE_MTIME.getTime());
    expect(await readlink(join(root, "etc/link"))).toBe("/etc/conf");
  });

  it("deletes lower files named by whiteouts but not this layer's own", async () => {
    await apply([{ path: "a/old" }, { path: "a/keep" }, { path: "b/tree/file" }]);
    await apply([{ path: "a/.wh.old" }, { path: "a/new" }, { path: "a/.wh.new" }, { path: ".wh.b" }]);
    expect((await readdir(join(root, "a"))).sort()).toEqual(["keep", "new"]);
    expect(await readdir(root)).toEqual(["a"]);
  });

  it("hides a directory's lower contents behind an opaque whiteout, wherever the marker is", async () => {
    await apply([{ path: "d/a" }, { path: "d/sub/b" }, { path: "e/a" }, { path: "e/sub/b" }]);
    await apply([
      { path: "d/", type: "Directory" },
      { path: "d/.wh..wh..opq" },
      { path: "d/c", body: "new" },
      { path: "e/sub/c" },
      { path: "e/.wh..wh..opq" },
    ]);
    expect(await readdir(join(root, "d"))).toEqual(["c"]);
    expect(await readdir(join(root, "e"))).toEqual(["sub"]);
    expect(await readdir(join(root, "e/sub"))).toEqual(["c"]);
  });

  it("replaces what lower layers left with the new type", async () => {
    await apply([{ path: "x/inner" }, { path: "y", type: "SymbolicLink", linkpath: work }]);
    await apply([
      { path: "x", body: "now a file" },
      { path: "y/", type: "Directory" },
    ]);
    expect(await readFile(join(root, "x"), "utf8")).toBe("now a file");
    expect((await lstat(join(root, "y"))).isDirectory()).toBe(true);
  });

  it("accepts an empty layer (only end-of-archive blocks), as buildah writes for a step that changed nothing", async () => {
    await writeFile(join(root, "kept"), "x");
    await applyLayer(root, Readable.from([Buffer.alloc(1024)]), { signal });
    expect(await readdir(root)).toEqual(["kept"]);
  });

  it("still refuses bytes that are not a tar archive", async () => {
    const error = await applyLayer(
      root,
      Readable.from([Buffer.from("not a tar archive at all".repeat(40))]),
      {
        signal,
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
  });

  it("refuses names that leave the root", async () => {
    for (const path of ["../evil", "a/../../evil", "/etc/evil"]) {
      expect(isRegistryError(await rejection([{ path }]), "unsafe-layer")).toBe(true);
    }
    expect(
      isRegistryError(await rejection([{ path: "h", type: "Link", linkpath: "../secret" }]), "unsafe-layer"),
    ).toBe(true);
    expect((await readdir(work)).sort()).toEqual(["root"]);
  });

  it("resolves symlinks on the way inside the root, never on the host", async () => {
    const outside = join(work, "outside");
    await mkdir(outside);
    await writeFile(join(work, "secret"), "host secret");
    await apply([
      { path: "up", type: "SymbolicLink", linkpath: "../../.." },
      { path: "abs", type: "SymbolicLink", linkpath: outside },
      { path: "file-link", type: "SymbolicLink", linkpath: join(work, "secret") },
    ]);
    await apply([
      { path: "up/escaped", body: "x" },
      { path: "abs/escaped", body: "y" },
      { path: "file-link", body: "z" },
    ]);
    expect(await readdir(outside)).toEqual([]);
    expect(await readFile(join(work, "secret"), "utf8")).toBe("host secret");
    expect(await readFile(join(root, "escaped"), "utf8")).toBe("x");
    expect(await readFile(join(root, outside, "escaped"), "utf8")).toBe("y");
    expect(await readFile(join(root, "file-link"), "utf8")).toBe("z");
    const error = await rejection([{ path: "h", type: "Link", linkpath: "up/secret" }]);
    expect(isRegistryError(error, "protocol")).toBe(true);
  });
});

describe("entryComponents", () => {
  it("drops . and empty components", () => {
    expect(entryComponents("./a//b/./c/")).toEqual(["a", "b", "c"]);
    expect(entryComponents("./")).toEqual([]);
  });
});

describe("symlinked parents", () => {
  it("follows a lower layer's directory symlink like a chroot", async () => {
    await mkdir(join(root, "usr/lib"), { recursive: true });
    await symlink("usr/lib", join(root, "lib"));
    await apply([{ path: "lib/module.so", body: "elf" }]);
    expect(await readFile(join(root, "usr/lib/module.so"), "utf8")).toBe("elf");
  });
});
