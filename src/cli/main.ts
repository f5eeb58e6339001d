// `mob` — the command-line entry point. Flags are parsed here, once; components get typed options.

import { CliError } from "./cli-error.ts";

const USAGE = `Usage: mob <command> [flags]

Commands:
  apiserver --dir DIR [--listen 127.0.0.1:6443] [--log-level info] [--no-crds]
                     Serve mob's embedded Kubernetes API server with its state in DIR
                     (installs mob's CRDs unless --no-crds).
  build prepare-context --machineconfig FILE --containerfile FILE --out DIR
                     Write a buildah build context for a MachineOSBuild (see mob build help).
  controller --kubeconfig FILE [--metrics-listen HOST:PORT] [--leader-elect]
             [--leader-election-namespace openshift-machine-config-operator] [--log-level info]
             [--builder-image IMAGE [--builder-node-selector k=v,...] [--builder-node NAME]
              [--builder-command mob] [--builder-layer-cache HOST_DIR]]
                     Run mob's controllers (render, node, drain; build with --builder-image)
                     against the API server in FILE.
  daemon --node NAME --kubeconfig FILE [--backend rpm-ostree|bootc|simulated] [--node-dir DIR]
         [--host-root DIR] [--pull-secret FILE] [--metrics-listen HOST:PORT] [--log-level info]
                     Run the node agent for NAME: applies the node's desired config and image
                     to the host root (default /rootfs when the host's / is mounted there, else /).
  install --kubeconfig FILE [--image IMAGE] [--dry-run] [--no-wait] [--timeout SECONDS]
                     Install mob on a cluster (CRDs, RBAC, controller, daemons, server) and wait
                     until the controller and daemons are available.
  logs build <pool|machineosbuild> [-f] [--kubeconfig FILE]
                     Print a build's log: live from its pod (-f follows it to the end), or the
                     archived log once the pod is cleaned up.
  node add --pool POOL [--name NAME] [--dir .mob] [--kubeconfig FILE] [--server URL]
                     Boot a new simulated node of POOL from the machine-config-server of the
                     \`mob up\` running on --dir (which then runs the node).
  rebuild <pool> [--no-wait] [--kubeconfig FILE]
                     Run the pool's current OS image build again and wait for the outcome.
  server --kubeconfig FILE [--listen 0.0.0.0:22623] (--tls-cert FILE --tls-key FILE | --insecure-http)
                     Serve the machine-config-server: GET /config/<pool> returns the Ignition a
                     new node of the pool boots with (the layered image too, once one is rolled out).
  status [--watch] [--no-color] [--kubeconfig FILE]
                     Pools, rollout progress, builds and nodes at a glance (--watch redraws).
                     The kubeconfig defaults to $KUBECONFIG, then .mob/kubeconfig.
  token --kubeconfig FILE (--service-account NS/NAME | --node NAME) [--audience A]... [--duration 1h]
                     Print a bound token for a ServiceAccount or a node identity (last line).
  up [--dir .mob] [--workers 2] [--masters 1] [--api-listen 127.0.0.1:6443] [--registry-listen 127.0.0.1:5000]
     [--metrics-listen HOST:PORT] [--log-level warn]
                     Run the whole embedded mob on this machine: API server, registry with a
                     base OS image, build platform, controllers and simulated nodes.
  version            Print mob's version.
`;

// Each command is imported only when it runs: importing them all up front (the API server, the
// controllers, client-node) costs over a second on every `mob` invocation, build pods included.
type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  apiserver: async () => (await import("./apiserver-command.ts")).runApiServerCommand,
  build: async () => (await import("./build-command.ts")).runBuildCommand,
  controller: async () => (await import("./controller-command.ts")).runControllerCommand,
  daemon: async () => (await import("./daemon-command.ts")).runDaemonCommand,
  install: async () => (await import("./install-command.ts")).runInstallCommand,
  logs: async () => (await import("./logs-command.ts")).runLogsCommand,
  node: async () => (await import("./node-command.ts")).runNodeCommand,
  rebuild: async () => (await import("./rebuild-command.ts")).runRebuildCommand,
  server: async () => (await import("./server-command.ts")).runServerCommand,
  status: async () => (await import("./status-command.ts")).runStatusCommand,
  token: async () => (await import("./token-command.ts")).runTokenCommand,
  up: async () => (await import("./up-command.ts")).runUpCommand,
  version: async () => async () => {
    console.log("mob 0.1.0 (Kubernetes API v1.32)");
    return 0;
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`mob: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return (await load())(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `mob: ${error instanceof CliError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  },
);
