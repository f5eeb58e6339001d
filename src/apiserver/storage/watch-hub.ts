// Fans committed changes out to watchers, synchronously and in resourceVersion order. A change
// committed while another is being delivered (a watcher that writes) is queued behind it, and a
// watcher never gets an RV twice or out of order: each remembers the last RV it was given.

import type { StorageEvent, WatchHandle } from "./storage.ts";
import { type EventRecord, matches, toStorageEvent } from "./watch-history.ts";

/** Where a new watcher's backlog comes from. */
export interface HistorySource {
  /** A page of matching records with rv > `afterRv`, oldest first; empty once caught up. */
  after(afterRv: number, resource: string, namespace: string | undefined): EventRecord[];
  currentRv(): number;
}

interface Watcher {
  resource: string;
  namespace: string | undefined;
  onEvent: (event: StorageEvent) => void;
  lastRv: number;
  /** Still being fed from history; live delivery skips it until it has caught up. */
  replaying: boolean;
  stopped: boolean;
}

export class WatchHub {
  readonly #source: HistorySource;
  readonly #byResource = new Map<string, Set<Watcher>>();
  readonly #queue: EventRecord[] = [];
  #dispatching = false;
  #replays = 0;

  constructor(source: HistorySource) {
    this.#source = source;
  }

  /** True while some watcher is reading history; pruning waits so the history it reads stays whole. */
  get replaying(): boolean {
    return this.#replays > 0;
  }

  /** Delivers history after `sinceRv` (when given) before returning, then live events. */
  watch(
    resource: string,
    namespace: string | undefined,
    sinceRv: number | undefined,
    onEvent: (event: StorageEvent) => void,
  ): WatchHandle {
    const watcher: Watcher = {
      resource,
      namespace,
      onEvent,
      lastRv: sinceRv ?? this.#source.currentRv(),
      replaying: sinceRv !== undefined,
      stopped: false,
    };
    let set = this.#byResource.get(resource);
    if (set === undefined) {
      set = new Set();
      this.#byResource.set(resource, set);
    }
    set.add(watcher);
    const handle: WatchHandle = { stop: () => this.#stop(watcher) };
    if (watcher.replaying) this.#replay(watcher);
    return handle;
  }

  /** Call once per committed change, after the commit. */
  publish(record: EventRecord): void {
    this.#queue.push(record);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        this.#dispatch(next);
      }
    } finally {
      this.#dispatching = false;
    }
  }

  #dispatch(record: EventRecord): void {
    const watchers = this.#byResource.get(record.resource);
    if (watchers === undefined) return;
    for (const watcher of watchers) {
      if (watcher.stopped || watcher.replaying || record.rv <= watcher.lastRv) continue;
      if (!matches(record, watcher.resource, watcher.namespace)) continue;
      watcher.lastRv = record.rv;
      deliver(watcher, record);
    }
  }

  /** Pages through history until nothing newer is left, including changes the watcher itself causes. */
  #replay(watcher: Watcher): void {
    this.#replays++;
    try {
      for (;;) {
        const page = this.#source.after(watcher.lastRv, watcher.resource, watcher.namespace);
        if (page.length === 0) break;
        for (const record of page) {
          if (watcher.stopped) return;
          watcher.lastRv = record.rv;
          deliver(watcher, record);
        }
      }
      watcher.lastRv = Math.max(watcher.lastRv, this.#source.currentRv());
      watcher.replaying = false;
    } finally {
      this.#replays--;
    }
  }

  #stop(watcher: Watcher): void {
    watcher.stopped = true;
    const set = this.#byResource.get(watcher.resource);
    set?.delete(watcher);
    if (set?.size === 0) this.#byResource.delete(watcher.resource);
  }
}

function deliver(watcher: Watcher, record: EventRecord): void {
  try {
    watcher.onEvent(toStorageEvent(record));
  } catch {
    // A failing watcher must not fail the write that triggered it nor starve the other watchers.
  }
}
