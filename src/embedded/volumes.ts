// Pod volumes materialised on the host under `<podDir>/volumes/<name>/`: emptyDir (any medium, a
// plain directory), configMap, secret, downwardAPI and projected (files written once at pod start,
// not updated later), hostPath (the host directory itself). Containers see them through bind mounts.

import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname, join, normalize } from "node:path";
import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { at, list, record, text } from "../apiserver/registry/builtin/object-fields.ts";
import type { Store } from "../apiserver/registry/store.ts";
import { sourceData } from "./container-env.ts";
import { PodConfigError, podFieldValue } from "./downward.ts";

type Fields = Record<string, unknown>;

export interface VolumeContext {
  store: Store;
  logger: Logger | undefined;
  nodeName: string;
  /** `<dir>/kubelet/pods/<uid>`. */
  podDir: string;
}

/** A file to write into a volume: a path relative to the volume, content and mode. */
interface VolumeFile {
  path: string;
  content: Buffer;
  mode: number;
}

const DEFAULT_MODE = 0o644;

function mode(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}

/** Files from a ConfigMap or Secret, honouring items (key, path, mode), defaultMode and optional. */
function keyedFiles(
  store: Store,
  pod: KubeObject,
  kind: "configMap" | "secret",
  source: Fields,
  defaultMode: number,
): VolumeFile[] {
  const name = text(kind === "configMap" ? source.name : source.secretName) ?? text(source.name) ?? "";
  const data = sourceData(store, kind, pod.metadata.namespace ?? "", name);
  const what = kind === "configMap" ? "configmap" : "secret";
  if (data === undefined) {
    if (source.optional === true) return [];
    throw new PodConfigError(`${what} "${name}" not found`);
  }
  const items = list(source.items).map(record);
  if (items.length === 0) {
    return Object.entries(data).map(([key, content]) => ({ path: key, content, mode: defaultMode }));
  }
  return items.flatMap((item) => {
    const key = text(item?.key) ?? "";
    const content = data[key];
    if (content === undefined) {
      if (source.optional === true) return [];
      throw new PodConfigError(`${what} "${name}": key ${key} not found`);
    }
    return [{ path: text(item?.path) ?? key, content, mode: mode(item?.mode, defaultMode) }];
  });
}

function downwardFiles(pod: KubeObject, source: Fields, defaultMode: number, nodeName: string): VolumeFile[] {
  return list(source.items).flatMap((entry) => {
    const item = record(entry) ?? {};
    const fieldPath = text(at(item, "fieldRef", "fieldPath"));
    if (fieldPath === undefined)
      throw new PodConfigError("downwardAPI: only fieldRef items are supported by mob's host kubelet");
    const content = Buffer.from(podFieldValue(pod, fieldPath, nodeName), "utf8");
    return [{ path: text(item.path) ?? "", content, mode: mode(item.mode, defaultMode) }];
  });
}

function projectedFiles(ctx: VolumeContext, pod: KubeObject, volume: string, source: Fields): VolumeFile[] {
  const defaultMode = mode(source.defaultMode, DEFAULT_MODE);
  return list(source.sources).flatMap((entry) => {
    const projection = record(entry) ?? {};
    const configMap = record(projection.configMap);
    if (configMap !== undefined) return keyedFiles(ctx.store, pod, "configMap", configMap, defaultMode);
    const secret = record(projection.secret);
    if (secret !== undefined)
      return keyedFiles(ctx.store, pod, "secret", { ...secret, secretName: secret.name }, defaultMode);
    const downward = record(projection.downwardAPI);
    if (downward !== undefined) return downwardFiles(pod, downward, defaultMode, ctx.nodeName);
    if (record(projection.serviceAccountToken) !== undefined) {
      ctx.logger?.info(
        { pod: pod.metadata.name, volume },
        "projected serviceAccountToken skipped: mob's host kubelet issues no tokens",
      );
      return [];
    }
    throw new PodConfigError(
      `projected volume ${volume}: unsupported source ${Object.keys(projection).join(",")}`,
    );
  });
}

async function writeFiles(dir: string, files: VolumeFile[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    const target = normalize(join(dir, file.path));
    if (!target.startsWith(`${dir}/`)) throw new PodConfigError(`volume path ${file.path} leaves the volume`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    await chmod(target, file.mode);
  }
}

/** The files a volume's source holds, or undefined for sources that are plain directories. */
function volumeFiles(
  ctx: VolumeContext,
  pod: KubeObject,
  name: string,
  volume: Fields,
): VolumeFile[] | undefined {
  const configMap = record(volume.configMap);
  if (configMap !== undefined)
    return keyedFiles(ctx.store, pod, "configMap", configMap, mode(configMap.defaultMode, DEFAULT_MODE));
  const secret = record(volume.secret);
  if (secret !== undefined)
    return keyedFiles(ctx.store, pod, "secret", secret, mode(secret.defaultMode, DEFAULT_MODE));
  const downward = record(volume.downwardAPI);
  if (downward !== undefined)
    return downwardFiles(pod, downward, mode(downward.defaultMode, DEFAULT_MODE), ctx.nodeName);
  const projected = record(volume.projected);
  if (projected !== undefined) return projectedFiles(ctx, pod, name, projected);
  if (record(volume.emptyDir) !== undefined) return [];
  return undefined;
}

/** Materialises every volume of `pod`; returns each volume's host directory by name. */
export async function materializeVolumes(ctx: VolumeContext, pod: KubeObject): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const entry of list(at(pod, "spec", "volumes"))) {
    const volume = record(entry) ?? {};
    const name = text(volume.name) ?? "";
    const hostPath = record(volume.hostPath);
    if (hostPath !== undefined) {
      const path = text(hostPath.path) ?? "";
      if (hostPath.type === "DirectoryOrCreate") await mkdir(path, { recursive: true });
      paths.set(name, path);
      continue;
    }
    const files = volumeFiles(ctx, pod, name, volume);
    if (files === undefined) {
      throw new PodConfigError(
        `volume ${name}: only emptyDir, configMap, secret, downwardAPI, projected and hostPath are supported by mob's host kubelet`,
      );
    }
    const dir = join(ctx.podDir, "volumes", name);
    await writeFiles(dir, files);
    paths.set(name, dir);
  }
  return paths;
}
