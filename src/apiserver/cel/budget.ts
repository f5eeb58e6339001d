// A per-evaluation cost guard. cel-js has no runtime cost tracking, so every element of the object
// handed to CEL (list items, map entries) is read through a proxy that spends one unit per read.
// Comprehensions over the object therefore cost what they iterate, as in Kubernetes' cost model.

/** Kubernetes' per-expression runtime cost limit (PerCallLimit). */
export const PER_CALL_LIMIT = 1_000_000;

/** Thrown (and reported) once an evaluation has spent its budget. */
export class CostLimitError extends Error {
  constructor() {
    super("operation cancelled: actual cost limit exceeded");
    this.name = "CostLimitError";
  }
}

export class CostBudget {
  #remaining: number;
  #exceeded = false;

  constructor(limit = PER_CALL_LIMIT) {
    this.#remaining = limit;
  }

  get exceeded(): boolean {
    return this.#exceeded;
  }

  /** Spends `units`; throws CostLimitError once the budget is gone (and on every later call). */
  spend(units: number): void {
    this.#remaining -= units;
    if (this.#remaining < 0) {
      this.#exceeded = true;
      throw new CostLimitError();
    }
  }
}

/** A read-only view of `target` that charges `budget` for every element read and key listing. */
export function metered<T extends object>(target: T, budget: CostBudget): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === "string" && key !== "length" && key !== "constructor") budget.spend(1);
      return Reflect.get(object, key, receiver);
    },
    ownKeys(object) {
      const keys = Reflect.ownKeys(object);
      budget.spend(keys.length);
      return keys;
    },
    set: () => false,
    deleteProperty: () => false,
  });
}
