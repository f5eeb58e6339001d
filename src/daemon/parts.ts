// The roles the daemon's phases are built from, wired once per daemon instance (daemon.ts).

import type { Logger } from "pino";
import type { ControllerConfig } from "../api/controllerconfig-v1.ts";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import type { KubeObject } from "../api/object.ts";
import type { Clock } from "../runtime/clock.ts";
import type { EventRecord } from "../runtime/events.ts";
import type { ConfigFiles } from "./config-files.ts";
import type { DiskStore } from "./disk-state.ts";
import type { DrainHandshake } from "./drain-handshake.ts";
import type { DaemonMetrics } from "./metrics.ts";
import type { NodeStatus } from "./node-status.ts";
import type { OsBackend } from "./os/backend.ts";
import type { CredentialsSource } from "./pull-secret.ts";

/** Reboots into the staged deployment. On a real host it never returns; see daemon.ts. */
export interface Rebooter {
  reboot(signal: AbortSignal): Promise<void>;
}

export interface ConfigSource {
  /** The MachineConfig, or undefined when it does not exist. */
  get(name: string, signal: AbortSignal): Promise<MachineConfig | undefined>;
}

export interface DaemonEvents {
  record(object: KubeObject, event: EventRecord, signal: AbortSignal): Promise<void>;
}

export interface DaemonParts {
  backend: OsBackend;
  node: NodeStatus;
  handshake: DrainHandshake;
  files: ConfigFiles;
  disk: DiskStore;
  configs: ConfigSource;
  /** The ControllerConfig as last seen, undefined when there is none. */
  controllerConfig(): ControllerConfig | undefined;
  credentials: CredentialsSource;
  rebooter: Rebooter;
  metrics: DaemonMetrics;
  events: DaemonEvents;
  logger: Logger;
  clock: Clock;
  uncordonTimeoutMs: number;
  retryDelayMs: number;
}

/** What a sync asks of its caller next. */
export type SyncOutcome = { kind: "idle" } | { kind: "retry"; afterMs: number } | { kind: "rebooted" };

/** The config/image pair a node runs or should run; image "" = not layered. */
export interface Target {
  config: string;
  image: string;
}

export type UpdateStep = "fetch" | "drain" | "files" | "rebase" | "reboot" | "validate" | "uncordon";

/** A failed step; `message` becomes the node's Degraded reason (it names the image, never a secret). */
export class UpdateError extends Error {
  override readonly name = "UpdateError";
  readonly step: UpdateStep;

  constructor(step: UpdateStep, message: string) {
    super(message);
    this.step = step;
  }
}

/** Runs `action`; a failure becomes an UpdateError of `step` prefixed with `what`. */
export async function step<T>(name: UpdateStep, what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof UpdateError) throw error;
    throw new UpdateError(name, `${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
