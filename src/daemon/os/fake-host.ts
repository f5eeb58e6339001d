// Test double: an ostree host answering rpm-ostree, bootc, ostree and systemctl command lines the way
// the real CLIs do, rendered from the sample outputs in testdata/. It records every call, so tests
// can assert exact command lines, and checks the auth file a pull finds against the expected secret.
// A host whose root is not the daemon's `/` (the DaemonSet's /rootfs) only answers commands run in
// it through `chroot <root>`; anything else fails the way it does in the daemon's container, where
// rpm-ostree and bootc do not exist.

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { CommandResult, CommandRunner } from "./command-runner.ts";
import { type JsonObject, objectField } from "./json-fields.ts";

import bootcBooted from "./testdata/bootc-status-booted.json" with { type: "json" };
import cliOutput from "./testdata/cli-output.json" with { type: "json" };
import rpmOstreeBooted from "./testdata/rpm-ostree-status-booted.json" with { type: "json" };

export type HostFlavor = "rpm-ostree" | "bootc";

interface FakeTree {
  checksum: string;
  /** `repo@sha256:…`. */
  image: string;
  digest: string;
  version: string;
}

export interface RecordedCall {
  command: string;
  args: string[];
  env: Record<string, string> | undefined;
}

export interface FakeHostOptions {
  flavor: HostFlavor;
  /** The host's root as the daemon sees it (default `/`): commands must run in it. */
  hostRoot?: string;
  /** Where the host's CLIs read the auth file, as the daemon sees it. */
  authFile: string;
  /** The dockerconfigjson text the "registry" accepts. */
  acceptedAuth: string;
  /** Images the "registry" holds, digest-pinned. */
  images: string[];
}

export class FakeOstreeHost {
  readonly calls: RecordedCall[] = [];
  /** stderr keys of cli-output.json to fail the next pulls with, one per pull. */
  readonly pullFailures: string[] = [];
  booted: FakeTree;
  staged: FakeTree | undefined;
  rollback: FakeTree | undefined;
  readonly #options: FakeHostOptions;
  readonly #outputs: Record<string, string>;

  constructor(options: FakeHostOptions) {
    this.#options = options;
    this.#outputs = cliOutput[options.flavor];
    this.booted = initialTree(options.flavor);
  }

