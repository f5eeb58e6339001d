// PodSpec defaulting and validation, shared by Pods and the pod templates of Jobs, Deployments and
// DaemonSets. Defaults are those kubectl shows on a fresh object (SetDefaults_PodSpec / _Container).

import type { FieldIssue } from "../../errors.ts";
import {
  child,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  index,
} from "./field-issues.ts";
import { isDns1123Label } from "./names.ts";
import { type Fields, jsonEqual, list, record, setDefault, text } from "./object-fields.ts";
import { validateAnnotations, validateLabels } from "./object-meta.ts";

export const RESTART_POLICIES = ["Always", "OnFailure", "Never"] as const;

const CONTAINER_LISTS = ["initContainers", "containers"] as const;

export function defaultPodSpec(spec: Fields): void {
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "schedulerName", "default-scheduler");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "securityContext", {});
  for (const field of CONTAINER_LISTS) {
    for (const container of list(spec[field])) {
      const fields = record(container);
      if (fields !== undefined) defaultContainer(fields);
    }
  }
}

function defaultContainer(container: Fields): void {
  setDefault(container, "terminationMessagePath", "/dev/termination-log");
  setDefault(container, "terminationMessagePolicy", "File");
  setDefault(container, "imagePullPolicy", defaultPullPolicy(text(container.image) ?? ""));
  for (const port of list(container.ports)) {
    const fields = record(port);
    if (fields !== undefined) setDefault(fields, "protocol", "TCP");
  }
}

/** `Always` for `:latest` or untagged images, else `IfNotPresent`; digests count as tagged. */
function defaultPullPolicy(image: string): string {
  if (image.includes("@")) return "IfNotPresent";
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  return colon < 0 || lastSegment.slice(colon + 1) === "latest" ? "Always" : "IfNotPresent";
}

export interface PodSpecRules {
  restartPolicies: readonly string[];
}

export function validatePodSpec(spec: unknown, path: string, rules: PodSpecRules): FieldIssue[] {
  const fields = record(spec);
  if (fields === undefined) return [fieldRequired(path)];
  const issues: FieldIssue[] = [];
  if (list(fields.containers).length === 0) issues.push(fieldRequired(child(path, "containers")));
  const seen = new Set<string>();
  for (const field of CONTAINER_LISTS) {
    list(fields[field]).forEach((container, i) => {
      issues.push(...validateContainer(container, index(child(path, field), i), seen));
    });
  }
  const restartPolicy = text(fields.restartPolicy) ?? "Always";
  if (!rules.restartPolicies.includes(restartPolicy)) {
    issues.push(fieldNotSupported(child(path, "restartPolicy"), restartPolicy, rules.restartPolicies));
  }
  return issues;
}

function validateContainer(container: unknown, path: string, seen: Set<string>): FieldIssue[] {
  const fields = record(container) ?? {};
  const issues: FieldIssue[] = [];
  const name = text(fields.name) ?? "";
  if (name === "") {
    issues.push(fieldRequired(child(path, "name")));
  } else {
    for (const message of isDns1123Label(name)) issues.push(fieldInvalid(child(path, "name"), name, message));
    if (seen.has(name)) issues.push(fieldDuplicate(child(path, "name"), name));
    seen.add(name);
  }
  if ((text(fields.image) ?? "").trim() === "") issues.push(fieldRequired(child(path, "image")));
  list(fields.ports).forEach((port, i) => {
    const containerPort = record(port)?.containerPort;
    const portPath = child(index(child(path, "ports"), i), "containerPort");
    if (typeof containerPort !== "number" || containerPort < 1 || containerPort > 65535) {
      issues.push(fieldInvalid(portPath, containerPort ?? 0, "must be between 1 and 65535, inclusive"));
    }
  });
  return issues;
}

/** A pod template: its labels and annotations, and its spec under `rules`. */
export function validatePodTemplate(template: unknown, path: string, rules: PodSpecRules): FieldIssue[] {
  const fields = record(template);
  if (fields === undefined) return [fieldRequired(path)];
  const metadata = record(fields.metadata) ?? {};
  return [
    ...validateLabels(metadata.labels, child(path, "metadata.labels")),
    ...validateAnnotations(metadata.annotations, child(path, "metadata.annotations")),
    ...validatePodSpec(fields.spec, child(path, "spec"), rules),
  ];
}

const POD_UPDATE_MESSAGE =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/**
 * Pod specs are immutable except container images, activeDeadlineSeconds, added tolerations,
 * terminationGracePeriodSeconds and removed schedulingGates: mask those with the old values and compare.
 */
export function validatePodSpecUpdate(spec: unknown, oldSpec: unknown): FieldIssue[] {
  const next = structuredClone(record(spec) ?? {});
  const old = record(oldSpec) ?? {};
  for (const field of CONTAINER_LISTS) {
    const oldContainers = list(old[field]);
    list(next[field]).forEach((container, i) => {
      const fields = record(container);
      const oldImage = record(oldContainers[i])?.image;
      if (fields !== undefined && oldImage !== undefined) fields.image = oldImage;
    });
  }
  for (const field of ["activeDeadlineSeconds", "terminationGracePeriodSeconds"]) {
    if (old[field] === undefined) delete next[field];
    else next[field] = old[field];
  }
  const keepsAll = (from: unknown[], into: unknown[]) => from.every((a) => into.some((b) => jsonEqual(a, b)));
  if (keepsAll(list(old.tolerations), list(next.tolerations))) next.tolerations = old.tolerations;
  if (keepsAll(list(next.schedulingGates), list(old.schedulingGates)))
    next.schedulingGates = old.schedulingGates;
  for (const field of ["tolerations", "schedulingGates"]) {
    if (next[field] === undefined) delete next[field];
  }
  return jsonEqual(next, old) ? [] : [fieldForbidden("spec", POD_UPDATE_MESSAGE)];
}

/** QoS class from requests and limits of cpu and memory, as qos.GetPodQOS (simplified to string compare). */
export function podQosClass(spec: unknown): "BestEffort" | "Burstable" | "Guaranteed" {
  const fields = record(spec) ?? {};
  const containers = [...list(fields.initContainers), ...list(fields.containers)].map((c) => record(c) ?? {});
  let anySet = false;
  let guaranteed = containers.length > 0;
  for (const container of containers) {
    const requests = record(record(container.resources)?.requests) ?? {};
    const limits = record(record(container.resources)?.limits) ?? {};
    for (const resource of ["cpu", "memory"]) {
      if (requests[resource] !== undefined || limits[resource] !== undefined) anySet = true;
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (limit === undefined || String(request) !== String(limit)) guaranteed = false;
    }
  }
  if (!anySet) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
