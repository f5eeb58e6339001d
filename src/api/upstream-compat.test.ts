// mob's CRDs against openshift/api's (read from the shared reference checkout, never copied):
// every upstream field must exist in mob with the same type, required-ness, enum, default, format,
// bounds, pattern, nullability, list/map semantics, CEL rules (all keys, exactly),
// int-or-string and preserve-unknown-fields, and mob may add no field of its own. Printer columns
// must match except for descriptions. Descriptions are never compared: mob writes its own.
//
// MachineConfig, MachineConfigPool, KubeletConfig, ContainerRuntimeConfig and MOSC/MOSB (v1 and
// v1alpha1) are compared in full. ControllerConfig is compared only for the fields mob reads; the
// rest of its spec is preserved without validation (see controllerconfig-v1.ts).

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MOB_CRDS } from "./crds.ts";
import { isPlainObject } from "./object.ts";
import { compareSchemas, type SchemaDifference } from "./schema/compare.ts";

type Version = "v1" | "v1alpha1";
type Json = Record<string, unknown>;

const UPSTREAM = resolve(import.meta.dirname, "../../../shared/upstream/crds");

const FULL: [Version, string, string][] = [
  ["v1", "machineconfigs", "0000_80_machine-config_01_machineconfigs.crd.yaml"],
  ["v1", "machineconfigpools", "0000_80_machine-config_01_machineconfigpools.crd.yaml"],
  ["v1", "machineosconfigs", "0000_80_machine-config_01_machineosconfigs.crd.yaml"],
  ["v1", "machineosbuilds", "0000_80_machine-config_01_machineosbuilds.crd.yaml"],
  ["v1alpha1", "machineosconfigs", "0000_80_machine-config_01_machineosconfigs.crd.yaml"],
  ["v1alpha1", "machineosbuilds", "0000_80_machine-config_01_machineosbuilds.crd.yaml"],
  ["v1", "kubeletconfigs", "0000_80_machine-config_01_kubeletconfigs-Default.crd.yaml"],
  ["v1", "containerruntimeconfigs", "0000_80_machine-config_01_containerruntimeconfigs-Default.crd.yaml"],
];
const CONTROLLER_CONFIG = "0000_80_machine-config_01_controllerconfigs-Default.crd.yaml";

/** ControllerConfig fields mob reads; these (and everything below them) must match exactly. */
const CONTROLLER_CONFIG_READ = [
  ".spec.osImageURL",
  ".spec.baseOSContainerImage",
  ".spec.baseOSExtensionsContainerImage",
  ".spec.releaseImage",
  ".spec.additionalTrustBundle",
  ".spec.proxy",
  ".spec.pullSecret",
  ".spec.images",
  ".spec.internalRegistryPullSecret",
  ".status",
];

/**
 * Deliberate differences, `<plural>/<version> <path> <keyword>` → why. Every entry must still
 * occur (a fixed difference must leave the table).
 */
const DELIBERATE: Readonly<Record<string, string>> = {
  "controllerconfigs/v1 .spec x-kubernetes-preserve-unknown-fields":
    "fields mob does not read are kept without a schema",
  "controllerconfigs/v1 .spec required":
    "only the required fields mob reads stay required; the others are not modelled",
};

function field(object: unknown, key: string): unknown {
  return isPlainObject(object) ? object[key] : undefined;
}

function version(crd: unknown, name: Version): Json {
  const versions = field(field(crd, "spec"), "versions");
  const found = Array.isArray(versions) ? versions.find((v) => field(v, "name") === name) : undefined;
  if (!isPlainObject(found)) throw new Error(`no version ${name}`);
  return found;
}

function openAPI(versionObject: Json): Json {
  const schema = field(field(versionObject, "schema"), "openAPIV3Schema");
  if (!isPlainObject(schema)) throw new Error("no openAPIV3Schema");
  return schema;
}

function loadUpstream(versionName: Version, file: string): Json {
  const parsed: unknown = parse(readFileSync(resolve(UPSTREAM, versionName, file), "utf8"));
  if (!isPlainObject(parsed)) throw new Error(`${file} is not an object`);
  return parsed;
}

function mobCRD(plural: string): Json {
  const crd = MOB_CRDS.find((c) => c.metadata.name === `${plural}.machineconfiguration.openshift.io`);
  if (crd === undefined) throw new Error(`mob has no CRD for ${plural}`);
  return crd;
}

