import { describe, expect, it } from "vitest";
import { validateObjectMeta } from "./object-meta.ts";

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const namespaced = { namespaced: true, nameRule: "subdomain" } as const;

describe("validateObjectMeta", () => {
  it("accepts a valid namespaced object", () => {
    expect(
      validateObjectMeta(
        {
          name: "web.v1-2",
          namespace: "default",
          labels: { "app.kubernetes.io/name": "web", tier: "" },
          annotations: { "Example.com/Note": "anything goes" },
          finalizers: ["example.com/cleanup", "orphan"],
          ownerReferences: [
            { apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "u1", controller: true },
          ],
        },
        namespaced,
      ),
    ).toEqual([]);
  });

  it("words DNS-1123 subdomain errors as Kubernetes", () => {
    expect(validateObjectMeta({ name: "Bad_Name", namespace: "default" }, namespaced)).toEqual([
      {
        field: "metadata.name",
        reason: "FieldValueInvalid",
        message: `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MESSAGE}`,
      },
    ]);
  });

  it("words DNS-1123 label errors as Kubernetes (namespaces)", () => {
    const issues = validateObjectMeta({ name: "a.b" }, { namespaced: false, nameRule: "label" });
    expect(issues.map((i) => i.message)).toEqual([`metadata.name: Invalid value: "a.b": ${LABEL_MESSAGE}`]);
  });

  it("limits subdomains to 253 characters", () => {
    const name = "a".repeat(254);
    expect(validateObjectMeta({ name, namespace: "ns" }, namespaced).map((i) => i.message)).toEqual([
      `metadata.name: Invalid value: "${name}": must be no more than 253 characters`,
    ]);
  });

  it("checks RBAC names as path segments", () => {
    const rules = { namespaced: false, nameRule: "path-segment" } as const;
    expect(validateObjectMeta({ name: "system:controller:Foo_Bar" }, rules)).toEqual([]);
    expect(validateObjectMeta({ name: "a/b" }, rules).map((i) => i.message)).toEqual([
      `metadata.name: Invalid value: "a/b": may not contain '/'`,
    ]);
  });

  it("requires a namespace on namespaced kinds and forbids one on cluster-scoped kinds", () => {
    expect(validateObjectMeta({ name: "x" }, namespaced).map((i) => i.message)).toEqual([
      "metadata.namespace: Required value",
    ]);
    expect(
      validateObjectMeta({ name: "x", namespace: "ns" }, { namespaced: false, nameRule: "subdomain" }).map(
        (i) => i.message,
      ),
    ).toEqual(["metadata.namespace: Forbidden: not allowed on this type"]);
  });

  it("checks label keys and values", () => {
    const messages = validateObjectMeta(
      { name: "x", namespace: "ns", labels: { "bad key": "ok", good: "-bad-" } },
      namespaced,
    ).map((i) => i.message);
    expect(messages).toEqual([
      `metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      `metadata.labels: Invalid value: "-bad-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });

  it("limits annotations to 256 KiB in total", () => {
    const issues = validateObjectMeta(
      { name: "x", namespace: "ns", annotations: { big: "x".repeat(256 * 1024) } },
      namespaced,
    );
    expect(issues).toEqual([
      {
        field: "metadata.annotations",
        reason: "FieldValueTooLong",
        message: "metadata.annotations: Too long: may not be more than 262144 bytes",
      },
    ]);
  });

  it("rejects unqualified non-standard finalizers and two controllers", () => {
    const messages = validateObjectMeta(
      {
        name: "x",
        namespace: "ns",
        finalizers: ["cleanup"],
        ownerReferences: [
          { apiVersion: "v1", kind: "A", name: "a", uid: "1", controller: true },
          { apiVersion: "v1", kind: "B", name: "b", uid: "2", controller: true },
        ],
      },
      namespaced,
    ).map((i) => i.message);
    expect(messages[0]).toBe(
      'metadata.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    );
    expect(messages[1]).toMatch(
      /Only one reference can have Controller set to true\. Found "true" in references for A\/a and B\/b$/,
    );
  });
});
