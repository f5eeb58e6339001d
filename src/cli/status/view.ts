// The scene seen as rows: one per pool, per MachineOSConfig's current build, per node, plus the
// problems worth a line of their own. Pure; `now` is the only clock.

import {
  BuildConditionTypes,
  MachineOSConfigAnnotations,
  NodeStates,
  PoolConditionTypes,
} from "../../api/constants.ts";
import type { MachineConfigPool } from "../../api/machineconfigpool-v1.ts";
import type { MachineOSBuild } from "../../api/machineosbuild-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { type BuildState, buildStateOf, isTerminal } from "../../controllers/build/build-state.ts";
import { placeNode } from "../../controllers/node/membership.ts";
import * as node from "../../controllers/node/node-state.ts";
import { between, firstLine } from "./format.ts";
import type { StatusScene } from "./scene.ts";

export interface PoolView {
  name: string;
  config: string | undefined;
  layered: boolean;
  image: string | undefined;
  updated: number;
  ready: number;
  machines: number;
  degraded: boolean;
  /** Set while the pool's Updating condition is True: how long, and what it says. */
  updating?: { forMs: number | undefined; message: string };
}

export interface BuildView {
  config: string;
  pool: string;
  build: string | undefined;
  state: BuildState | "None";
  /** Total once terminal, so far otherwise; undefined before the build started. */
  durationMs: number | undefined;
  finished: boolean;
  detail: string;
}

export interface NodeView {
  name: string;
  pool: string;
  state: string;
  currentConfig: string | undefined;
  desiredConfig: string | undefined;
  currentImage: string | undefined;
  desiredImage: string | undefined;
  ready: boolean;
  schedulable: boolean;
}

export interface StatusView {
  pools: PoolView[];
  builds: BuildView[];
  nodes: NodeView[];
  problems: string[];
}

type PoolCondition = NonNullable<NonNullable<MachineConfigPool["status"]>["conditions"]>[number];

const byName = <T extends KubeObject>(a: T, b: T): number =>
  (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");

function poolCondition(pool: MachineConfigPool, type: string): PoolCondition | undefined {
  return pool.status?.conditions?.find((c) => c.type === type);
}

const isTrue = (condition: { status?: string } | undefined): boolean => condition?.status === "True";

function moscFor(scene: StatusScene, pool: string): MachineOSConfig | undefined {
  return scene.machineOSConfigs.find((m) => m.spec.machineConfigPool.name === pool);
}

function poolView(scene: StatusScene, pool: MachineConfigPool, now: number): PoolView {
  const mosc = moscFor(scene, pool.metadata.name ?? "");
  const status = pool.status;
  const updating = poolCondition(pool, PoolConditionTypes.Updating);
  return {
    name: pool.metadata.name ?? "",
    config: status?.configuration?.name ?? pool.spec.configuration?.name,
    layered: mosc !== undefined,
    image: mosc?.status?.currentImagePullSpec,
    updated: status?.updatedMachineCount ?? 0,
    ready: status?.readyMachineCount ?? 0,
    machines: status?.machineCount ?? 0,
    degraded: isTrue(poolCondition(pool, PoolConditionTypes.Degraded)),
    ...(isTrue(updating)
      ? { updating: { forMs: between(updating?.lastTransitionTime, now), message: updating?.message ?? "" } }
      : {}),
  };
}

/** The build the config names as current, else its newest build. */
function currentBuild(scene: StatusScene, mosc: MachineOSConfig): MachineOSBuild | undefined {
  const name = mosc.metadata.name ?? "";
  const current = mosc.metadata.annotations?.[MachineOSConfigAnnotations.currentMachineOSBuild];
  const builds = scene.machineOSBuilds.filter((b) => b.spec.machineOSConfig.name === name);
  const named = builds.find((b) => b.metadata.name === current);
  if (named !== undefined) return named;
  const newest = (a: MachineOSBuild, b: MachineOSBuild): number =>
    (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? "");
  return [...builds].sort(newest)[0];
}

function buildDetail(mosb: MachineOSBuild, state: BuildState): string {
  const condition = (type: string) => mosb.status?.conditions?.find((c) => c.type === type);
  switch (state) {
    case "Failed":
      return firstLine(condition(BuildConditionTypes.Failed)?.message);
    case "Interrupted":
      return firstLine(condition(BuildConditionTypes.Interrupted)?.message);
    case "Succeeded":
      return mosb.status?.digestedImagePushSpec ?? "";
    case "Building":
    case "Prepared":
      return mosb.status?.builder?.job?.name !== undefined ? `job ${mosb.status.builder.job.name}` : "";
    default:
      return "waiting to start";
  }
}

function buildView(scene: StatusScene, mosc: MachineOSConfig, now: number): BuildView {
  const config = mosc.metadata.name ?? "";
  const pool = mosc.spec.machineConfigPool.name;
  const mosb = currentBuild(scene, mosc);
  if (mosb === undefined) {
    return {
      config,
      pool,
      build: undefined,
      state: "None",
      durationMs: undefined,
      finished: false,
      detail: "",
    };
  }
  const state = buildStateOf(mosb);
  const finished = isTerminal(state);
  const start = mosb.status?.buildStart;
  const end = mosb.status?.buildEnd;
  return {
    config,
    pool,
    build: mosb.metadata.name,
    state,
    durationMs: between(start, end ?? now),
    finished: finished && end !== undefined,
    detail: buildDetail(mosb, state),
  };
}

function nodeView(pools: readonly MachineConfigPool[], n: KubeObject): NodeView {
  const placement = placeNode(pools, n);
  const pool = placement === undefined ? "-" : "pool" in placement ? placement.pool : "(conflict)";
  return {
    name: node.nodeName(n),
    pool,
    state: node.nodeState(n) ?? "-",
    currentConfig: node.currentConfig(n),
    desiredConfig: node.desiredConfig(n),
    currentImage: node.currentImage(n),
    desiredImage: node.desiredImage(n),
    ready: node.isReady(n),
    schedulable: !node.isUnschedulable(n),
  };
}

const PROBLEM_CONDITIONS = [
  PoolConditionTypes.NodeDegraded,
  PoolConditionTypes.RenderDegraded,
  PoolConditionTypes.ImageBuildDegraded,
] as const;

function problemsOf(pools: readonly MachineConfigPool[], nodes: readonly KubeObject[]): string[] {
  const out: string[] = [];
  for (const pool of pools) {
    for (const type of PROBLEM_CONDITIONS) {
      const c = poolCondition(pool, type);
      if (isTrue(c)) out.push(`pool ${pool.metadata.name ?? ""} ${type}: ${firstLine(c?.message)}`);
    }
  }
  for (const n of nodes) {
    const state = node.nodeState(n);
    if (state === NodeStates.Degraded || state === NodeStates.Unreconcilable) {
      out.push(`node ${node.nodeName(n)} ${state}: ${firstLine(node.degradedReason(n))}`);
    }
  }
  return out;
}

export function statusView(scene: StatusScene, now: number): StatusView {
  const pools = [...scene.pools].sort(byName);
  const nodes = [...scene.nodes].sort(byName);
  return {
    pools: pools.map((p) => poolView(scene, p, now)),
    builds: [...scene.machineOSConfigs].sort(byName).map((m) => buildView(scene, m, now)),
    nodes: nodes.map((n) => nodeView(pools, n)),
    problems: problemsOf(pools, nodes),
  };
}
