// `mob status` as text: pools, rollouts (a progress bar per pool with nodes), builds, nodes and
// problems. Pure: the same scene, time, width and colour choice always give the same text.

import {
  type Cell,
  cutLine,
  formatDuration,
  formatTable,
  progressBar,
  shortConfig,
  shortImage,
  type TableOptions,
} from "./format.ts";
import type { StatusScene } from "./scene.ts";
import { type BuildView, type NodeView, type PoolView, statusView } from "./view.ts";

export interface RenderOptions {
  /** Milliseconds since the epoch; durations so far are measured to it. */
  now: number;
  /** Lines are cut to this many characters. */
  width: number;
  color: boolean;
}

function poolRows(pools: readonly PoolView[]): Cell[][] {
  return pools.map((p) => [
    { text: p.name },
    { text: p.config ?? "-" },
    { text: p.layered ? "yes" : "no" },
    { text: p.layered ? shortImage(p.image) : "-" },
    { text: String(p.updated) },
    { text: String(p.ready) },
    { text: String(p.machines) },
    p.degraded ? { text: "True", tone: "bad" } : { text: "False" },
  ]);
}

function rolloutLines(pools: readonly PoolView[]): Cell[][] {
  return pools
    .filter((p) => p.machines > 0 || p.updating !== undefined)
    .map((p) => {
      const bar = progressBar(p.updated, p.machines);
      let state: Cell;
      if (p.updating !== undefined) {
        const since = p.updating.forMs === undefined ? "" : ` for ${formatDuration(p.updating.forMs)}`;
        const message = p.updating.message === "" ? "" : `: ${p.updating.message}`;
        state = { text: `updating${since}${message}`, tone: "busy" };
      } else if (p.degraded) state = { text: "degraded", tone: "bad" };
      else if (p.updated === p.machines) state = { text: "up to date", tone: "good" };
      else state = { text: "waiting" };
      return [{ text: p.name }, { text: bar }, state];
    });
}

const BUILD_TONES = {
  Succeeded: "good",
  Failed: "bad",
  Interrupted: "bad",
  Building: "busy",
  Prepared: "busy",
} as const;

function buildRows(builds: readonly BuildView[]): Cell[][] {
  return builds.map((b) => {
    const tone = b.state in BUILD_TONES ? BUILD_TONES[b.state as keyof typeof BUILD_TONES] : undefined;
    const duration =
      b.durationMs === undefined ? "-" : `${formatDuration(b.durationMs)}${b.finished ? "" : " so far"}`;
    const detail =
      b.state === "Succeeded" ? shortImage(b.detail) : b.build === undefined ? "no build yet" : b.detail;
    return [
      { text: b.config },
      { text: b.pool },
      { text: b.build ?? "-" },
      tone === undefined ? { text: b.state } : { text: b.state, tone },
      { text: duration },
      b.state === "Failed" ? { text: detail, tone: "bad" } : { text: detail },
    ];
  });
}

function pair(current: string, desired: string): string {
  return current === desired ? current : `${current} -> ${desired}`;
}

function nodeRows(nodes: readonly NodeView[]): Cell[][] {
  return nodes.map((n) => {
    const config = pair(shortConfig(n.currentConfig), shortConfig(n.desiredConfig ?? n.currentConfig));
    const image = pair(shortImage(n.currentImage, false), shortImage(n.desiredImage, false));
    const status = `${n.ready ? "Ready" : "NotReady"}${n.schedulable ? "" : ",SchedulingDisabled"}`;
    const stateTone =
      n.state === "Done" ? "good" : n.state === "Degraded" || n.state === "Unreconcilable" ? "bad" : "busy";
    return [
      { text: n.name },
      { text: n.pool },
      n.state === "-" ? { text: "-" } : { text: n.state, tone: stateTone },
      { text: config },
      { text: image },
      n.ready ? { text: status } : { text: status, tone: "bad" },
    ];
  });
}

function section(title: string, lines: readonly string[], options: TableOptions): string[] {
  const heading = options.color ? `\x1b[1m${title}\x1b[0m` : title;
  return [heading, ...lines, ""];
}

export function renderStatus(scene: StatusScene, options: RenderOptions): string {
  const view = statusView(scene, options.now);
  const table: TableOptions = { width: Math.max(20, options.width), color: options.color };
  const out: string[] = [];
  const poolHeader = ["NAME", "CONFIG", "LAYERED", "IMAGE", "UPDATED", "READY", "MACHINES", "DEGRADED"];
  out.push(...section("POOLS", formatTable(poolHeader, poolRows(view.pools), table), table));
  const rollouts = rolloutLines(view.pools);
  if (rollouts.length > 0) {
    const lines = formatTable(["", "", ""], rollouts, table).slice(1);
    out.push(...section("ROLLOUT", lines, table));
  }
  const buildHeader = ["MACHINEOSCONFIG", "POOL", "BUILD", "PHASE", "DURATION", "DETAIL"];
  const builds = view.builds.length === 0 ? ["no MachineOSConfigs: no pool is layered"] : [];
  out.push(
    ...section(
      "BUILDS",
      builds.length > 0 ? builds : formatTable(buildHeader, buildRows(view.builds), table),
      table,
    ),
  );
  const nodeHeader = ["NAME", "POOL", "STATE", "CONFIG", "IMAGE", "STATUS"];
  out.push(...section("NODES", formatTable(nodeHeader, nodeRows(view.nodes), table), table));
  if (view.problems.length > 0) {
    const lines = view.problems.map((p) => cutLine(`  ${p}`, table.width));
    out.push(...section("PROBLEMS", lines, table));
  }
  return `${out.join("\n").trimEnd()}\n`;
}
