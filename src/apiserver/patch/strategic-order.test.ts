import { describe, expect, it } from "vitest";
import { orderMerged } from "./strategic-order.ts";

const self = (item: unknown): unknown => item;

describe("orderMerged (Kubernetes normalizeElementOrder)", () => {
  const cases: { name: string; merged: string[]; order: string[]; live: string[]; want: string[] }[] = [
    {
      name: "nothing named keeps live order",
      merged: ["a", "b"],
      order: [],
      live: ["a", "b"],
      want: ["a", "b"],
    },
    {
      name: "new items lead server-only ones",
      merged: ["a", "b", "n"],
      order: ["n"],
      live: ["a", "b"],
      want: ["n", "a", "b"],
    },
    {
      name: "named items follow the given order",
      merged: ["a", "b", "c"],
      order: ["c", "a"],
      live: ["a", "b", "c"],
      want: ["b", "c", "a"],
    },
    {
      name: "server-only items keep their place before later named items",
      merged: ["a", "x", "b"],
      order: ["a", "b"],
      live: ["a", "x", "b"],
      want: ["a", "x", "b"],
    },
    {
      name: "order names items missing from the list",
      merged: ["a", "b"],
      order: ["z", "b", "a"],
      live: ["a", "b"],
      want: ["b", "a"],
    },
  ];
  it.each(cases)("$name", ({ merged, order, live, want }) => {
    expect(orderMerged(merged, order, live, self)).toEqual(want);
  });
});
