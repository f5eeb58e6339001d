// `mob status --watch`: one informer per kind of the scene; any change redraws (at most every
// 200 ms). A terminal gets the screen repainted in place, every second too (durations move);
// elsewhere a frame is printed only when its text changed, so the output reads as a log.

import type { KubeObject } from "../../api/object.ts";
import { Informer } from "../../runtime/informer.ts";
import type { KubeClients } from "../../runtime/kube-client.ts";
import type { Output } from "./output.ts";
import { type RenderOptions, renderStatus } from "./render.ts";
import { SCENE_RESOURCES, type StatusScene } from "./scene.ts";

export interface WatchStatusOptions {
  clients: KubeClients;
  out: Output;
  color: RenderOptions["color"];
  /** Read at every redraw, so a resized terminal is followed. */
  width: () => number;
  /** Time source (tests may fix it). */
  now?: () => number;
  signal: AbortSignal;
}

/** Home, every line cleared to its end, the rest of the screen cleared: no flicker. */
function repaint(text: string): string {
  return `\x1b[H${text.replace(/\n$/, "").replaceAll("\n", "\x1b[K\n")}\x1b[K\x1b[J`;
}

const DEBOUNCE_MS = 200;
const TICK_MS = 1000;

/** Runs until `signal` aborts; resolves once every informer has stopped. */
export async function watchStatus(options: WatchStatusOptions): Promise<void> {
  const { clients, out, signal } = options;
  const now = options.now ?? Date.now;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  const informers = {
    pools: new Informer({ clients, resource: SCENE_RESOURCES.pools }),
    machineOSConfigs: new Informer({ clients, resource: SCENE_RESOURCES.machineOSConfigs }),
    machineOSBuilds: new Informer({ clients, resource: SCENE_RESOURCES.machineOSBuilds }),
    nodes: new Informer({ clients, resource: SCENE_RESOURCES.nodes }),
  };
  let synced = false;
  let last = "";
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    timer = undefined;
    if (!synced || stop.signal.aborted) return;
    const scene = {
      pools: informers.pools.list(),
      machineOSConfigs: informers.machineOSConfigs.list(),
      machineOSBuilds: informers.machineOSBuilds.list(),
      nodes: informers.nodes.list(),
    } as StatusScene;
    const stamp = new Date(now()).toISOString().replace(/\.\d+Z$/, "Z");
    const text = renderStatus(scene, { color: options.color, width: options.width(), now: now() });
    if (out.isTTY === true) out.write(repaint(`${stamp}  (Ctrl-C to stop)\n\n${text}`));
    else if (text !== last) out.write(`--- ${stamp}\n${text}\n`);
    last = text;
  };
  const schedule = (): void => {
    timer ??= setTimeout(draw, DEBOUNCE_MS);
  };
  const handler = { onAdd: schedule, onUpdate: schedule, onDelete: schedule };
  const all: Informer<KubeObject>[] = Object.values(informers);
  for (const informer of all) informer.addEventHandler(handler);
  const ticker = out.isTTY === true ? setInterval(schedule, TICK_MS) : undefined;
  try {
    await Promise.all(all.map((informer) => informer.start(stop.signal)));
    synced = true;
    draw();
    await new Promise<void>((resolve) => {
      if (stop.signal.aborted) resolve();
      else stop.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    stop.abort();
    signal.removeEventListener("abort", onAbort);
    clearTimeout(timer);
    clearInterval(ticker);
    await Promise.all(all.map((informer) => informer.stopped()));
  }
}
