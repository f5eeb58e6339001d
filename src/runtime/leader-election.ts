// Leader election on a coordination.k8s.io/v1 Lease, after client-go's leaderelection package:
// a candidate takes the lease when it is free (empty holder) or when its record has not changed
// for `leaseDurationSeconds` of *local* time (so clock skew between replicas does not matter);
// the leader renews every `retryPeriodMs` and steps down when renewals fail for `renewDeadlineMs`.
// Writes are conditional on resourceVersion; a 409 just means another candidate won this round.

import type { Logger } from "pino";
import type { KubeObject } from "../api/object.ts";
import { silentLogger } from "../logging.ts";
import { type Clock, jitter, realClock, sleep } from "./clock.ts";
import { isConflict, isNotFound } from "./errors.ts";
import { type KubeClients, LEASES } from "./kube-client.ts";
import type { ResourceClient } from "./resource-client.ts";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** MicroTime: RFC 3339 with microseconds. */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

export interface LeaderElectionConfig {
  namespace: string;
  name: string;
  /** Unique per replica, e.g. `<hostname>_<uuid>`. */
  identity: string;
  /** Defaults as client-go: 15 s lease, 10 s renew deadline, 2 s retry period. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Give the lease up when the run signal aborts, so a standby takes over at once (default true). */
  releaseOnCancel?: boolean;
}

export interface LeaderElectionOptions extends LeaderElectionConfig {
  clients: KubeClients;
  logger?: Logger;
  clock?: Clock;
}

export interface LeaderCallbacks {
  /** `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void;
  /** Awaited before the lease is released. */
  onStoppedLeading(): void | Promise<void>;
}

/** Formats a Kubernetes MicroTime: `2024-05-01T10:00:00.123000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export class LeaderElector {
  readonly #options: LeaderElectionOptions;
  readonly #leases: ResourceClient<Lease>;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #leaseSeconds: number;
  #observedVersion: string | undefined;
  #observedAt = 0;
  #leading = false;
  #attempted = false;

  constructor(options: LeaderElectionOptions) {
    this.#options = options;
    this.#leases = options.clients.resource<Lease>(LEASES);
    this.#clock = options.clock ?? realClock;
    this.#leaseSeconds = Math.max(1, Math.round((options.leaseDurationMs ?? 15_000) / 1000));
    const lease = `${options.namespace}/${options.name}`;
    this.#logger = (options.logger ?? silentLogger()).child({ lease, identity: options.identity });
  }

  isLeader(): boolean {
    return this.#leading;
  }

  /** True once the first acquire attempt has finished: the replica knows whether it leads. */
  hasAttempted(): boolean {
    return this.#attempted;
  }

  /**
   * Campaigns until leading, leads until the lease is lost or `signal` aborts, then calls
   * `onStoppedLeading` and (on abort, if configured) releases the lease. Resolves `"lost"` when
   * leadership was lost while `signal` was still live, `"stopped"` otherwise.
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<"lost" | "stopped"> {
    if (!(await this.#acquire(signal))) return "stopped";
    const leadership = new AbortController();
    this.#leading = true;
    this.#logger.info("started leading");
    callbacks.onStartedLeading(leadership.signal);
    await this.#renew(signal);
    this.#leading = false;
    leadership.abort();
    this.#logger.info("stopped leading");
    await callbacks.onStoppedLeading();
    if (!signal.aborted) return "lost";
    if (this.#options.releaseOnCancel ?? true) await this.#release();
    return "stopped";
  }

  async #acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      const acquired = await this.#tryAcquireOrRenew(signal);
      this.#attempted = true;
      if (acquired) return true;
      await sleep(this.#clock, jitter(this.#retryMs(), 1.2), signal);
    }
    return false;
  }

  async #renew(signal: AbortSignal): Promise<void> {
    let lastRenew = this.#clock.now();
    while (!signal.aborted) {
      await sleep(this.#clock, this.#retryMs(), signal);
      if (signal.aborted) return;
      if (await this.#tryAcquireOrRenew(signal)) lastRenew = this.#clock.now();
      else if (this.#clock.now() - lastRenew >= (this.#options.renewDeadlineMs ?? 10_000)) return;
    }
  }

  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const { namespace, name, identity } = this.#options;
    const timeout = AbortSignal.any([signal, AbortSignal.timeout(this.#options.renewDeadlineMs ?? 10_000)]);
    const options = { namespace, signal: timeout };
    try {
      const lease = await this.#leases.get(name, options).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (lease === undefined) {
        const spec = this.#nextSpec(undefined);
        this.#observe(await this.#leases.create({ metadata: { name, namespace }, spec }, options));
        return true;
      }
      this.#observe(lease);
      if (this.#heldByOther(lease.spec ?? {})) return false;
      this.#observe(await this.#leases.update({ ...lease, spec: this.#nextSpec(lease.spec) }, options));
      return true;
    } catch (error) {
      if (!isConflict(error) && !signal.aborted)
        this.#logger.warn({ err: error, identity }, "lease update failed");
      return false;
    }
  }

  /** Records when this replica last saw the lease change, by its own clock. */
  #observe(lease: Lease): void {
    if (lease.metadata.resourceVersion === this.#observedVersion) return;
    this.#observedVersion = lease.metadata.resourceVersion;
    this.#observedAt = this.#clock.now();
  }

  #heldByOther(spec: LeaseSpec): boolean {
    const holder = spec.holderIdentity ?? "";
    if (holder === "" || holder === this.#options.identity) return false;
    const durationMs = (spec.leaseDurationSeconds ?? this.#leaseSeconds) * 1000;
    return this.#observedAt + durationMs > this.#clock.now();
  }

  #nextSpec(current: LeaseSpec | undefined): LeaseSpec {
    const now = microTime(this.#clock.now());
    const renewing = current?.holderIdentity === this.#options.identity;
    const transitions = current?.leaseTransitions ?? 0;
    return {
      holderIdentity: this.#options.identity,
      leaseDurationSeconds: this.#leaseSeconds,
      acquireTime: renewing ? (current?.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: current === undefined || renewing ? transitions : transitions + 1,
    };
  }

  /** Empties the holder so the next candidate's attempt succeeds without waiting for expiry. */
  async #release(): Promise<void> {
    const { namespace, name, identity } = this.#options;
    const signal = AbortSignal.timeout(this.#options.renewDeadlineMs ?? 10_000);
    try {
      const lease = await this.#leases.get(name, { namespace, signal });
      if (lease.spec?.holderIdentity !== identity) return;
      const spec: LeaseSpec = { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1 };
      await this.#leases.update({ ...lease, spec }, { namespace, signal });
      this.#logger.info("released lease");
    } catch (error) {
      this.#logger.warn({ err: error }, "releasing the lease failed");
    }
  }

  #retryMs(): number {
    return this.#options.retryPeriodMs ?? 2_000;
  }
}
