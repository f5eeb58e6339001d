// Test data: the upstream machineconfiguration.openshift.io CRDs, read from the shared reference
// checkout beside the repository (never copied into it).

import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { isPlainObject, type KubeObject } from "../../api/object.ts";

const DIRECTORY = new URL("../../../../shared/upstream/crds/v1/", import.meta.url);

export const UPSTREAM_CRD_FILES = [
  "0000_80_machine-config_01_containerruntimeconfigs-Default.crd.yaml",
  "0000_80_machine-config_01_controllerconfigs-Default.crd.yaml",
  "0000_80_machine-config_01_kubeletconfigs-Default.crd.yaml",
  "0000_80_machine-config_01_machineconfigpools.crd.yaml",
  "0000_80_machine-config_01_machineconfigs.crd.yaml",
  "0000_80_machine-config_01_machineosbuilds.crd.yaml",
  "0000_80_machine-config_01_machineosconfigs.crd.yaml",
] as const;

export function loadCRDFile(file: string): KubeObject {
  const parsed: unknown = parse(readFileSync(new URL(file, DIRECTORY), "utf8"));
  if (!isPlainObject(parsed) || !isPlainObject(parsed.metadata)) throw new Error(`${file} is not an object`);
  return { ...parsed, metadata: parsed.metadata };
}

/** `machineconfigpools` → the parsed upstream CRD of that plural. */
export function loadUpstreamCRD(plural: string): KubeObject {
  const file = UPSTREAM_CRD_FILES.find((name) => name.includes(`_${plural}`));
  if (file === undefined) throw new Error(`no upstream CRD for ${plural}`);
  return loadCRDFile(file);
}
