// Walks the places in a config that hold resources or permission modes, with their issue paths.

import type { IgnitionConfig, Resource } from "./types.ts";

export interface ResourceAt {
  resource: Resource;
  path: string;
  /** What the resource is for, used in messages: "file contents", "config merge", ... */
  role:
    | "file contents"
    | "file append"
    | "config merge"
    | "config replace"
    | "certificate authority"
    | "luks key file";
}

export function resourcesOf(config: IgnitionConfig): ResourceAt[] {
  const out: ResourceAt[] = [];
  const meta = config.ignition;
  meta.config?.merge?.forEach((resource, i) => {
    out.push({ resource, path: `ignition.config.merge[${i}]`, role: "config merge" });
  });
  if (meta.config?.replace !== undefined) {
    out.push({ resource: meta.config.replace, path: "ignition.config.replace", role: "config replace" });
  }
  meta.security?.tls?.certificateAuthorities?.forEach((resource, i) => {
    out.push({
      resource,
      path: `ignition.security.tls.certificateAuthorities[${i}]`,
      role: "certificate authority",
    });
  });
  config.storage?.files?.forEach((file, i) => {
    if (file.contents !== undefined) {
      out.push({ resource: file.contents, path: `storage.files[${i}].contents`, role: "file contents" });
    }
    file.append?.forEach((resource, j) => {
      out.push({ resource, path: `storage.files[${i}].append[${j}]`, role: "file append" });
    });
  });
  config.storage?.luks?.forEach((device, i) => {
    if (device.keyFile !== undefined) {
      out.push({ resource: device.keyFile, path: `storage.luks[${i}].keyFile`, role: "luks key file" });
    }
  });
  return out;
}

export interface ModeAt {
  mode: number;
  path: string;
}

export function modesOf(config: IgnitionConfig): ModeAt[] {
  const out: ModeAt[] = [];
  config.storage?.files?.forEach((file, i) => {
    if (file.mode !== undefined) out.push({ mode: file.mode, path: `storage.files[${i}].mode` });
  });
  config.storage?.directories?.forEach((dir, i) => {
    if (dir.mode !== undefined) out.push({ mode: dir.mode, path: `storage.directories[${i}].mode` });
  });
  return out;
}
