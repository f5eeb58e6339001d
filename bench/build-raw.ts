// The baseline for the build benchmark: the field's own tool run by hand. The same rendered
// Containerfile and MachineConfig a mob build used (captured from its `containerfile-<mosb>` and
// `mc-<mosb>` ConfigMaps while it ran) are turned into the same context (`prepareContext`, not
// timed), then `buildah bud` and `buildah push --digestfile` run with the flags the build Job uses,
// against a private storage root: fresh, the baseline starts as cold as mob's first build; reused,
// it shows what buildah's own layer cache gives a rebuild.

import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BuildDataKeys, BuildKeys } from "../src/api/constants.ts";
import type { KubeObject } from "../src/api/object.ts";
import { prepareContext } from "../src/build/prepare-context.ts";

/** A build's inputs as its ConfigMaps held them. */
export interface CapturedInputs {
  containerfile?: string;
  machineConfig?: string;
}

/** Remembers the Containerfile and MachineConfig of every build, by MachineOSBuild name. */
export class InputCapture {
  readonly #byBuild = new Map<string, CapturedInputs>();

  /** Feed every ConfigMap add/update of the MCO namespace here. */
  observe(cm: KubeObject): void {
    const mosb = cm.metadata.labels?.[BuildKeys.machineOSBuild];
    const data = (cm.data ?? {}) as Record<string, string>;
    if (mosb === undefined) return;
    const entry = this.#byBuild.get(mosb) ?? {};
    const containerfile = data[BuildDataKeys.containerfile];
    const machineConfig = data[BuildDataKeys.machineConfig];
    if (containerfile !== undefined) entry.containerfile = containerfile;
    if (machineConfig !== undefined) entry.machineConfig = machineConfig;
    this.#byBuild.set(mosb, entry);
  }

  get(mosb: string): Required<CapturedInputs> {
    const entry = this.#byBuild.get(mosb);
    if (entry?.containerfile === undefined || entry.machineConfig === undefined) {
      throw new Error(`build bench: the inputs of ${mosb} were not seen while it ran`);
    }
    return { containerfile: entry.containerfile, machineConfig: entry.machineConfig };
  }
}

export interface RawBuildOptions {
  /** Scratch directory of this run (context, auth file, digest); must not exist yet. */
  dir: string;
  /** buildah's storage root; a fresh one is cold, reusing one exercises `--layers`. */
  storage: string;
  inputs: Required<CapturedInputs>;
  /** `<registry>/<repo>:<tag>` to push to. */
  tag: string;
  dockerConfigJson: string;
  signal: AbortSignal;
}

export interface RawBuildTimes {
  budMs: number;
  pushMs: number;
  digest: string;
}

export async function rawBuild(options: RawBuildOptions): Promise<RawBuildTimes> {
  const { dir, signal } = options;
  await mkdir(dir, { recursive: true });
  const context = join(dir, "context");
  await prepareContext({
    machineConfig: Buffer.from(options.inputs.machineConfig),
    containerfile: options.inputs.containerfile,
    out: context,
    signal,
  });
  const auth = join(dir, "auth.json");
  await writeFile(auth, options.dockerConfigJson, { mode: 0o600 });
  const storage = options.storage;
  const buildah = ["--root", `${storage}/root`, "--runroot", `${storage}/runroot`, "--storage-driver", "vfs"];
  const env = { ...process.env, BUILDAH_ISOLATION: "chroot", STORAGE_DRIVER: "vfs" };
  const digestFile = join(dir, "digest");
  let started = performance.now();
  await run(
    "buildah",
    [
      ...buildah,
      "bud",
      "--isolation",
      "chroot",
      "--layers",
      "--tls-verify=false",
      "--authfile",
      auth,
      "-t",
      options.tag,
      "-f",
      join(context, BuildDataKeys.containerfile),
      context,
    ],
    env,
    signal,
  );
  const budMs = performance.now() - started;
  started = performance.now();
  await run(
    "buildah",
    [
      ...buildah,
      "push",
      "--tls-verify=false",
      "--authfile",
      auth,
      "--digestfile",
      digestFile,
      options.tag,
      `docker://${options.tag}`,
    ],
    env,
    signal,
  );
  const pushMs = performance.now() - started;
  return { budMs, pushMs, digest: (await readFile(digestFile, "utf8")).trim() };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, signal, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.slice(6, 7).join(" ")} exited with ${code}: ${stderr}`));
    });
  });
}
