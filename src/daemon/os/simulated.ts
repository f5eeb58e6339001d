// The OS backend of simulated nodes (embedded mode): the node's OS is a directory with ostree-like
// deployments (see simulated-store.ts). rebase really pulls the image by digest (on a worker thread
// of the process's pull pool, pull-pool.ts) and stages it; reboot swaps the pointers (rollback ←
// booted ← staged) and returns. All state is on disk, so a new instance on the same directory — the
// daemon after a "reboot" — reports the same status.

import { rm } from "node:fs/promises";
import { join } from "node:path";
import { formatImageReference } from "../../registry/index.ts";
import {
  type Deployment,
  type OsBackend,
  OsBackendError,
  type OsStatus,
  type PullCredentials,
} from "./backend.ts";
import { requirePinnedImage } from "./image-refs.ts";
import { sharedPullPool } from "./pull-pool.ts";
import { type DeploymentRecord, NodeStore, type Pointer } from "./simulated-store.ts";

export interface SimulatedOsBackendOptions {
  nodeDir: string;
  /** Registries reached over plain HTTP (loopback registries always are). */
  registryInsecureHosts?: readonly string[];
  now?: () => Date;
  /**
   * Runs after each layer a rebase unpacks into its unpublished deployment directory. Tests use it
   * to choose the instant a node loses power mid-rebase; it must not change the outcome.
   */
  afterStagedLayer?: (progress: StagingProgress, signal: AbortSignal) => Promise<void>;
}

/** How far a rebase's pull has got: `layer` of `layers` unpacked into `dir` (not yet a deployment). */
export interface StagingProgress {
  image: string;
  layer: number;
  layers: number;
  dir: string;
}

/** The os-release keys a Deployment reports. */
const OS_RELEASE_KEYS = ["ID", "VERSION_ID"];

export class SimulatedOsBackend implements OsBackend {
  readonly name = "simulated";
  /**
   * The booted tree, through the `booted` symlink: paths under it resolve to whichever deployment is
   * booted when they are opened, so writes land in the booted tree.
   */
  readonly rootDir: string;
  readonly #store: NodeStore;
  readonly #insecureHosts: readonly string[];
  readonly #now: () => Date;
  readonly #afterStagedLayer: SimulatedOsBackendOptions["afterStagedLayer"];
  /** Unpack directories of pulls running in this process, which recovery must not sweep. */
  readonly #active = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: SimulatedOsBackendOptions) {
    this.#store = new NodeStore(options.nodeDir);
    this.rootDir = join(options.nodeDir, "booted", "rootfs");
    this.#insecureHosts = options.registryInsecureHosts ?? [];
    this.#now = options.now ?? (() => new Date());
    this.#afterStagedLayer = options.afterStagedLayer;
  }

  /** Creates the first booted deployment from `baseImage` unless the node already has one. */
  static async bootstrap(
    nodeDir: string,
    baseImage: string,
    credentials: PullCredentials | undefined,
    signal: AbortSignal,
    options: Omit<SimulatedOsBackendOptions, "nodeDir"> = {},
  ): Promise<SimulatedOsBackend> {
    const backend = new SimulatedOsBackend({ ...options, nodeDir });
    const booted = await backend.#exclusive(async () => {
      await backend.#store.recover(backend.#active);
      return backend.#store.pointer("booted");
    });
    if (booted === undefined) await backend.#install(baseImage, "booted", credentials, signal);
    return backend;
  }

  status(signal: AbortSignal): Promise<OsStatus> {
    signal.throwIfAborted();
    return this.#exclusive(() => this.#readStatus());
  }

  async rebase(
    image: string,
    options: { credentials?: PullCredentials; signal: AbortSignal },
  ): Promise<void> {
    const { digest } = requirePinnedImage(image);
    options.signal.throwIfAborted();
    const done = await this.#exclusive(async () => {
      const status = await this.#readStatus();
      if (status.staged?.imageDigest === digest) return true;
      if (status.booted.imageDigest !== digest) return false;
      // Rebasing to the booted image: the next boot is the booted tree again.
      await this.#store.clearPointer("staged");
      await this.#store.gc();
      return true;
    });
    if (!done) await this.#install(image, "staged", options.credentials, options.signal);
  }

  cleanupStaged(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    return this.#exclusive(async () => {
      await this.#store.clearPointer("staged");
      await this.#store.gc();
    });
  }

  reboot(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    return this.#exclusive(async () => {
      await this.#store.recover(this.#active);
      const booted = await this.#store.pointer("booted");
      const staged = await this.#store.pointer("staged");
      if (staged === undefined || booted === undefined) {
        throw new OsBackendError(
          "no-staged-deployment",
          `simulated node ${this.#store.nodeDir}: nothing is staged`,
        );
      }
      // Each step is atomic; recover() completes a sequence cut short after the booted swap.
      await this.#store.setPointer("rollback", booted);
      await this.#store.setPointer("booted", staged);
      await this.#store.clearPointer("staged");
      await this.#store.gc();
    });
  }

  /** Pulls the image into a new deployment and points `pointer` at it. */
  async #install(
    image: string,
    pointer: Pointer,
    credentials: PullCredentials | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const ref = requirePinnedImage(image);
    const incoming = await this.#store.createIncoming();
    this.#active.add(incoming);
    const dir = join(incoming, "rootfs");
    const hook = pointer === "staged" ? this.#afterStagedLayer : undefined;
    try {
      await sharedPullPool().pull(ref, dir, {
        credentials,
        insecureHosts: this.#insecureHosts,
        signal,
        ...(hook !== undefined
          ? { afterLayer: (layer, layers) => hook({ image, layer, layers, dir }, signal) }
          : {}),
      });
      await this.#exclusive(async () => {
        const record: DeploymentRecord = {
          id: await this.#store.nextId(ref.digest),
          image: formatImageReference(ref),
          imageDigest: ref.digest,
          createdAt: this.#now().toISOString(),
        };
        await this.#store.publish(incoming, record);
        await this.#store.setPointer(pointer, record.id);
        await this.#store.gc();
      });
    } catch (error) {
      await rm(incoming, { recursive: true, force: true });
      throw error;
    } finally {
      this.#active.delete(incoming);
    }
  }

  /** Recovers, then reads the pointers; callers hold the queue. */
  async #readStatus(): Promise<OsStatus> {
    await this.#store.recover(this.#active);
    const booted = await this.#deployment("booted");
    if (booted === undefined) {
      throw new OsBackendError(
        "command-failed",
        `simulated node ${this.#store.nodeDir} has no booted deployment`,
      );
    }
    return { booted, staged: await this.#deployment("staged"), rollback: await this.#deployment("rollback") };
  }

  async #deployment(pointer: Pointer): Promise<Deployment | undefined> {
    const id = await this.#store.pointer(pointer);
    if (id === undefined) return undefined;
    const record = await this.#store.record(id);
    const osRelease = await this.#store.osRelease(id);
    return {
      id,
      image: record.image,
      imageDigest: record.imageDigest,
      osRelease: Object.fromEntries(
        Object.entries(osRelease).filter(([key]) => OS_RELEASE_KEYS.includes(key)),
      ),
    };
  }

  /** Runs `task` after every earlier one: pointer and GC changes never interleave. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
