import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/object.ts";
import { budgetCovers, budgetStatus, isHealthy } from "./disruption-budget.ts";
import { pod } from "./pod-fixtures.ts";

const pdb = (spec: Record<string, unknown>): KubeObject => ({
  metadata: { name: "b" },
  spec: { selector: { matchLabels: { app: "web" } }, ...spec },
});

const web = (n: number, ready = true): KubeObject[] =>
  Array.from({ length: n }, (_, i) => pod({ name: `p${i}`, labels: { app: "web" }, ready }));

describe("disruption budget", () => {
  it("covers pods its selector matches; a missing selector matches none", () => {
    expect(budgetCovers(pdb({}), pod({ name: "a", labels: { app: "web" } }))).toBe(true);
    expect(budgetCovers(pdb({}), pod({ name: "a", labels: { app: "db" } }))).toBe(false);
    expect(budgetCovers({ metadata: {}, spec: {} }, pod({ name: "a" }))).toBe(false);
    expect(budgetCovers({ metadata: {}, spec: { selector: {} } }, pod({ name: "a" }))).toBe(true);
  });

  it("counts healthy pods: running, ready, not deleting", () => {
    expect(isHealthy(pod({ name: "a", ready: true }))).toBe(true);
    expect(isHealthy(pod({ name: "a" }))).toBe(true);
    expect(isHealthy(pod({ name: "a", ready: false }))).toBe(false);
    expect(isHealthy(pod({ name: "a", phase: "Pending" }))).toBe(false);
  });

  it("computes allowed disruptions from minAvailable and maxUnavailable", () => {
    expect(budgetStatus(pdb({ minAvailable: 2 }), web(3))).toEqual({
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
    });
    expect(budgetStatus(pdb({ minAvailable: "50%" }), web(3)).desiredHealthy).toBe(2);
    expect(budgetStatus(pdb({ maxUnavailable: 1 }), web(3)).disruptionsAllowed).toBe(1);
    expect(budgetStatus(pdb({ maxUnavailable: "10%" }), web(4)).desiredHealthy).toBe(3);
    expect(budgetStatus(pdb({ minAvailable: 3 }), [...web(2), ...web(1, false)]).disruptionsAllowed).toBe(0);
  });
});
