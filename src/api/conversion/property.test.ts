import { describe, expect, it } from "vitest";
import type { KubeObject } from "../object.ts";
import type { ApiVersion } from "./constants.ts";
import {
  v1alpha1MachineOSBuild,
  v1alpha1MachineOSConfig,
  v1MachineOSBuild,
  v1MachineOSConfig,
} from "./generate.fixture.ts";
import { convertMachineOSBuild } from "./machineosbuild.ts";
import { convertMachineOSConfig } from "./machineosconfig.ts";
import { type Random, seeded } from "./random.fixture.ts";
import { type Plural, schemaProblems, v1RuleProblems } from "./schema.fixture.ts";

const RUNS = 300;

interface Case {
  readonly plural: Plural;
  readonly convert: (object: KubeObject, toVersion: ApiVersion) => KubeObject;
  readonly generate: Record<ApiVersion, (random: Random) => KubeObject>;
}

const CASES: Record<string, Case> = {
  MachineOSConfig: {
    plural: "machineosconfigs",
    convert: convertMachineOSConfig,
    generate: { v1alpha1: v1alpha1MachineOSConfig, v1: v1MachineOSConfig },
  },
  MachineOSBuild: {
    plural: "machineosbuilds",
    convert: convertMachineOSBuild,
    generate: { v1alpha1: v1alpha1MachineOSBuild, v1: v1MachineOSBuild },
  },
};

const OTHER: Record<ApiVersion, ApiVersion> = { v1: "v1alpha1", v1alpha1: "v1" };

function problems(object: KubeObject, plural: Plural, version: ApiVersion): string[] {
  return [...schemaProblems(object, plural, version), ...(version === "v1" ? v1RuleProblems(object) : [])];
}

describe.each(Object.entries(CASES))(
  "%s conversion over generated objects",
  (_kind, { plural, convert, generate }) => {
    it.each(["v1alpha1", "v1"] as const)("%s → other → back is identical and schema-valid", (from) => {
      const to = OTHER[from];
      for (let seed = 1; seed <= RUNS; seed++) {
        const original = generate[from](seeded(seed));
        const snapshot = structuredClone(original);
        expect(problems(original, plural, from), `seed ${seed}: generated object`).toEqual([]);

        const converted = convert(original, to);
        expect(converted.apiVersion).toBe(`machineconfiguration.openshift.io/${to}`);
        expect(problems(converted, plural, to), `seed ${seed}: converted to ${to}`).toEqual([]);

        const back = convert(converted, from);
        expect(back, `seed ${seed}: round trip`).toStrictEqual(original);
        expect(original, `seed ${seed}: input untouched`).toStrictEqual(snapshot);
      }
    });

    it("is stable: converting the round-tripped object again gives the same result", () => {
      for (let seed = 1; seed <= 50; seed++) {
        const original = generate.v1alpha1(seeded(seed));
        const once = convert(original, "v1");
        expect(convert(convert(once, "v1alpha1"), "v1"), `seed ${seed}`).toStrictEqual(once);
      }
    });
  },
);
