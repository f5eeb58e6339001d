// The names inside a layer archive: components of an entry's path, and the whiteout markers of the
// OCI image layer format.

import { RegistryError } from "./errors.ts";

/** `.wh.<name>` deletes `<name>` from lower layers. */
export const WHITEOUT = ".wh.";
/** `.wh..wh..opq` hides everything lower layers left in its directory. */
export const OPAQUE = ".wh..wh..opq";

export function unsafeLayer(detail: string): RegistryError {
  return new RegistryError("unsafe-layer", detail);
}

/** The components of an archive name; absolute names and `..` are refused. */
export function entryComponents(name: string): string[] {
  if (name.startsWith("/")) throw unsafeLayer(`absolute entry name "${name}"`);
  const parts = name.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) throw unsafeLayer(`entry name "${name}" leaves the root`);
  return parts;
}
