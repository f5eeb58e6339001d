import { execFile } from "node:child_process";
import { copyFile, lstat, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRegistry, type TestRegistry } from "../embedded/registry/test-registry.ts";
import { sha256Digest } from "./digest.ts";
import { isRegistryError } from "./errors.ts";
import { pullAndUnpack } from "./pull-unpack.ts";

const exec = promisify(execFile);
const signal = new AbortController().signal;
let fixture: TestRegistry;
let work: string;
let layered: string;

/** Deletes a lower file (a whiteout), adds symlinks, a hardlink, modes and a recreated directory. */
const SCRIPT = [
  "rm /etc/motd",
  "ln -s /usr/lib/os-release /etc/issue",
  "ln -s ../bin/busybox /usr/bin/relative",
  "mkdir -p /opt/app/conf",
  "echo hello > /opt/app/x",
  "chmod 0750 /opt/app/x",
  "ln /opt/app/x /opt/app/hard",
  "chmod 4755 /opt/app/conf",
  "rm -rf /home/core && mkdir /home/core && echo fresh > /home/core/.profile",
].join(" && ");

beforeAll(async () => {
  fixture = await startTestRegistry();
  work = await mkdtemp(join(tmpdir(), "mob-pull-"));
  const digest = await fixture.buildLayered("os/layered", "v1", SCRIPT);
  layered = `${fixture.registry.url}/os/layered@${digest}`;
});

afterAll(async () => {
  await fixture?.close();
  await rm(work, { recursive: true, force: true });
});

interface Node {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  content?: string;
  link?: string;
  mtime?: number;
  links?: number;
}

async function snapshot(root: string, rel = "", out = new Map<string, Node>()): Promise<Map<string, Node>> {
  for (const name of await readdir(join(root, rel))) {
    const path = rel === "" ? name : `${rel}/${name}`;
    const stat = await lstat(join(root, path));
    const node: Node = { type: "other", mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
    if (stat.isSymbolicLink())
      Object.assign(node, { type: "symlink", link: await readlink(join(root, path)) });
    else if (stat.isFile()) {
      const content = sha256Digest(await readFile(join(root, path)));
      Object.assign(node, {
        type: "file",
        content,
        mtime: Math.floor(stat.mtimeMs / 1000),
        links: stat.nlink,
      });
    } else if (stat.isDirectory()) {
      node.type = "dir";
      await snapshot(root, path, out);
    }
    out.set(path, node);
  }
  return out;
}

async function umociUnpack(ref: string, dir: string): Promise<string> {
  const authfile = join(dir, "auth.json");
  await writeFile(authfile, fixture.registry.dockerConfigJson(), { mode: 0o600 });
  const source = ["--src-authfile", authfile, "--src-tls-verify=false"];
  await exec("skopeo", ["copy", "--quiet", ...source, `docker://${ref}`, `oci:${join(dir, "layout")}:image`]);
  await exec("umoci", ["unpack", "--image", `${join(dir, "layout")}:image`, join(dir, "bundle")]);
  return join(dir, "bundle", "rootfs");
}

describe("pullAndUnpack", () => {
  it("unpacks a layered image exactly as umoci does", async () => {
    const ours = join(work, "ours");
    const result = await pullAndUnpack(layered, ours, { credentials: fixture.registry.credentials, signal });
    expect(result.layers).toHaveLength(2);
    expect(`${fixture.registry.url}/os/layered@${result.digest}`).toBe(layered);

    const theirs = await umociUnpack(layered, await mkdtemp(join(work, "umoci-")));
    const [mine, reference] = [await snapshot(ours), await snapshot(theirs)];
    expect([...mine.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [path, node] of reference) expect({ path, ...mine.get(path) }).toEqual({ path, ...node });

    expect(mine.has("etc/motd")).toBe(false);
    expect(mine.get("etc/issue")).toMatchObject({ type: "symlink", link: "/usr/lib/os-release" });
    expect(mine.get("opt/app/x")).toMatchObject({ mode: 0o750, links: 2 });
    expect((await lstat(join(ours, "opt/app/x"))).ino).toBe((await lstat(join(ours, "opt/app/hard"))).ino);
    expect(await readdir(join(ours, "home/core"))).toEqual([".profile"]);
  });

  it("fails with digest-mismatch when a layer blob in the registry was swapped", async () => {
    const image = await fixture.client.inspect(layered, { signal });
    const [lower, upper] = image.layers;
    if (lower === undefined || upper === undefined) throw new Error("expected two layers");
    const blob = (digest: string) =>
      join(
        fixture.dir,
        "registry/data/docker/registry/v2/blobs/sha256",
        digest.slice(7, 9),
        digest.slice(7),
        "data",
      );
    await copyFile(blob(lower.digest), blob(upper.digest));

    const error = await pullAndUnpack(layered, join(work, "tampered"), {
      credentials: fixture.registry.credentials,
      signal,
    }).catch((e: unknown) => e);
    expect(isRegistryError(error, "digest-mismatch")).toBe(true);
    expect((error as Error).message).toContain(upper.digest);
  });
});
