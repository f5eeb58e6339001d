// `mob install`: puts mob on a cluster — namespace, CRDs, service accounts, RBAC, the controller
// Deployment, the daemon DaemonSet and the machine-config-server — then waits until the controller
// and the daemons are available. `--dry-run` prints the manifests instead (no cluster needed).

import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { DEFAULT_IMAGE } from "../deploy/components.ts";
import { applyAll, waitForAvailable } from "../deploy/install.ts";
import { deployObjects } from "../deploy/manifests.ts";
import { loadKubeClients } from "../runtime/kube-client.ts";
import { CliError } from "./cli-error.ts";

export const INSTALL_USAGE = `Usage: mob install --kubeconfig FILE [--image IMAGE] [--dry-run] [--no-wait] [--timeout SECONDS]

Applies mob's manifests (those of deploy/) with server-side apply, then waits for the
machine-config-controller Deployment and the machine-config-daemon DaemonSet to be available.
  --image IMAGE      mob's image for every workload (default ${DEFAULT_IMAGE})
  --dry-run          print the manifests as YAML and change nothing
  --no-wait          do not wait for availability (mob's embedded API server stores, not runs, workloads)
  --timeout SECONDS  how long to wait (default 300)
`;

export async function runInstallCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: "string" },
      image: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "no-wait": { type: "boolean", default: false },
      timeout: { type: "string", default: "300" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(INSTALL_USAGE);
    return 0;
  }
  const options = values.image !== undefined ? { image: values.image } : {};
  if (values["dry-run"]) {
    const yaml = deployObjects(options).map((object) =>
      stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }),
    );
    process.stdout.write(yaml.join("---\n"));
    return 0;
  }
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new CliError(`--timeout wants a number of seconds, got "${values.timeout}"`);
  }
  const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG;
  if (!kubeconfig) throw new CliError(`install needs --kubeconfig FILE (or KUBECONFIG)\n\n${INSTALL_USAGE}`);
  const clients = loadKubeClients(kubeconfig, { fieldManager: "mob-install" });
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const applied = await applyAll(clients, {
      ...options,
      signal: stop.signal,
      onApplied: ({ object, outcome }) => console.log(`${object} ${outcome}`),
    });
    const changed = applied.filter((a) => a.outcome !== "unchanged").length;
    console.log(`mob install: ${applied.length} objects applied, ${changed} changed`);
    if (values["no-wait"]) return 0;
    console.log("waiting for the controller and the daemons to be available...");
    await waitForAvailable(clients, {
      signal: stop.signal,
      timeoutMs: timeoutSeconds * 1000,
      onProgress: (line) => console.log(`  ${line}`),
    });
    console.log("mob is installed and available");
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
