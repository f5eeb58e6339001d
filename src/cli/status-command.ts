// `mob status [--kubeconfig FILE] [--watch] [--no-color]`: pools, rollouts, builds and nodes at a
// glance; --watch redraws on every change until Ctrl-C.

import { parseArgs } from "node:util";
import { apiFailure, connect } from "./status/cluster.ts";
import { type CommandIo, withSignals } from "./status/output.ts";
import { renderStatus } from "./status/render.ts";
import { loadScene } from "./status/scene.ts";
import { watchStatus } from "./status/watch.ts";

/** Width used when the output has none (files, pipes, tests, a pty without a size). */
const PIPE_WIDTH = 200;

export async function runStatus(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: "string" },
      watch: { type: "boolean", short: "w", default: false },
      "no-color": { type: "boolean", default: false },
    },
    strict: true,
  });
  const clients = connect(values.kubeconfig, io.env);
  const color = io.out.isTTY === true && !values["no-color"] && io.env.NO_COLOR === undefined;
  const width = (): number =>
    io.out.columns !== undefined && io.out.columns > 0 ? io.out.columns : PIPE_WIDTH;
  try {
    const scene = await loadScene(clients, io.signal);
    if (!values.watch) {
      io.out.write(renderStatus(scene, { width: width(), color, now: Date.now() }));
      return 0;
    }
    await watchStatus({ clients, out: io.out, color, width, signal: io.signal });
    return 0;
  } catch (error) {
    if (io.signal.aborted) return 0;
    throw apiFailure(error, clients);
  }
}

export function runStatusCommand(args: string[]): Promise<number> {
  return withSignals((signal) => runStatus(args, { out: process.stdout, signal, env: process.env }));
}
