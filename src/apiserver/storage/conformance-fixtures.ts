// Shared set-up for the storage conformance suite: a harness that opens (and closes) the backend
// under test, object builders, and a watch-event recorder.

import { afterEach, expect } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import {
  type ObjectKey,
  type Storage,
  StorageError,
  type StorageErrorCode,
  type StorageEvent,
} from "./storage.ts";

/** What the suite asks of a backend besides the Storage interface. */
export interface ConformanceConfig {
  historyLimit?: { events?: number; ageMs?: number };
  now?: () => number;
}

export type NewStorage = (config: ConformanceConfig) => Storage;

export interface ConformanceOptions {
  /** For persistent backends: close `previous` and open the same data again. Enables the restart tests. */
  reopen?: (previous: Storage) => Storage;
}

export interface Harness {
  open(config?: ConformanceConfig): Storage;
  reopen: ((previous: Storage) => Storage) | undefined;
}

/** Call inside a describe block: every storage opened through the harness is closed after each test. */
export function useHarness(newStorage: NewStorage, options: ConformanceOptions): Harness {
  const opened: Storage[] = [];
  afterEach(() => {
    for (const storage of opened.splice(0)) storage.close();
  });
  const track = (storage: Storage): Storage => {
    opened.push(storage);
    return storage;
  };
  const reopen = options.reopen;
  return {
    open: (config = {}) => track(newStorage(config)),
    reopen: reopen === undefined ? undefined : (previous) => track(reopen(previous)),
  };
}

export function key(resource: string, namespace: string, name: string): ObjectKey {
  return { resource, namespace, name };
}

export function object(namespace: string, name: string, fields: Record<string, unknown> = {}): KubeObject {
  const metadata = namespace === "" ? { name } : { name, namespace };
  return { apiVersion: "v1", kind: "ConfigMap", metadata, ...fields };
}

/** Storage tests may read RVs as numbers; nobody else may. */
export function rvOf(value: KubeObject | string): number {
  const rv = typeof value === "string" ? value : value.metadata.resourceVersion;
  expect(rv).toMatch(/^\d+$/);
  return Number(rv);
}

export function expectStorageError(fn: () => unknown, code: StorageErrorCode): StorageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    const storageError = error as StorageError;
    expect(storageError.code).toBe(code);
    return storageError;
  }
  throw new Error(`expected StorageError ${code}, nothing was thrown`);
}

export interface Recorder {
  events: StorageEvent[];
  onEvent: (event: StorageEvent) => void;
  /** "TYPE namespace/name rv" per event. */
  lines(): string[];
}

export function recorder(): Recorder {
  const events: StorageEvent[] = [];
  return {
    events,
    onEvent: (event) => events.push(event),
    lines: () =>
      events.map(
        ({ type, object: o }) =>
          `${type} ${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""} ${o.metadata.resourceVersion ?? ""}`,
      ),
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}
