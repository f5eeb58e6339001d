import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validateCustomResourceDefinition } from "../apiserver/crd/crd-validation.ts";
import { CRD_DIRECTORY, REGENERATE_COMMAND, renderCRDManifests } from "./crd-manifests.ts";
import { MOB_CRDS } from "./crds.ts";
import { isPlainObject } from "./object.ts";

const directory = resolve(import.meta.dirname, "../..", CRD_DIRECTORY);
const HOW_TO_FIX = `deploy/crds/ is out of date with src/api/; run \`${REGENERATE_COMMAND}\` and commit the result.`;

describe("deploy/crds", () => {
  const expected = renderCRDManifests();

  it("holds exactly one file per CRD, no extra files", () => {
    const present = existsSync(directory) ? readdirSync(directory).toSorted() : [];
    expect(present, HOW_TO_FIX).toEqual([...expected.keys()].toSorted());
  });

  it.each([...expected.keys()])("%s matches the generated manifest", (name) => {
    const path = join(directory, name);
    expect(existsSync(path), `${name} is missing. ${HOW_TO_FIX}`).toBe(true);
    expect(readFileSync(path, "utf8") === expected.get(name), `${name} is stale. ${HOW_TO_FIX}`).toBe(true);
  });
});

describe("MOB_CRDS", () => {
  it.each(MOB_CRDS.map((crd) => [crd.metadata.name, crd] as const))(
    "%s passes the API server's CRD validation",
    (_name, crd) => {
      expect(validateCustomResourceDefinition(structuredClone(crd))).toEqual([]);
    },
  );

  it("serves v1 everywhere and v1alpha1 only for MachineOSConfig/MachineOSBuild, never stored", () => {
    const versions = MOB_CRDS.map((crd) => {
      const spec = isPlainObject(crd.spec) ? crd.spec : {};
      const list = Array.isArray(spec.versions) ? spec.versions.filter(isPlainObject) : [];
      return [
        crd.metadata.name,
        list.map((v) => `${String(v.name)}:${v.storage === true ? "storage" : "served"}`),
      ];
    });
    expect(Object.fromEntries(versions)).toEqual({
      "machineconfigs.machineconfiguration.openshift.io": ["v1:storage"],
      "machineconfigpools.machineconfiguration.openshift.io": ["v1:storage"],
      "controllerconfigs.machineconfiguration.openshift.io": ["v1:storage"],
      "kubeletconfigs.machineconfiguration.openshift.io": ["v1:storage"],
      "containerruntimeconfigs.machineconfiguration.openshift.io": ["v1:storage"],
      "machineosconfigs.machineconfiguration.openshift.io": ["v1:storage", "v1alpha1:served"],
      "machineosbuilds.machineconfiguration.openshift.io": ["v1:storage", "v1alpha1:served"],
    });
  });

  it("reads back from deploy/crds/ as the same objects", () => {
    const parsed = [...renderCRDManifests().values()].map((text): unknown => parse(text));
    expect(parsed).toEqual(MOB_CRDS);
  });

  it("publishes no typebox metadata", () => {
    const text = JSON.stringify(MOB_CRDS);
    expect(text).not.toMatch(/"~|"\$id"|"\$schema"|patternProperties/);
  });
});