function columns(versionObject: Json): unknown[] {
  const list = versionObject.additionalPrinterColumns;
  if (!Array.isArray(list)) return [];
  return list.map((c) => ({
    name: field(c, "name"),
    type: field(c, "type"),
    jsonPath: field(c, "jsonPath"),
    priority: field(c, "priority") ?? 0,
  }));
}

function key(plural: string, versionName: Version, difference: SchemaDifference): string {
  return `${plural}/${versionName} ${difference.path} ${difference.keyword}`;
}

const seen = new Set<string>();

function undeliberate(plural: string, versionName: Version, differences: SchemaDifference[]) {
  return differences.filter((difference) => {
    const id = key(plural, versionName, difference);
    seen.add(id);
    return DELIBERATE[id] === undefined;
  });
}

describe.each(FULL)("%s %s", (versionName, plural, file) => {
  const upstream = loadUpstream(versionName, file);
  const mob = mobCRD(plural);

  it("has the same schema", () => {
    const differences = compareSchemas(
      openAPI(version(upstream, versionName)),
      openAPI(version(mob, versionName)),
    );
    expect(undeliberate(plural, versionName, differences)).toEqual([]);
  });

  it("has the same names, scope, labels, subresources and printer columns", () => {
    expect(field(mob.spec, "names")).toEqual(field(upstream.spec, "names"));
    expect(field(mob.spec, "scope")).toBe(field(upstream.spec, "scope"));
    expect(field(mob.metadata, "labels")).toEqual(field(upstream.metadata, "labels"));
    const [theirs, ours] = [version(upstream, versionName), version(mob, versionName)];
    expect(ours.subresources).toEqual(theirs.subresources);
    expect(ours.served).toBe(true);
    // v1alpha1 was the storage version of its own CRD; in mob's two-version CRDs v1 is stored.
    expect(ours.storage).toBe(versionName === "v1");
    expect(columns(ours)).toEqual(columns(theirs));
  });
});

describe("controllerconfigs v1 (fields mob reads)", () => {
  const upstream = loadUpstream("v1", CONTROLLER_CONFIG);
  const mob = mobCRD("controllerconfigs");

  it("matches upstream for every field mob reads", () => {
    const differences = compareSchemas(openAPI(version(upstream, "v1")), openAPI(version(mob, "v1")));
    const relevant = differences.filter(
      (d) => d.path === "." || d.path === ".spec" || CONTROLLER_CONFIG_READ.some((p) => d.path.startsWith(p)),
    );
    expect(undeliberate("controllerconfigs", "v1", relevant)).toEqual([]);
  });

  it("requires exactly the read fields upstream requires", () => {
    const theirs = field(openAPI(version(upstream, "v1")).properties, "spec");
    const ours = field(openAPI(version(mob, "v1")).properties, "spec");
    const required = (schema: unknown) => {
      const list = field(schema, "required");
      return Array.isArray(list) ? list.map(String) : [];
    };
    const read = CONTROLLER_CONFIG_READ.filter((p) => p.startsWith(".spec.")).map((p) => p.slice(6));
    expect(required(ours).toSorted()).toEqual(
      required(theirs)
        .filter((name) => read.includes(name))
        .toSorted(),
    );
  });

  it("has the same names, scope, labels and subresources", () => {
    expect(field(mob.spec, "names")).toEqual(field(upstream.spec, "names"));
    expect(field(mob.metadata, "labels")).toEqual(field(upstream.metadata, "labels"));
    expect(version(mob, "v1").subresources).toEqual(version(upstream, "v1").subresources);
  });
});

describe("the comparison itself", () => {
  it("reports changed rules, bounds, missing and extra fields", () => {
    const rule = { rule: "self == oldSelf", message: "immutable" };
    const upstream = {
      type: "object",
      required: ["a"],
      properties: {
        a: { type: "string", maxLength: 3, "x-kubernetes-validations": [rule] },
        b: { type: "integer" },
      },
    };
    const mob = {
      type: "object",
      properties: {
        a: { type: "string", maxLength: 4, "x-kubernetes-validations": [{ ...rule, reason: "X" }] },
      },
      description: "ignored",
    };
    const found = compareSchemas(upstream, {
      ...mob,
      properties: { ...mob.properties, c: { type: "string" } },
    });
    expect(found.map((d) => `${d.path} ${d.keyword}`).toSorted()).toEqual(
      [". required", ".a maxLength", ".a x-kubernetes-validations", ".b missing", ".c extra"].toSorted(),
    );
  });

  it("lists only differences that still exist", () => {
    // Runs last in this file (vitest keeps declaration order), after every comparison above.
    expect(Object.keys(DELIBERATE).filter((id) => !seen.has(id))).toEqual([]);
  });
});
