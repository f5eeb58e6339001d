// Loads mob's .proto subset of the Kubernetes API into one protobufjs root, once, at import.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import protobuf, { type Type } from "protobufjs";

const FILES = [
  "runtime.proto",
  "resource.proto",
  "intstr.proto",
  "meta.proto",
  "core.proto",
  "pod.proto",
  "batch.proto",
  "authorization.proto",
  "authentication.proto",
];

function load(): protobuf.Root {
  const root = new protobuf.Root();
  for (const file of FILES) {
    protobuf.parse(readFileSync(join(import.meta.dirname, file), "utf8"), root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}

export const root = load();

export const UNKNOWN = root.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown");

/** The kinds mob decodes from protobuf, keyed by "apiVersion/kind" as the envelope's TypeMeta gives them. */
export const PROTOBUF_KINDS: ReadonlyMap<string, Type> = new Map([
  ["v1/Namespace", root.lookupType("k8s.io.api.core.v1.Namespace")],
  ["v1/ConfigMap", root.lookupType("k8s.io.api.core.v1.ConfigMap")],
  ["v1/Secret", root.lookupType("k8s.io.api.core.v1.Secret")],
  ["v1/ServiceAccount", root.lookupType("k8s.io.api.core.v1.ServiceAccount")],
  ["batch/v1/Job", root.lookupType("k8s.io.api.batch.v1.Job")],
  [
    "authorization.k8s.io/v1/SelfSubjectAccessReview",
    root.lookupType("k8s.io.api.authorization.v1.SelfSubjectAccessReview"),
  ],
  [
    "authorization.k8s.io/v1/SubjectAccessReview",
    root.lookupType("k8s.io.api.authorization.v1.SubjectAccessReview"),
  ],
  ["authentication.k8s.io/v1/TokenRequest", root.lookupType("k8s.io.api.authentication.v1.TokenRequest")],
]);
