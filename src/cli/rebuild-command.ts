// `mob rebuild <pool> [--no-wait] [--kubeconfig FILE]`: run the pool's current build again and wait
// for the outcome (exit code 1 when the new build fails).

import { parseArgs } from "node:util";
import { CliError } from "./cli-error.ts";
import { outcomeText, requestRebuild, waitForRebuild } from "./rebuild/rebuild.ts";
import { apiFailure, connect } from "./status/cluster.ts";
import { type CommandIo, progressOn, withSignals } from "./status/output.ts";

export async function runRebuild(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      kubeconfig: { type: "string" },
      "no-wait": { type: "boolean", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const [pool, ...rest] = positionals;
  if (pool === undefined || rest.length > 0) {
    throw new CliError("usage: mob rebuild <pool> [--no-wait] [--kubeconfig FILE]");
  }
  const clients = connect(values.kubeconfig, io.env);
  try {
    const request = await requestRebuild(clients, pool, io.signal);
    io.out.write(
      `rebuild of ${request.previous.name} requested (MachineOSConfig ${request.config.metadata.name ?? ""})\n`,
    );
    if (values["no-wait"]) {
      io.out.write(`follow it with: mob status --watch, or mob logs build ${pool} -f\n`);
      return 0;
    }
    const outcome = await waitForRebuild(clients, request, progressOn(io.out), io.signal);
    io.out.write(outcomeText(outcome, pool));
    return outcome.state === "Succeeded" ? 0 : 1;
  } catch (error) {
    if (io.signal.aborted) return 130;
    throw apiFailure(error, clients);
  }
}

export function runRebuildCommand(args: string[]): Promise<number> {
  return withSignals((signal) => runRebuild(args, { out: process.stdout, signal, env: process.env }));
}
