import { describe, expect, it } from "vitest";
import { JOB_RESOURCE } from "./job.ts";
import { NODE_RESOURCE } from "./node.ts";
import { POD_RESOURCE } from "./pod.ts";
import { ROLE_RESOURCE } from "./rbac.ts";

describe("built-in patch schemas", () => {
  it("merge pod lists by their Kubernetes keys", () => {
    const spec = POD_RESOURCE.strategy.patchSchema?.spec?.schema;
    expect(spec?.containers?.mergeKeys).toEqual(["name"]);
    expect(spec?.containers?.schema?.ports?.mergeKeys?.[0]).toBe("containerPort");
    expect(spec?.containers?.schema?.volumeMounts?.mergeKeys).toEqual(["mountPath"]);
    expect(spec?.volumes?.mergeKeys).toEqual(["name"]);
    expect(spec?.tolerations).toBeUndefined();
    expect(POD_RESOURCE.strategy.patchSchema?.metadata?.schema?.finalizers).toEqual({ set: true });
    expect(POD_RESOURCE.strategy.patchSchema?.status?.schema?.conditions?.mergeKeys).toEqual(["type"]);
  });

  it("reuse the pod spec under a Job template", () => {
    const template = JOB_RESOURCE.strategy.patchSchema?.spec?.schema?.template?.schema;
    expect(template?.spec?.schema).toBe(POD_RESOURCE.strategy.patchSchema?.spec?.schema);
  });

  it("keep Node taints atomic and merge addresses and conditions by type", () => {
    const node = NODE_RESOURCE.strategy.patchSchema;
    expect(node?.spec?.schema?.taints).toBeUndefined();
    expect(node?.spec?.schema?.podCIDRs).toEqual({ set: true });
    expect(node?.status?.schema?.addresses?.mergeKeys).toEqual(["type"]);
  });

  it("give other kinds metadata lists and status conditions only", () => {
    expect(Object.keys(ROLE_RESOURCE.strategy.patchSchema ?? {})).toEqual(["metadata", "status"]);
  });
});
