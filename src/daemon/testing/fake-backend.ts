// An in-memory OsBackend for daemon tests: deployments are records, the root is a real directory
// (kept across "reboots", as /etc is on an ostree host), and every call is recorded. A test makes
// the next rebase fail with `failRebase`.

import { imageDigest } from "../images.ts";
import {
  type Deployment,
  type OsBackend,
  OsBackendError,
  type OsStatus,
  type PullCredentials,
} from "../os/backend.ts";

export interface FakeCall {
  op: "rebase" | "cleanupStaged" | "reboot";
  image?: string;
  credentials?: PullCredentials;
}

export class FakeOsBackend implements OsBackend {
  readonly name = "fake";
  readonly rootDir: string;
  readonly calls: FakeCall[] = [];
  /** The next rebase throws this (then it is cleared). */
  failRebase: OsBackendError | undefined;
  #booted: Deployment;
  #staged: Deployment | undefined;
  #rollback: Deployment | undefined;
  #ids = 0;

  constructor(rootDir: string, bootedImage: string) {
    this.rootDir = rootDir;
    this.#booted = this.#deployment(bootedImage);
  }

  async status(signal: AbortSignal): Promise<OsStatus> {
    signal.throwIfAborted();
    return { booted: this.#booted, staged: this.#staged, rollback: this.#rollback };
  }

  async rebase(
    image: string,
    options: { credentials?: PullCredentials; signal: AbortSignal },
  ): Promise<void> {
    this.calls.push({
      op: "rebase",
      image,
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
    const failure = this.failRebase;
    if (failure !== undefined) {
      this.failRebase = undefined;
      throw failure;
    }
    if (imageDigest(image) === undefined)
      throw new OsBackendError("invalid-image", `${image} is not digest-pinned`);
    this.#staged = this.#deployment(image);
  }

  async cleanupStaged(): Promise<void> {
    this.calls.push({ op: "cleanupStaged" });
    this.#staged = undefined;
  }

  async reboot(): Promise<void> {
    this.calls.push({ op: "reboot" });
    if (this.#staged === undefined) throw new OsBackendError("no-staged-deployment", "nothing is staged");
    this.#rollback = this.#booted;
    this.#booted = this.#staged;
    this.#staged = undefined;
  }

  ops(): string[] {
    return this.calls.map((call) => (call.image === undefined ? call.op : `${call.op} ${call.image}`));
  }

  #deployment(image: string): Deployment {
    this.#ids++;
    return { id: `fake-${this.#ids}`, image, imageDigest: imageDigest(image), osRelease: { ID: "mob" } };
  }
}
