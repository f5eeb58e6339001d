// Pods for the subresource tests.

import type { KubeObject } from "../../api/object.ts";

export interface PodFixture {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  containers?: string[];
  phase?: string;
  ready?: boolean;
  /** Container name → state object (e.g. `{ running: {} }`). */
  states?: Record<string, Record<string, unknown>>;
}

export function pod(fixture: PodFixture): KubeObject {
  const containers = fixture.containers ?? ["c1"];
  const status: Record<string, unknown> = { phase: fixture.phase ?? "Running" };
  if (fixture.ready !== undefined) {
    status.conditions = [{ type: "Ready", status: fixture.ready ? "True" : "False" }];
  }
  if (fixture.states !== undefined) {
    status.containerStatuses = Object.entries(fixture.states).map(([name, state]) => ({ name, state }));
  }
  return {
    metadata: { name: fixture.name, namespace: fixture.namespace ?? "ns1", labels: fixture.labels ?? {} },
    spec: { containers: containers.map((name) => ({ name, image: "registry.example/app:1" })) },
    status,
  };
}
