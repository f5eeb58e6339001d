// `mob apiserver`: serve the embedded API server until SIGINT or SIGTERM.

import { parseArgs } from "node:util";
import { startApiServer } from "../apiserver/apiserver.ts";
import { createLogger } from "../logging.ts";
import { CliError } from "./cli-error.ts";
import { parseListenAddress } from "./listen-address.ts";

export async function runApiServerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: "string" },
      listen: { type: "string", default: "127.0.0.1:6443" },
      "log-level": { type: "string", default: "info" },
      "no-crds": { type: "boolean", default: false },
    },
    strict: true,
  });
  if (!values.dir) throw new CliError("apiserver needs --dir DIR (where its state lives)");
  const { host, port } = parseListenAddress(values.listen);
  const logger = createLogger({ level: values["log-level"] });
  const server = await startApiServer({
    dir: values.dir,
    host,
    port,
    logger,
    installCrds: !values["no-crds"],
  });
  console.log(`mob apiserver ready at ${server.url}`);
  console.log(`kubeconfig: ${server.kubeconfigPath}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.stop();
  return 0;
}
