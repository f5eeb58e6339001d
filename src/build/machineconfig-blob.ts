// The rendered MachineConfig as the build gets it: the mc-<mosb> ConfigMap stores
// base64(gzip -9 (JSON)) under machineconfig.json.gz; plain JSON (and raw gzip) are accepted too.

import { gunzipSync, gzipSync } from "node:zlib";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import { PrepareContextError } from "./errors.ts";

export interface DecodedMachineConfig {
  /** The JSON text exactly as stored; it becomes /etc/machine-config-daemon/currentconfig. */
  json: string;
  machineConfig: MachineConfig;
}

export function decodeMachineConfigBlob(data: Buffer): DecodedMachineConfig {
  const json = blobToJson(data);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new PrepareContextError(
      "InvalidMachineConfig",
      `the MachineConfig is not valid JSON: ${reason(error)}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new PrepareContextError("InvalidMachineConfig", "the MachineConfig must be a JSON object");
  }
  // Only spec.config is read, and parseIgnition checks it field by field.
  return { json, machineConfig: parsed as MachineConfig };
}

/** base64(gzip level 9), the ConfigMap encoding the Containerfile's extract stage decodes. */
export function encodeMachineConfigBlob(json: string): string {
  return gzipSync(Buffer.from(json, "utf8"), { level: 9 }).toString("base64");
}

function blobToJson(data: Buffer): string {
  if (data[0] === 0x1f && data[1] === 0x8b) return gunzip(data);
  const text = data.toString("utf8").trim();
  if (text.startsWith("{")) return text;
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) {
    throw new PrepareContextError(
      "InvalidMachineConfig",
      "the MachineConfig is neither JSON nor base64(gzip(JSON))",
    );
  }
  return gunzip(Buffer.from(text, "base64"));
}

function gunzip(data: Buffer): string {
  try {
    return gunzipSync(data).toString("utf8");
  } catch (error) {
    throw new PrepareContextError(
      "InvalidMachineConfig",
      `the MachineConfig blob is not gzip data: ${reason(error)}`,
    );
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
