// Dotted field paths (`spec.buildInputs.releaseVersion`) into plain JSON objects. Paths name object
// fields only; list items are converted whole by the mapping that owns the list.

import { isPlainObject } from "../object.ts";

/** The value at `path`, or undefined when it or any parent is missing or not an object. */
export function getPath(root: Record<string, unknown>, path: string): unknown {
  let node: unknown = root;
  for (const name of path.split(".")) {
    if (!isPlainObject(node) || !Object.hasOwn(node, name)) return undefined;
    node = node[name];
  }
  return node;
}

/** Sets `path` in `root`, creating (or replacing non-object) parents as empty objects. */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const names = path.split(".");
  const last = names.pop();
  if (last === undefined) return;
  let node = root;
  for (const name of names) {
    const child = node[name];
    if (isPlainObject(child)) node = child;
    else {
      const created: Record<string, unknown> = {};
      node[name] = created;
      node = created;
    }
  }
  node[last] = value;
}

/** The first segment of a path: `spec` or `status`. */
export function sectionOf(path: string): string {
  return path.split(".", 1)[0] ?? path;
}
