// `mob build <subcommand>`: the steps a build pod runs. Today: prepare-context.

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { PrepareContextError } from "../build/errors.ts";
import { prepareContext } from "../build/prepare-context.ts";
import { CliError } from "./cli-error.ts";

export const BUILD_USAGE = `Usage: mob build <subcommand> [flags]

Subcommands:
  prepare-context --machineconfig FILE --containerfile FILE --out DIR [--legacy-ssh-keys]
                     Write a buildah build context: the MachineConfig (base64 of gzip as in the
                     mc-<mosb> ConfigMap, or plain JSON) applied as a file tree, the Containerfile,
                     and the data its steps read.
`;

const subcommands: Record<string, (args: string[]) => Promise<number>> = {
  "prepare-context": runPrepareContext,
};

export async function runBuildCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(BUILD_USAGE);
    return name === undefined ? 2 : 0;
  }
  const subcommand = subcommands[name];
  if (!subcommand) throw new CliError(`build: unknown subcommand "${name}"\n\n${BUILD_USAGE}`);
  return subcommand(rest);
}

async function runPrepareContext(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      machineconfig: { type: "string" },
      containerfile: { type: "string" },
      out: { type: "string" },
      "legacy-ssh-keys": { type: "boolean", default: false },
    },
    strict: true,
  });
  if (!values.machineconfig || !values.containerfile || !values.out) {
    throw new CliError(
      "build prepare-context needs --machineconfig FILE, --containerfile FILE and --out DIR",
    );
  }
  try {
    const prepared = await prepareContext({
      machineConfig: await readFile(values.machineconfig),
      containerfile: await readFile(values.containerfile, "utf8"),
      out: values.out,
      coreSSHKeyLayout: values["legacy-ssh-keys"] ? "legacy" : "fragment",
    });
    const { manifest } = prepared;
    console.log(
      `mob: build context ready in ${prepared.dir}: ${manifest.files.length} files, ${manifest.links.length} links, ` +
        `${manifest.units.length} units, ${manifest.sshKeys.length} SSH key files, ` +
        `${prepared.passwordUsers.length} password hashes, ${prepared.ownedEntries} non-root owners`,
    );
    for (const skipped of manifest.skipped) console.log(`mob: skipped ${skipped.path}: ${skipped.reason}`);
    return 0;
  } catch (error) {
    if (error instanceof PrepareContextError) throw new CliError(`build prepare-context: ${error.message}`);
    throw error;
  }
}
