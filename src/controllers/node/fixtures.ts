// Builders for the node controller's tests: Nodes with the daemon's annotations, pools,
// MachineOSConfigs and MachineOSBuilds in a chosen build state.

import {
  BuildConditionTexts,
  BuildConditionTypes,
  MachineOSConfigAnnotations,
  NodeAnnotations,
} from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import type { BuildState } from "../build/build-state.ts";
import { ZONE_LABEL } from "./constants.ts";

export interface NodeOptions {
  role?: string;
  labels?: Record<string, string>;
  current?: string;
  desired?: string;
  currentImage?: string;
  desiredImage?: string;
  state?: string;
  reason?: string;
  ready?: boolean;
  unschedulable?: boolean;
  zone?: string;
  created?: string;
  taints?: { key: string; effect: string }[];
}

export function testNode(name: string, o: NodeOptions = {}): KubeObject {
  const annotations: Record<string, string> = {};
  const set = (key: string, value: string | undefined): void => {
    if (value !== undefined) annotations[key] = value;
  };
  set(NodeAnnotations.currentConfig, o.current);
  set(NodeAnnotations.desiredConfig, o.desired ?? o.current);
  set(NodeAnnotations.currentImage, o.currentImage);
  set(NodeAnnotations.desiredImage, o.desiredImage ?? o.currentImage);
  set(NodeAnnotations.state, o.state ?? "Done");
  set(NodeAnnotations.reason, o.reason);
  const labels: Record<string, string> = {
    [`node-role.kubernetes.io/${o.role ?? "worker"}`]: "",
    ...o.labels,
  };
  if (o.zone !== undefined) labels[ZONE_LABEL] = o.zone;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels, annotations, creationTimestamp: o.created ?? "2026-01-01T00:00:00Z" },
    spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
    status: { conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }] },
  };
}

export function testPool(
  name: string,
  spec: Partial<MachineConfigPool["spec"]> & { config?: string } = {},
): MachineConfigPool {
  const { config, ...rest } = spec;
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineConfigPool",
    metadata: { name, generation: 1 },
    spec: {
      nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${name}`]: "" } },
      ...(config !== undefined ? { configuration: { name: config } } : {}),
      ...rest,
    },
  };
}

export function testMosc(pool: string, image?: string, currentBuild?: string): MachineOSConfig {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineOSConfig",
    metadata: {
      name: pool,
      ...(currentBuild !== undefined
        ? { annotations: { [MachineOSConfigAnnotations.currentMachineOSBuild]: currentBuild } }
        : {}),
    },
    spec: {
      machineConfigPool: { name: pool },
      imageBuilder: { imageBuilderType: "Job" },
      renderedImagePushSecret: { name: "push" },
      renderedImagePushSpec: "registry.example.com/os/image:latest",
    },
    ...(image !== undefined ? { status: { currentImagePullSpec: image } } : {}),
  };
}

export function buildConditions(state: BuildState, time = "2026-01-01T00:00:00Z") {
  return Object.values(BuildConditionTypes).map((type) => {
    const on = type === state;
    const text = on ? BuildConditionTexts[type] : { reason: BuildConditionTexts[type].reason, message: "" };
    return { type, status: on ? "True" : "False", lastTransitionTime: time, ...text } as const;
  });
}

export function testMosb(
  name: string,
  o: { mosc: string; config: string; state: BuildState; digest?: string; created?: string },
): MachineOSBuild {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineOSBuild",
    metadata: { name, creationTimestamp: o.created ?? "2026-01-01T00:00:00Z" },
    spec: {
      machineConfig: { name: o.config },
      machineOSConfig: { name: o.mosc },
      renderedImagePushSpec: `registry.example.com/os/image:${name}`,
    },
    status: {
      conditions: buildConditions(o.state),
      ...(o.digest !== undefined ? { digestedImagePushSpec: o.digest } : {}),
    },
  };
}

export const DIGEST_A = `registry.example.com/os/image@sha256:${"a".repeat(64)}`;
export const DIGEST_B = `registry.example.com/os/image@sha256:${"b".repeat(64)}`;
