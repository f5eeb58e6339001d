import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../api/object.ts";
import { customResourceDefinitionResource } from "./crd.ts";
import { EVENT_RESOURCE, EVENTS_V1_RESOURCE } from "./events.ts";
import { NAMESPACE_RESOURCE } from "./namespace.ts";
import { NODE_RESOURCE } from "./node.ts";
import { CLUSTERROLEBINDING_RESOURCE, ROLE_RESOURCE, ROLEBINDING_RESOURCE } from "./rbac.ts";

const messages = (strategy: typeof NODE_RESOURCE.strategy, object: KubeObject, old?: KubeObject) =>
  strategy.validate(object, old).map((i) => i.message);

describe("Namespace strategy", () => {
  const strategy = NAMESPACE_RESOURCE.strategy;
  it("starts Active with the kubernetes finalizer and the name label", () => {
    const ns: KubeObject = { metadata: { name: "team-a" }, status: { phase: "Terminating" } };
    strategy.prepareForCreate(ns);
    expect(ns).toEqual({
      metadata: { name: "team-a", labels: { "kubernetes.io/metadata.name": "team-a" } },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
    expect(strategy.validate(ns, undefined)).toEqual([]);
    expect(strategy.fieldLabels(ns)).toEqual({ "status.phase": "Active" });
  });

  it("turns Terminating on delete and stays while spec.finalizers is non-empty", () => {
    const ns: KubeObject = {
      metadata: { name: "a" },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    };
    expect(strategy.prepareForDelete?.(ns)).toBe(true);
    expect(ns.status).toEqual({ phase: "Terminating" });
    expect(strategy.prepareForDelete?.({ metadata: { name: "a" }, spec: { finalizers: [] } })).toBe(false);
  });

  it("uses DNS-1123 label names", () => {
    expect(messages(strategy, { metadata: { name: "my.ns" } })[0]).toMatch(
      /^metadata.name: Invalid value: "my.ns": a lowercase RFC 1123 label/,
    );
  });
});

describe("Node strategy", () => {
  const strategy = NODE_RESOURCE.strategy;
  it("keeps status on create and checks taints", () => {
    const node: KubeObject = {
      metadata: { name: "worker-0.example.com" },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    };
    strategy.prepareForCreate(node);
    expect(node.status).toEqual({ conditions: [{ type: "Ready", status: "True" }] });
    expect(strategy.validate(node, undefined)).toEqual([]);
    node.spec = { taints: [{ key: "k", effect: "Sometimes" }, { key: "k2" }] };
    expect(messages(strategy, node)).toEqual([
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      "spec.taints[1].effect: Required value",
    ]);
  });

  it("answers spec.unschedulable as true/false", () => {
    expect(strategy.fieldLabels({ metadata: {}, spec: { unschedulable: true } })).toEqual({
      "spec.unschedulable": "true",
    });
    expect(strategy.fieldLabels({ metadata: {} })).toEqual({ "spec.unschedulable": "false" });
  });
});

describe("Event strategies", () => {
  const event: KubeObject = {
    metadata: { name: "web.17a", namespace: "mob" },
    involvedObject: {
      kind: "Pod",
      namespace: "mob",
      name: "web",
      uid: "u",
      apiVersion: "v1",
      fieldPath: "spec.containers{c}",
    },
    reason: "Pulled",
    type: "Normal",
    source: { component: "kubelet" },
    reportingComponent: "kubelet",
  };

  it("answers every core event field label", () => {
    expect(EVENT_RESOURCE.strategy.fieldLabels(event)).toEqual({
      "involvedObject.kind": "Pod",
      "involvedObject.namespace": "mob",
      "involvedObject.name": "web",
      "involvedObject.uid": "u",
      "involvedObject.apiVersion": "v1",
      "involvedObject.resourceVersion": "",
      "involvedObject.fieldPath": "spec.containers{c}",
      reason: "Pulled",
      reportingComponent: "kubelet",
      source: "kubelet",
      type: "Normal",
    });
    expect(EVENT_RESOURCE.strategy.validate(event, undefined)).toEqual([]);
  });

  it("requires the involved object in the event's namespace", () => {
    const elsewhere = { ...event, metadata: { name: "e", namespace: "other" } };
    expect(messages(EVENT_RESOURCE.strategy, elsewhere)).toEqual([
      'involvedObject.namespace: Invalid value: "mob": does not match event.namespace',
    ]);
  });

  it("validates events.k8s.io/v1 required fields", () => {
    expect(
      messages(EVENTS_V1_RESOURCE.strategy, { metadata: { name: "e", namespace: "mob" }, type: "Odd" }),
    ).toEqual([
      "eventTime: Required value",
      "reportingController: Required value",
      "reportingInstance: Required value",
      "action: Required value",
      "reason: Required value",
      'type: Invalid value: "": has invalid value: Odd',
    ]);
  });
});

describe("RBAC strategies", () => {
  it("require verbs, groups and resources in rules", () => {
    const role: KubeObject = {
      metadata: { name: "system:reader", namespace: "mob" },
      rules: [{ resources: ["pods"] }],
    };
    expect(messages(ROLE_RESOURCE.strategy, role)).toEqual([
      "rules[0].verbs: Required value: verbs must contain at least one value",
      "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
    ]);
  });

  it("check roleRef and subjects, and keep roleRef", () => {
    const binding: KubeObject = {
      metadata: { name: "b" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
      subjects: [
        { kind: "ServiceAccount", name: "builder" },
        { kind: "Robot", name: "x" },
      ],
    };
    expect(messages(CLUSTERROLEBINDING_RESOURCE.strategy, binding)).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      "subjects[0].namespace: Required value",
      'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    const old: KubeObject = {
      metadata: { name: "b", namespace: "mob" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
    };
    const changed: KubeObject = {
      ...old,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "other" },
    };
    expect(messages(ROLEBINDING_RESOURCE.strategy, changed, old)).toEqual([
      'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"other"}: cannot change roleRef',
    ]);
  });
});

describe("CustomResourceDefinition resource", () => {
  it("runs the injected hooks after metadata validation", () => {
    const seen: string[] = [];
    const crd = customResourceDefinitionResource(
      () => [{ field: "spec.group", reason: "FieldValueRequired", message: "spec.group: Required value" }],
      (object) => {
        seen.push(JSON.stringify(object.status));
      },
    );
    const object: KubeObject = { metadata: { name: "Bad" }, status: { storedVersions: ["v0"] } };
    crd.strategy.prepareForCreate(object);
    expect(seen).toEqual(["{}"]);
    expect(crd.strategy.validate(object, undefined).map((i) => i.field)).toEqual([
      "metadata.name",
      "spec.group",
    ]);
  });
});
