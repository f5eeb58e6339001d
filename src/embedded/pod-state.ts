// What the host kubelet remembers about a pod across its own restarts: `<podDir>/state.json` with the
// pod's identity, the pids it started, and whether the pod had finished. A pod directory whose state
// is not finished belongs to processes of a previous mob process.

import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface PodState {
  uid: string;
  namespace: string;
  name: string;
  pids: number[];
  finished: boolean;
}

const FILE = "state.json";

export async function writePodState(podDir: string, state: PodState): Promise<void> {
  const path = join(podDir, FILE);
  await writeFile(`${path}.tmp`, `${JSON.stringify(state)}\n`);
  await rename(`${path}.tmp`, path);
}

function parseState(text: string): PodState | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return undefined;
    const state = value as Partial<PodState>;
    if (typeof state.uid !== "string" || typeof state.name !== "string") return undefined;
    return {
      uid: state.uid,
      namespace: typeof state.namespace === "string" ? state.namespace : "",
      name: state.name,
      pids: Array.isArray(state.pids) ? state.pids.filter((p) => typeof p === "number") : [],
      finished: state.finished === true,
    };
  } catch {
    return undefined;
  }
}

/** Every pod state under `podsDir` (`<dir>/kubelet/pods`); unreadable ones are skipped. */
export async function readPodStates(podsDir: string): Promise<PodState[]> {
  let entries: string[];
  try {
    entries = await readdir(podsDir);
  } catch {
    return [];
  }
  const states: PodState[] = [];
  for (const entry of entries) {
    try {
      const state = parseState(await readFile(join(podsDir, entry, FILE), "utf8"));
      if (state !== undefined) states.push(state);
    } catch {
      // No state file: a pod directory from before any state was written.
    }
  }
  return states;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
