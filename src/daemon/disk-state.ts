// The node's own record of what it runs, under the booted root: the rendered MachineConfig JSON in
// currentconfig and the image in currentimage. Disk beats annotations: the daemon writes the record
// for the new config/image before it reboots (in /etc, which rpm-ostree and bootc carry into the new
// deployment), so after the reboot it knows what it booted into even if the annotations lag.
// A missing file means "unknown" (the annotations decide); an empty currentimage means "not layered".

import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import { isPlainObject } from "../api/object.ts";
import { DiskPaths } from "./constants.ts";

export interface DiskState {
  config: MachineConfig | undefined;
  /** undefined: no record; "": not layered. */
  image: string | undefined;
}

export class DiskStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  async read(): Promise<DiskState> {
    const configText = await readOptional(join(this.#root, DiskPaths.currentConfig));
    const imageText = await readOptional(join(this.#root, DiskPaths.currentImage));
    return {
      config: configText === undefined ? undefined : parseConfig(configText),
      image: imageText?.trim(),
    };
  }

  async write(state: { config: MachineConfig; image: string }): Promise<void> {
    await writeAtomic(join(this.#root, DiskPaths.currentConfig), JSON.stringify(state.config));
    await writeAtomic(join(this.#root, DiskPaths.currentImage), state.image === "" ? "" : `${state.image}\n`);
  }

  /** Removes the record (tests, and a node being reset). */
  async clear(): Promise<void> {
    await rm(join(this.#root, DiskPaths.currentConfig), { force: true });
    await rm(join(this.#root, DiskPaths.currentImage), { force: true });
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
}

/** A record that is not a MachineConfig counts as no record (the annotations decide). */
function parseConfig(text: string): MachineConfig | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isPlainObject(parsed) || !isPlainObject(parsed.metadata)) return undefined;
    return parsed as unknown as MachineConfig;
  } catch {
    return undefined;
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.mob-tmp`;
  await writeFile(temp, text, { mode: 0o644 });
  await rename(temp, path);
}
