// core/v1 Service, stored and defaulted as kube-apiserver does, but not run: no cluster IP is
// allocated (it stays unset, printed as <none>) and no endpoints exist. Enough for manifests such
// as mob's own deploy/ (the machine-config-server Service) to apply and print.

import type { KubeObject } from "../../../api/object.ts";
import type { FieldIssue } from "../../errors.ts";
import { METADATA_PATCH_SCHEMA } from "../../patch/schema.ts";
import { age } from "../../printers/human-duration.ts";
import { AGE_COLUMN, text as cell, column, NAME_COLUMN, table, wide } from "../../printers/table-columns.ts";
import { builtinResource, statusSubresource } from "./definition.ts";
import { fieldInvalid, fieldNotSupported, fieldRequired } from "./field-issues.ts";
import { ensureRecord, list, record, setDefault, stringMap, text } from "./object-fields.ts";
import { arrayOf, int, obj, str, stringMapOf } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";

const TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] as const;
const PROTOCOLS = ["TCP", "UDP", "SCTP"] as const;

function defaultService(service: KubeObject): void {
  const spec = ensureRecord(service, "spec");
  setDefault(spec, "type", "ClusterIP");
  setDefault(spec, "sessionAffinity", "None");
  if (spec.type !== "ExternalName") setDefault(spec, "internalTrafficPolicy", "Cluster");
  for (const port of list(spec.ports)) {
    const fields = record(port);
    if (fields === undefined) continue;
    setDefault(fields, "protocol", "TCP");
    if (fields.port !== undefined) setDefault(fields, "targetPort", fields.port);
  }
}

function prepareForCreate(service: KubeObject): void {
  service.status = { loadBalancer: {} };
  defaultService(service);
}

function validate(service: KubeObject): FieldIssue[] {
  const spec = record(service.spec) ?? {};
  const issues: FieldIssue[] = [];
  const type = text(spec.type) ?? "ClusterIP";
  if (!(TYPES as readonly string[]).includes(type)) issues.push(fieldNotSupported("spec.type", type, TYPES));
  const ports = list(spec.ports);
  if (type !== "ExternalName" && spec.clusterIP !== "None" && ports.length === 0) {
    issues.push(fieldRequired("spec.ports"));
  }
  ports.forEach((entry, i) => {
    const port = record(entry) ?? {};
    const path = `spec.ports[${i}]`;
    if (typeof port.port !== "number" || port.port < 1 || port.port > 65535) {
      issues.push(fieldInvalid(`${path}.port`, port.port, "must be between 1 and 65535, inclusive"));
    }
    const protocol = port.protocol;
    if (protocol !== undefined && !(PROTOCOLS as readonly unknown[]).includes(protocol)) {
      issues.push(fieldNotSupported(`${path}.protocol`, protocol, PROTOCOLS));
    }
    if (ports.length > 1 && text(port.name) === undefined) {
      issues.push(fieldRequired(`${path}.name`));
    }
  });
  return issues;
}

function portsCell(service: KubeObject): string {
  const ports = list(record(service.spec)?.ports).map((p) => record(p) ?? {});
  if (ports.length === 0) return "<none>";
  return ports
    .map(
      (p) =>
        `${String(p.port)}${p.nodePort === undefined ? "" : `:${String(p.nodePort)}`}/${text(p.protocol) ?? "TCP"}`,
    )
    .join(",");
}

function selectorCell(service: KubeObject): string {
  const selector = stringMap(record(service.spec)?.selector);
  const keys = Object.keys(selector).sort();
  return keys.length === 0 ? "<none>" : keys.map((k) => `${k}=${selector[k]}`).join(",");
}

const SERVICE_TABLE = table(
  [
    NAME_COLUMN,
    column("Type", "The type of the service."),
    column("Cluster-IP", "The IP address of the service."),
    column("External-IP", "The external IP address of the service."),
    column("Port(s)", "The ports of the service."),
    AGE_COLUMN,
    wide("Selector", "The label selector of the service."),
  ],
  (service, now) => {
    const spec = record(service.spec) ?? {};
    return [
      service.metadata.name ?? "",
      cell(spec.type),
      text(spec.clusterIP) ?? "<none>",
      spec.type === "ExternalName" ? cell(spec.externalName) : "<none>",
      portsCell(service),
      age(service.metadata.creationTimestamp, now),
      selectorCell(service),
    ];
  },
);

const port = obj("A port the service exposes.", {
  name: str("Name of the port; required when there are several."),
  protocol: str("TCP (default), UDP or SCTP."),
  port: int("The port the service exposes."),
  targetPort: { "x-kubernetes-int-or-string": true, description: "Port (number or name) on the pods." },
  nodePort: int("The port on each node, for NodePort and LoadBalancer services."),
});

export const SERVICE_RESOURCE = builtinResource({
  group: "",
  version: "v1",
  kind: "Service",
  plural: "services",
  namespaced: true,
  shortNames: ["svc"],
  categories: ["all"],
  subresources: [statusSubresource("Service")],
  description: "Service is a named abstraction of software service consisting of local port and selector.",
  properties: {
    spec: obj("Behavior of the service.", {
      type: str("ClusterIP (default), NodePort, LoadBalancer or ExternalName."),
      selector: stringMapOf("Pods with these labels receive the traffic."),
      ports: arrayOf("The ports the service exposes.", port),
      clusterIP: str("The service's cluster IP; not allocated by mob's API server."),
      sessionAffinity: str("ClientIP or None (default)."),
      externalName: str("DNS name, for type ExternalName."),
    }),
    status: obj("Most recently observed status of the service."),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "label" },
    hasStatusSubresource: true,
    patchSchema: {
      metadata: { schema: METADATA_PATCH_SCHEMA },
      spec: { schema: { ports: { mergeKeys: ["port", "protocol"] } } },
    },
    prepareForCreate,
    prepareForUpdate: defaultService,
    validate: (service) => validate(service),
    table: SERVICE_TABLE,
  }),
});
