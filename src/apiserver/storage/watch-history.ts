// One committed change as the history keeps it (JSON text, parsed only when delivered), and the
// in-memory window of the newest changes that serves most watch resumptions without SQLite.

import type { KubeObject } from "../../api/object.ts";
import type { StorageEvent, WatchEventType } from "./storage.ts";

export interface EventRecord {
  /** Every write issues exactly one resourceVersion, so history RVs are consecutive. */
  rv: number;
  resource: string;
  namespace: string;
  name: string;
  type: WatchEventType;
  object: string;
  previous: string | undefined;
}

// One parsed event per record, shared by every watcher: with hundreds of watchers, parsing (and
// later serialising) once per watcher would dominate. The objects are deeply frozen, so a watcher
// that tries to change one fails loudly instead of changing what the others see.
const parsed = new WeakMap<EventRecord, StorageEvent>();

export function toStorageEvent(record: EventRecord): StorageEvent {
  let event = parsed.get(record);
  if (event === undefined) {
    event = Object.freeze({
      type: record.type,
      object: deepFreeze(JSON.parse(record.object) as KubeObject),
      previous:
        record.previous === undefined ? undefined : deepFreeze(JSON.parse(record.previous) as KubeObject),
    });
    parsed.set(record, event);
  }
  return event;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function matches(record: EventRecord, resource: string, namespace: string | undefined): boolean {
  return record.resource === resource && (namespace === undefined || record.namespace === namespace);
}

/** A ring buffer of the newest records, appended in RV order. */
export class RecentEvents {
  readonly #ring: (EventRecord | undefined)[];
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#ring = new Array<EventRecord | undefined>(Math.max(1, capacity));
  }

  push(record: EventRecord): void {
    const capacity = this.#ring.length;
    this.#ring[(this.#start + this.#size) % capacity] = record;
    if (this.#size < capacity) this.#size++;
    else this.#start = (this.#start + 1) % capacity;
  }

  /**
   * Up to `max` records of `resource` (and `namespace`, if given) with rv > `afterRv`, or undefined
   * when the window does not hold every record after `afterRv`.
   */
  after(
    afterRv: number,
    resource: string,
    namespace: string | undefined,
    max: number,
  ): EventRecord[] | undefined {
    const first = this.#at(0);
    if (first === undefined || first.rv > afterRv + 1) return undefined;
    const found: EventRecord[] = [];
    for (let i = this.#firstAfter(afterRv); i < this.#size && found.length < max; i++) {
      const record = this.#at(i);
      if (record !== undefined && matches(record, resource, namespace)) found.push(record);
    }
    return found;
  }

  #at(index: number): EventRecord | undefined {
    return index < this.#size ? this.#ring[(this.#start + index) % this.#ring.length] : undefined;
  }

  /** Binary search for the first index whose rv is greater than `rv`. */
  #firstAfter(rv: number): number {
    let low = 0;
    let high = this.#size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#at(mid)?.rv ?? Number.POSITIVE_INFINITY) > rv) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}
