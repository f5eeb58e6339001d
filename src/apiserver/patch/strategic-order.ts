// Element order after a strategic merge, as Kubernetes computes it (strategicpatch normalizeElementOrder):
// items named by the patch (or by `$setElementOrder`) follow that order, items only the server has keep
// their live order, and the two runs are interleaved so each server-only item stays in front of the
// patch item it preceded in the live list.

import { deepEqual } from "./json-value.ts";

/** What identifies a list element: its merge key's value, or the element itself for primitives. */
export type Identity = (item: unknown) => unknown;

export function indexIn(list: readonly unknown[], item: unknown, id: Identity): number {
  const wanted = id(item);
  return list.findIndex((candidate) => deepEqual(id(candidate), wanted));
}

/**
 * Reorders `merged`: the items present in `order` sorted by it, merged with the others sorted by
 * `serverOrder` (the live list).
 */
export function orderMerged(
  merged: readonly unknown[],
  order: readonly unknown[],
  serverOrder: readonly unknown[],
  id: Identity,
): unknown[] {
  const named = merged.filter((item) => indexIn(order, item, id) >= 0);
  const serverOnly = merged.filter((item) => indexIn(order, item, id) < 0);
  return interleave(sortBy(serverOnly, serverOrder, id), sortBy(named, order, id), serverOrder, id);
}

/** Stable sort by position in `order`; items missing from it keep their relative order at the end. */
function sortBy(items: readonly unknown[], order: readonly unknown[], id: Identity): unknown[] {
  const position = (item: unknown): number => {
    const index = indexIn(order, item, id);
    return index < 0 ? Number.POSITIVE_INFINITY : index;
  };
  return items
    .map((item, index) => ({ item, index, at: position(item) }))
    .sort((a, b) => (a.at === b.at ? a.index - b.index : a.at - b.at))
    .map(({ item }) => item);
}

/**
 * Merges two sorted runs (strategicpatch mergeSortedSlice): a `left` item goes first only when both
 * it and the next `right` item are in `serverOrder` and it came first there.
 */
function interleave(
  left: readonly unknown[],
  right: readonly unknown[],
  serverOrder: readonly unknown[],
  id: Identity,
): unknown[] {
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length || (i < left.length && leftFirst(left[i], right[j], serverOrder, id))) {
      result.push(left[i++]);
    } else {
      result.push(right[j++]);
    }
  }
  return result;
}

function leftFirst(l: unknown, r: unknown, serverOrder: readonly unknown[], id: Identity): boolean {
  const li = indexIn(serverOrder, l, id);
  const ri = indexIn(serverOrder, r, id);
  return li >= 0 && ri >= 0 && li < ri;
}
