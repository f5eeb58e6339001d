// The in-process conversions mob serves for its multi-version CRDs, by CRD name. The API server
// attaches them to the resources those CRDs define (upstream had none: see docs/api-versions.md).

import type { KubeObject } from "../object.ts";
import type { ApiVersion } from "./constants.ts";
import { convertMachineOSBuild } from "./machineosbuild.ts";
import { convertMachineOSConfig } from "./machineosconfig.ts";

export type Converter = (object: KubeObject, toVersion: string) => KubeObject;

function onlyKnownVersions(convert: (object: KubeObject, toVersion: ApiVersion) => KubeObject): Converter {
  return (object, toVersion) => {
    if (toVersion !== "v1" && toVersion !== "v1alpha1")
      throw new Error(`no conversion to version ${toVersion}`);
    return convert(object, toVersion);
  };
}

export const CONVERSIONS: ReadonlyMap<string, Converter> = new Map([
  ["machineosconfigs.machineconfiguration.openshift.io", onlyKnownVersions(convertMachineOSConfig)],
  ["machineosbuilds.machineconfiguration.openshift.io", onlyKnownVersions(convertMachineOSBuild)],
]);
