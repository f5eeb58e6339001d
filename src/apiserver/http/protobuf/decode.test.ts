// Protobuf request bodies → the JSON objects a JSON request would carry: hand-built bytes pin the field
// numbers, bodies encoded from mob's own definitions cover the conversion rules, and bad bodies get 400/415.

import { describe, expect, it } from "vitest";
import { ApiError } from "../../errors.ts";
import { decodeBody } from "../body.ts";
import { decodeProtobuf, PROTOBUF_MEDIA_TYPE } from "./decode.ts";
import { root, UNKNOWN } from "./schema.ts";

const MAGIC = Buffer.from("k8s\0", "latin1");

/** A body as kubectl sends it: the prefix, then runtime.Unknown around the encoded object. */
function envelope(
  apiVersion: string,
  kind: string,
  typeName: string,
  object: Record<string, unknown>,
): Buffer {
  const type = root.lookupType(typeName);
  const raw = type.encode(type.fromObject(object)).finish();
  return Buffer.concat([MAGIC, UNKNOWN.encode({ typeMeta: { apiVersion, kind }, raw }).finish()]);
}

function apiError(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

// `kubectl create job j --image=busybox -- echo hi` (kubectl 1.32.4, captured with -v=9): gogo-protobuf
// writes every non-pointer field, so most of these bytes are empty strings, zeros and empty messages.
const KUBECTL_JOB = [
  "6b 38 73 00 0a 0f 0a 08 62 61 74 63 68 2f 76 31 12 03 4a 6f 62 12 82 01 0a 11 0a 01 6a 12 00 1a",
  "00 22 00 2a 00 32 00 38 00 42 00 12 63 32 61 0a 10 0a 00 12 00 1a 00 22 00 2a 00 32 00 38 00 42",
  "00 12 4d 12 2a 0a 01 6a 12 07 62 75 73 79 62 6f 78 1a 04 65 63 68 6f 1a 02 68 69 2a 00 42 00 6a",
  "00 72 00 80 01 00 88 01 00 90 01 00 a2 01 00 1a 05 4e 65 76 65 72 32 00 42 00 4a 00 52 00 58 00",
  "60 00 68 00 82 01 00 8a 01 00 9a 01 00 c2 01 00 1a 08 20 00 28 00 30 00 3a 00 1a 00 22 00",
].join(" ");

describe("protobuf request bodies", () => {
  it("decodes a Namespace named foo from hand-built bytes", () => {
    const typeMeta = [0x0a, 0x02, ...Buffer.from("v1"), 0x12, 0x09, ...Buffer.from("Namespace")];
    const namespace = [0x0a, 0x05, 0x0a, 0x03, ...Buffer.from("foo")]; // metadata(1){name(1)}
    const body = Buffer.from([
      ...MAGIC,
      0x0a,
      typeMeta.length,
      ...typeMeta,
      0x12,
      namespace.length,
      ...namespace,
    ]);
    expect(decodeProtobuf(body)).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "foo" } });
  });

  it("decodes kubectl's own Job bytes, leaving out the zero values gogo-protobuf writes", () => {
    const body = Buffer.from(KUBECTL_JOB.replaceAll(" ", ""), "hex");
    expect(decodeProtobuf(body)).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "j" },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [{ name: "j", image: "busybox", command: ["echo", "hi"], resources: {} }],
            restartPolicy: "Never",
          },
        },
      },
      status: {},
    });
  });

  it("ConfigMap: data as strings (empty values kept), binaryData as base64, a false immutable kept", () => {
    const body = envelope("v1", "ConfigMap", "k8s.io.api.core.v1.ConfigMap", {
      metadata: { name: "x", namespace: "", labels: { app: "a" }, generation: 0 },
      data: { a: "b", empty: "" },
      binaryData: { bin: Buffer.from([0, 255]) },
      immutable: false,
    });
    expect(decodeProtobuf(body)).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x", labels: { app: "a" } },
      data: { a: "b", empty: "" },
      binaryData: { bin: "AP8=" },
      immutable: false,
    });
  });

  it("Secret: data bytes as base64, stringData, type; ServiceAccount references", () => {
    const secret = envelope("v1", "Secret", "k8s.io.api.core.v1.Secret", {
      metadata: { name: "s" },
      data: { ".dockerconfigjson": Buffer.from('{"auths":{}}') },
      stringData: { plain: "text" },
      type: "kubernetes.io/dockerconfigjson",
    });
    expect(decodeProtobuf(secret)).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: { ".dockerconfigjson": Buffer.from('{"auths":{}}').toString("base64") },
      stringData: { plain: "text" },
      type: "kubernetes.io/dockerconfigjson",
    });
    const account = envelope("v1", "ServiceAccount", "k8s.io.api.core.v1.ServiceAccount", {
      metadata: { name: "sa" },
      secrets: [{ name: "token", kind: "" }],
      imagePullSecrets: [{ name: "pull" }],
      automountServiceAccountToken: false,
    });
    expect(decodeProtobuf(account)).toEqual({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "sa" },
      secrets: [{ name: "token" }],
      imagePullSecrets: [{ name: "pull" }],
      automountServiceAccountToken: false,
    });
  });

  it("metadata: Time as RFC 3339, a zero Time left out, owner references, managed fields", () => {
    const body = envelope("v1", "Namespace", "k8s.io.api.core.v1.Namespace", {
      metadata: {
        name: "n",
        creationTimestamp: { seconds: 1_700_000_000, nanos: 5 },
        deletionTimestamp: {},
        ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "o", uid: "u", controller: true }],
        managedFields: [
          {
            manager: "kubectl",
            operation: "Update",
            time: { seconds: 1 },
            fieldsType: "FieldsV1",
            fieldsV1: { Raw: Buffer.from('{"f:data":{}}') },
          },
        ],
        finalizers: ["x/y"],
      },
      spec: { finalizers: ["kubernetes"] },
    });
    expect(decodeProtobuf(body)).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "n",
        creationTimestamp: "2023-11-14T22:13:20Z",
        ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "o", uid: "u", controller: true }],
        managedFields: [
          {
            manager: "kubectl",
            operation: "Update",
            time: "1970-01-01T00:00:01Z",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:data": {} },
          },
        ],
        finalizers: ["x/y"],
      },
      spec: { finalizers: ["kubernetes"] },
    });
  });

  it("Job pod template: env, quantities, int-or-string ports, inline selectors and volume sources", () => {
    const container = {
      name: "c",
      image: "busybox",
      args: ["", "x"],
      env: [
        { name: "A", value: "1" },
        { name: "B", valueFrom: { secretKeyRef: { localObjectReference: { name: "s" }, key: "k" } } },
      ],
      envFrom: [{ configMapRef: { localObjectReference: { name: "cm" }, optional: false } }],
      resources: { limits: { cpu: { string: "500m" } }, requests: { memory: { string: "64Mi" } } },
      ports: [{ containerPort: 8080, protocol: "TCP" }],
      livenessProbe: {
        handler: { httpGet: { path: "/healthz", port: { type: 0, intVal: 8080 } } },
        periodSeconds: 5,
      },
      readinessProbe: { handler: { tcpSocket: { port: { type: 1, strVal: "http" } } } },
      volumeMounts: [{ name: "scratch", mountPath: "/tmp" }],
      imagePullPolicy: "IfNotPresent",
    };
    const body = envelope("batch/v1", "Job", "k8s.io.api.batch.v1.Job", {
      metadata: { name: "j", namespace: "ns" },
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            containers: [container],
            restartPolicy: "OnFailure",
            terminationGracePeriodSeconds: 0,
            volumes: [
              { name: "scratch", volumeSource: { emptyDir: {} } },
              { name: "conf", volumeSource: { configMap: { localObjectReference: { name: "cm" } } } },
            ],
            tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule" }],
            nodeSelector: { role: "worker" },
          },
        },
      },
    });
    const spec = { backoffLimit: 0, template: { spec: expect.anything() } };
    const decoded = decodeProtobuf(body);
    expect(decoded).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "j", namespace: "ns" },
      spec,
    });
    expect(decoded.spec).toMatchObject({
      template: {
        spec: {
          containers: [
            {
              name: "c",
              image: "busybox",
              args: ["", "x"],
              env: [
                { name: "A", value: "1" },
                { name: "B", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
              ],
              envFrom: [{ configMapRef: { name: "cm", optional: false } }],
              resources: { limits: { cpu: "500m" }, requests: { memory: "64Mi" } },
              ports: [{ containerPort: 8080, protocol: "TCP" }],
              livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 5 },
              readinessProbe: { tcpSocket: { port: "http" } },
              volumeMounts: [{ name: "scratch", mountPath: "/tmp" }],
              imagePullPolicy: "IfNotPresent",
            },
          ],
          restartPolicy: "OnFailure",
          terminationGracePeriodSeconds: 0,
          volumes: [
            { name: "scratch", emptyDir: {} },
            { name: "conf", configMap: { name: "cm" } },
          ],
          tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule" }],
          nodeSelector: { role: "worker" },
        },
      },
    });
  });

  it("decodeBody reads the protobuf media type and still answers 415 where it is not accepted", () => {
    const body = envelope("v1", "Namespace", "k8s.io.api.core.v1.Namespace", { metadata: { name: "foo" } });
    expect(decodeBody(body, PROTOBUF_MEDIA_TYPE)).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "foo" },
    });
    expect(apiError(() => decodeBody(body, PROTOBUF_MEDIA_TYPE, ["application/json"])).code).toBe(415);
  });

  it("a kind mob does not decode → 415 naming the kind and the accepted media types", () => {
    const lease = Buffer.concat([
      MAGIC,
      UNKNOWN.encode({ typeMeta: { apiVersion: "coordination.k8s.io/v1", kind: "Lease" } }).finish(),
    ]);
    const error = apiError(() => decodeProtobuf(lease));
    expect(error.code).toBe(415);
    expect(error.reason).toBe("UnsupportedMediaType");
    expect(error.message).toContain('kind "Lease" in "coordination.k8s.io/v1"');
    expect(error.message).toContain(
      "application/json, application/yaml, application/vnd.kubernetes.protobuf (for v1 Namespace, v1 ConfigMap, v1 Secret, v1 ServiceAccount, batch/v1 Job, authorization.k8s.io/v1 SelfSubjectAccessReview, authorization.k8s.io/v1 SubjectAccessReview, authentication.k8s.io/v1 TokenRequest)",
    );
  });

  it("a set field mob's definitions lack → 415; the zero value of one is ignored", () => {
    const withField = (bytes: number[]): Buffer =>
      Buffer.concat([
        MAGIC,
        UNKNOWN.encode({
          typeMeta: { apiVersion: "v1", kind: "ConfigMap" },
          raw: Buffer.from([0x0a, 0x03, 0x0a, 0x01, 0x78, ...bytes]),
        }).finish(),
      ]);
    expect(decodeProtobuf(withField([0x48, 0x00]))).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x" },
    });
    const error = apiError(() => decodeProtobuf(withField([0x4a, 0x01, 0x41])));
    expect(error.code).toBe(415);
    expect(error.message).toContain("field 9 of k8s.io.api.core.v1.ConfigMap");
  });

  it("malformed bodies → 400", () => {
    expect(apiError(() => decodeProtobuf(Buffer.from('{"kind":"Namespace"}'))).code).toBe(400);
    const namespace = envelope("v1", "Namespace", "k8s.io.api.core.v1.Namespace", {
      metadata: { name: "foo" },
    });
    expect(apiError(() => decodeProtobuf(namespace.subarray(0, namespace.length - 2))).code).toBe(400);
    const truncatedRaw = Buffer.concat([
      MAGIC,
      UNKNOWN.encode({
        typeMeta: { apiVersion: "v1", kind: "Namespace" },
        raw: Buffer.from([0x0a, 0x09, 0x0a]),
      }).finish(),
    ]);
    expect(apiError(() => decodeProtobuf(truncatedRaw)).message).toContain(
      "the protobuf Namespace is malformed",
    );
  });
});
