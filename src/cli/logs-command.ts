// `mob logs build <pool|machineosbuild> [-f] [--kubeconfig FILE]`: the build's log, live from its
// pod or archived after cleanup.

import { parseArgs } from "node:util";
import { CliError } from "./cli-error.ts";
import { printBuildLog } from "./logs/build-logs.ts";
import { resolveBuild } from "./logs/resolve-build.ts";
import { apiFailure, connect } from "./status/cluster.ts";
import { type CommandIo, withSignals } from "./status/output.ts";

const USAGE = "usage: mob logs build <pool|machineosbuild> [-f] [--kubeconfig FILE]";

export async function runLogs(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      kubeconfig: { type: "string" },
      follow: { type: "boolean", short: "f", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const [what, target, ...rest] = positionals;
  if (what !== "build" || target === undefined || rest.length > 0) throw new CliError(USAGE);
  const clients = connect(values.kubeconfig, io.env);
  try {
    const mosb = await resolveBuild(clients, target, io.signal);
    await printBuildLog({ clients, mosb, follow: values.follow, out: io.out, signal: io.signal });
    return 0;
  } catch (error) {
    if (io.signal.aborted) return 130;
    throw apiFailure(error, clients);
  }
}

export function runLogsCommand(args: string[]): Promise<number> {
  return withSignals((signal) => runLogs(args, { out: process.stdout, signal, env: process.env }));
}
