import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../api/object.ts";
import { POD_RESOURCE } from "./pod.ts";

const strategy = POD_RESOURCE.strategy;

function pod(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", uid: "u" },
    spec,
    ...(status === undefined ? {} : { status }),
  };
}

const messages = (object: KubeObject, old?: KubeObject) =>
  strategy.validate(object, old).map((i) => i.message);

describe("Pod strategy", () => {
  it("defaults the spec and starts the pod Pending with its QoS class", () => {
    const object = pod({
      containers: [{ name: "c", image: "quay.io/x/y:1.0", ports: [{ containerPort: 80 }] }],
    });
    strategy.prepareForCreate(object);
    expect(object.status).toEqual({ phase: "Pending", qosClass: "BestEffort" });
    expect(object.spec).toMatchObject({
      restartPolicy: "Always",
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          imagePullPolicy: "IfNotPresent",
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          ports: [{ containerPort: 80, protocol: "TCP" }],
        },
      ],
    });
    expect(messages(object)).toEqual([]);
  });

  it("keeps spec.nodeName and a status that has a phase", () => {
    const resources = { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } };
    const object = pod(
      { nodeName: "n1", containers: [{ name: "c", image: "i", resources }] },
      { phase: "Running" },
    );
    strategy.prepareForCreate(object);
    expect(object.status).toEqual({ phase: "Running", qosClass: "Guaranteed" });
    expect((object.spec as { nodeName: string }).nodeName).toBe("n1");
    const burstable = pod({ containers: [{ name: "c", image: "i", resources: { requests: { cpu: "1" } } }] });
    strategy.prepareForCreate(burstable);
    expect(burstable.status).toEqual({ phase: "Pending", qosClass: "Burstable" });
  });

  it("requires containers with a name and an image", () => {
    expect(messages(pod({}))).toEqual(["spec.containers: Required value"]);
    expect(messages(pod({ containers: [{ name: "c" }, { name: "c", image: "i" }] }))).toEqual([
      "spec.containers[0].image: Required value",
      'spec.containers[1].name: Duplicate value: "c"',
    ]);
    expect(messages(pod({ containers: [{ image: "i" }], restartPolicy: "Sometimes" }))).toEqual([
      "spec.containers[0].name: Required value",
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it("allows image changes on update but no other spec change", () => {
    const old = pod({ containers: [{ name: "c", image: "i:1" }] });
    strategy.prepareForCreate(old);
    const newImage = pod({ containers: [{ name: "c", image: "i:2" }] });
    strategy.prepareForUpdate(newImage, old);
    expect(messages(newImage, old)).toEqual([]);

    const newPolicy = structuredClone(old);
    (newPolicy.spec as Record<string, unknown>).restartPolicy = "Never";
    expect(messages(newPolicy, old)).toEqual([
      expect.stringMatching(
        /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/,
      ),
    ]);
  });

  it("defaults omitted fields on update, so a minimal PUT is not a spec change", () => {
    const old = pod({ containers: [{ name: "c", image: "i:1" }] });
    strategy.prepareForCreate(old);
    const put = pod({ containers: [{ name: "c", image: "i:1" }] });
    strategy.prepareForUpdate(put, old);
    expect(messages(put, old)).toEqual([]);
  });

  it("answers the pod field labels", () => {
    const object = pod(
      { nodeName: "n1", restartPolicy: "Never", hostNetwork: true, containers: [] },
      { phase: "Running", podIPs: [{ ip: "10.0.0.7" }], podIP: "10.0.0.7" },
    );
    expect(strategy.fieldLabels(object)).toEqual({
      "spec.nodeName": "n1",
      "spec.restartPolicy": "Never",
      "spec.schedulerName": "",
      "spec.serviceAccountName": "",
      "spec.hostNetwork": "true",
      "status.phase": "Running",
      "status.podIP": "10.0.0.7",
      "status.nominatedNodeName": "",
    });
  });
});
