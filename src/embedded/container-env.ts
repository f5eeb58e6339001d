// A container's environment and argv as the kubelet computes them: envFrom, then env in order
// (value, fieldRef, configMapKeyRef, secretKeyRef), with `$(VAR)` references expanded in values,
// command and args. There is no image, so the base is the host's PATH plus HOSTNAME and HOME.

import type { KubeObject } from "../api/object.ts";
import { at, list, record, stringMap, text } from "../apiserver/registry/builtin/object-fields.ts";
import type { Store } from "../apiserver/registry/store.ts";
import { PodConfigError, podFieldValue } from "./downward.ts";
import { CONFIGMAPS, find, SECRETS } from "./store-access.ts";

type Fields = Record<string, unknown>;

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** `$(NAME)` becomes the value of NAME when defined; `$$` escapes; anything else stays as written. */
export function expandReferences(input: string, env: Record<string, string>): string {
  return input.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === "$$") return "$";
    return name !== undefined && Object.hasOwn(env, name) ? (env[name] ?? "") : match;
  });
}

/** The string data of a ConfigMap (data and binaryData) or a Secret (data, base64-decoded). */
export function sourceData(
  store: Store,
  kind: "configMap" | "secret",
  namespace: string,
  name: string,
): Record<string, Buffer> | undefined {
  const object = find(store, kind === "configMap" ? CONFIGMAPS : SECRETS, namespace, name);
  if (object === undefined) return undefined;
  const out: Record<string, Buffer> = {};
  if (kind === "configMap") {
    for (const [key, value] of Object.entries(stringMap(object.data))) out[key] = Buffer.from(value, "utf8");
    for (const [key, value] of Object.entries(stringMap(object.binaryData)))
      out[key] = Buffer.from(value, "base64");
  } else {
    for (const [key, value] of Object.entries(stringMap(object.data)))
      out[key] = Buffer.from(value, "base64");
    for (const [key, value] of Object.entries(stringMap(object.stringData)))
      out[key] = Buffer.from(value, "utf8");
  }
  return out;
}

function keyRef(
  store: Store,
  namespace: string,
  kind: "configMap" | "secret",
  ref: Fields,
): string | undefined {
  const name = text(ref.name) ?? "";
  const key = text(ref.key) ?? "";
  const data = sourceData(store, kind, namespace, name);
  const value = data?.[key];
  if (value !== undefined) return value.toString("utf8");
  if (ref.optional === true) return undefined;
  const what = kind === "configMap" ? "configmap" : "secret";
  throw new PodConfigError(
    data === undefined
      ? `${what} "${name}" not found`
      : `couldn't find key ${key} in ${kind === "configMap" ? "ConfigMap" : "Secret"} ${namespace}/${name}`,
  );
}

function envFrom(store: Store, namespace: string, container: Fields, env: Record<string, string>): void {
  for (const item of list(container.envFrom).map(record)) {
    if (item === undefined) continue;
    const prefix = text(item.prefix) ?? "";
    const kind = record(item.configMapRef) !== undefined ? "configMap" : "secret";
    const ref = record(item.configMapRef) ?? record(item.secretRef) ?? {};
    const data = sourceData(store, kind, namespace, text(ref.name) ?? "");
    if (data === undefined && ref.optional !== true)
      throw new PodConfigError(
        `${kind === "configMap" ? "configmap" : "secret"} "${String(ref.name)}" not found`,
      );
    for (const [key, value] of Object.entries(data ?? {})) env[prefix + key] = value.toString("utf8");
  }
}

function envValue(
  store: Store,
  pod: KubeObject,
  entry: Fields,
  env: Record<string, string>,
  nodeName: string,
): string | undefined {
  if (entry.value !== undefined) return expandReferences(text(entry.value) ?? "", env);
  const from = record(entry.valueFrom);
  if (from === undefined) return "";
  const namespace = pod.metadata.namespace ?? "";
  const fieldRef = record(from.fieldRef);
  if (fieldRef !== undefined) return podFieldValue(pod, text(fieldRef.fieldPath) ?? "", nodeName);
  const configMapRef = record(from.configMapKeyRef);
  if (configMapRef !== undefined) return keyRef(store, namespace, "configMap", configMapRef);
  const secretRef = record(from.secretKeyRef);
  if (secretRef !== undefined) return keyRef(store, namespace, "secret", secretRef);
  throw new PodConfigError(
    `env ${String(entry.name)}: only value, fieldRef, configMapKeyRef and secretKeyRef are supported`,
  );
}

/** The environment of `container` in `pod`; throws PodConfigError for a missing required reference. */
export function containerEnv(
  store: Store,
  pod: KubeObject,
  container: Fields,
  nodeName: string,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? DEFAULT_PATH,
    HOSTNAME: pod.metadata.name ?? "",
    HOME: process.env.HOME ?? "/root",
  };
  envFrom(store, pod.metadata.namespace ?? "", container, env);
  for (const entry of list(container.env).map(record)) {
    const name = text(entry?.name);
    if (entry === undefined || name === undefined) continue;
    const value = envValue(store, pod, entry, env, nodeName);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** command + args with references expanded; undefined when the container has no command. */
export function containerArgv(container: Fields, env: Record<string, string>): string[] | undefined {
  const command = list(container.command).filter((c): c is string => typeof c === "string");
  if (command.length === 0) return undefined;
  const args = list(container.args).filter((a): a is string => typeof a === "string");
  return [...command, ...args].map((part) => expandReferences(part, env));
}

export function containerFields(pod: KubeObject, field: "containers" | "initContainers"): Fields[] {
  return list(at(pod, "spec", field)).flatMap((c) => (record(c) === undefined ? [] : [record(c) as Fields]));
}