  readonly run: CommandRunner = async (command, args, options) => {
    options.signal.throwIfAborted();
    this.calls.push({
      command,
      args: [...args],
      env: options.env === undefined ? undefined : { ...options.env },
    });
    const inHost = this.#inHostRoot(command, args);
    if (inHost.code !== 0) return inHost;
    const line = inHost.stdout;
    if (line === "rpm-ostree status --json") return ok(JSON.stringify(this.#rpmOstreeStatus()));
    if (line === "bootc status --format=json --format-version=1")
      return ok(JSON.stringify(this.#bootcStatus()));
    const rebase =
      /^(?:rpm-ostree rebase --experimental ostree-unverified-registry:|bootc switch --transport registry --retain )(\S+)$/.exec(
        line,
      );
    if (rebase?.[1] !== undefined) return this.#pull(rebase[1]);
    if (line === "rpm-ostree cleanup -p") {
      this.staged = undefined;
      return ok(this.#outputs.cleanup ?? "");
    }
    if (line === "ostree admin undeploy 0" && this.staged !== undefined) {
      const { checksum } = this.staged;
      this.staged = undefined;
      return ok(fill(cliOutput.ostree.undeploy, { checksum }));
    }
    if (line === "systemctl reboot" && this.staged !== undefined) {
      this.rollback = this.booted;
      this.booted = this.staged;
      this.staged = undefined;
      return ok("");
    }
    return { code: 1, stdout: "", stderr: `error: fake host: unexpected command: ${line}\n` };
  };

  /** The command line as the host runs it (in stdout), or a failure when it does not reach the host. */
  #inHostRoot(command: string, args: string[]): CommandResult {
    const root = this.#options.hostRoot ?? "/";
    if (command === "chroot") {
      if (root !== "/" && args[0] === root && args.length > 1) return ok(args.slice(1).join(" "));
      return notFound(`chroot: ${args[0] ?? ""} is not this host's root (${root})`);
    }
    if (root === "/") return ok([command, ...args].join(" "));
    return notFound(`${command}: command not found (it is on the host, root ${root})`);
  }

  async #pull(image: string): Promise<CommandResult> {
    const at = image.lastIndexOf("@");
    const digest = image.slice(at + 1);
    const repository = image.slice(0, at);
    const values = { image, digest, repository, registry: repository.split("/")[0] ?? "", version: "9.0.1" };
    const failure = this.pullFailures.shift();
    if (failure !== undefined) return failed(fill(this.#outputs[failure] ?? failure, values));
    const auth = await readFile(this.#options.authFile, "utf8").catch(() => "");
    if (auth !== this.#options.acceptedAuth) return failed(fill(this.#outputs.unauthorized ?? "", values));
    if (!this.#options.images.includes(image))
      return failed(fill(this.#outputs["manifest-unknown"] ?? "", values));
    this.staged = { checksum: sha256(`commit ${image}`), image, digest, version: values.version };
    const output = this.#options.flavor === "rpm-ostree" ? this.#outputs.rebase : this.#outputs.switch;
    return ok(fill(output ?? "", values));
  }

  #rpmOstreeStatus(): JsonObject {
    const template = rpmOstreeBooted.deployments[0] as JsonObject;
    const entry = (tree: FakeTree, flags: { booted: boolean; staged: boolean }): JsonObject => ({
      ...template,
      ...flags,
      id: `rhcos-${tree.checksum}.0`,
      checksum: tree.checksum,
      version: tree.version,
      "container-image-reference": `ostree-unverified-registry:${tree.image}`,
      "container-image-reference-digest": tree.digest,
      "base-commit-meta": {
        ...objectField(template, "base-commit-meta"),
        "ostree.manifest-digest": tree.digest,
      },
    });
    const deployments = [
      ...(this.staged === undefined ? [] : [entry(this.staged, { booted: false, staged: true })]),
      entry(this.booted, { booted: true, staged: false }),
      ...(this.rollback === undefined ? [] : [entry(this.rollback, { booted: false, staged: false })]),
    ];
    return { ...rpmOstreeBooted, deployments };
  }

  #bootcStatus(): JsonObject {
    const status = bootcBooted.status as JsonObject;
    const template = objectField(status, "booted") ?? {};
    const entry = (tree: FakeTree | undefined): JsonObject | null => {
      if (tree === undefined) return null;
      const image = objectField(template, "image") ?? {};
      return {
        ...template,
        image: {
          ...image,
          image: { image: tree.image, transport: "registry" },
          imageDigest: tree.digest,
          version: tree.version,
        },
        ostree: { ...objectField(template, "ostree"), checksum: tree.checksum },
      };
    };
    const spec = {
      ...bootcBooted.spec,
      image: { image: (this.staged ?? this.booted).image, transport: "registry" },
    };
    return {
      ...bootcBooted,
      spec,
      status: {
        ...status,
        staged: entry(this.staged),
        booted: entry(this.booted),
        rollback: entry(this.rollback),
      },
    };
  }
}

/** The booted tree of the sample status the host starts from. */
function initialTree(flavor: HostFlavor): FakeTree {
  if (flavor === "rpm-ostree") {
    const entry = rpmOstreeBooted.deployments[0] as JsonObject;
    const reference = String(entry["container-image-reference"]);
    return {
      checksum: String(entry.checksum),
      image: reference.replace(/^ostree-unverified-registry:/, ""),
      digest: String(entry["container-image-reference-digest"]),
      version: String(entry.version),
    };
  }
  const booted = objectField(bootcBooted.status as JsonObject, "booted") ?? {};
  const image = objectField(booted, "image") ?? {};
  const name = objectField(image, "image") ?? {};
  const digest = String(image.imageDigest);
  return {
    checksum: String(objectField(booted, "ostree")?.checksum),
    image: `${String(name.image).replace(/:[^:/]+$/, "")}@${digest}`,
    digest,
    version: String(image.version),
  };
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function ok(stdout: string): CommandResult {
  return { code: 0, stdout, stderr: "" };
}

function failed(stderr: string): CommandResult {
  return { code: 1, stdout: "", stderr };
}

function notFound(stderr: string): CommandResult {
  return { code: 127, stdout: "", stderr: `${stderr}\n` };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
