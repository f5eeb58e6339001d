// ControllerConfig spec.additionalTrustBundle → the user CA bundle file, in place: no drain, no
// reboot (upstream's certificate path). An empty bundle removes the file. Upstream then runs
// update-ca-trust; the OsBackend contract has no command for it, so consumers that read
// ca-trust/source directly see the change and the extracted bundle is refreshed on the next boot.

import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { ControllerConfig } from "../api/controllerconfig-v1.ts";
import { resolveInRoot } from "../ignition/root-path.ts";
import { USER_CA_BUNDLE_PATH } from "./constants.ts";

/** The decoded bundle (the field is base64 bytes); empty when unset. */
export function trustBundleOf(config: ControllerConfig | undefined): Buffer {
  const value = config?.spec.additionalTrustBundle;
  return typeof value === "string" && value !== "" ? Buffer.from(value, "base64") : Buffer.alloc(0);
}

/** Writes or removes the bundle file; returns whether anything changed. */
export async function syncTrustBundle(root: string, bundle: Buffer): Promise<boolean> {
  const host = await resolveInRoot(root, USER_CA_BUNDLE_PATH, false);
  const existing = await readFile(host).catch(() => undefined);
  if (bundle.length === 0) {
    if (existing === undefined) return false;
    await rm(host, { force: true });
    return true;
  }
  if (existing?.equals(bundle) === true) return false;
  await mkdir(dirname(host), { recursive: true });
  await writeFile(`${host}.mob-tmp`, bundle, { mode: 0o644 });
  await rename(`${host}.mob-tmp`, host);
  return true;
}
