// The Ignition a new node of a pool receives (pure): the rendered MachineConfig's own config
// (files, units, users...) at spec 3.4.0, plus the node-annotations file and the encapsulated
// MachineConfig (see paths.ts). With a layered image both name it, so first boot pivots straight to
// the image instead of booting the base image and being updated after joining.
//
// Differences from upstream: the encapsulated MachineConfig keeps its Ignition config (upstream
// empties it) because mob's first boot records it as the node's current config, from which the
// daemon knows which files the config owns; and no bootstrap kubeconfig is served (a simulated node
// talks to the API with the credentials of the `mob up` that runs it).

import { NodeAnnotations, NodeStates } from "../api/constants.ts";
import type { MachineConfig } from "../api/machineconfig-v1.ts";
import {
  type IgnitionConfig,
  type IgnitionFile,
  type IgnitionIssue,
  MERGED_SPEC_VERSION,
  parseIgnition,
} from "../ignition/index.ts";
import { ServedPaths } from "./paths.ts";

export interface ServedConfigInputs {
  /** The rendered MachineConfig the pool serves (see servedConfigName). */
  config: MachineConfig;
  /** Digested layered image the node boots directly, if any (see layeredImageFor). */
  image?: string | undefined;
}

export type RenderedIgnition = { ok: true; config: IgnitionConfig } | { ok: false; issues: IgnitionIssue[] };

/** The annotations a node bootstrapped from this config starts with. */
export function bootstrapAnnotations(config: string, image: string | undefined): Record<string, string> {
  return {
    [NodeAnnotations.currentConfig]: config,
    [NodeAnnotations.desiredConfig]: config,
    [NodeAnnotations.state]: NodeStates.Done,
    ...(image === undefined
      ? {}
      : { [NodeAnnotations.currentImage]: image, [NodeAnnotations.desiredImage]: image }),
  };
}

export function renderServedIgnition(inputs: ServedConfigInputs): RenderedIgnition {
  const { config, image } = inputs;
  const parsed = parseIgnition(config.spec?.config ?? { ignition: { version: MERGED_SPEC_VERSION } });
  if ("issues" in parsed) return { ok: false, issues: parsed.issues };
  const name = config.metadata.name ?? "";
  const encapsulated: MachineConfig = {
    apiVersion: config.apiVersion ?? "machineconfiguration.openshift.io/v1",
    kind: config.kind ?? "MachineConfig",
    metadata: { name },
    spec: { ...config.spec, ...(image === undefined ? {} : { osImageURL: image }) },
  };
  const added = [
    jsonFile(ServedPaths.nodeAnnotations, bootstrapAnnotations(name, image)),
    jsonFile(ServedPaths.encapsulatedConfig, encapsulated),
  ];
  const paths = new Set(added.map((file) => file.path));
  const own = parsed.config;
  const files = [...(own.storage?.files ?? []).filter((file) => !paths.has(file.path)), ...added];
  return {
    ok: true,
    config: {
      ...own,
      ignition: { ...own.ignition, version: MERGED_SPEC_VERSION },
      storage: { ...own.storage, files },
    },
  };
}

function jsonFile(path: string, value: unknown): IgnitionFile {
  // base64 as upstream's NewIgnFileBytes writes it: JSON is not URL-safe text.
  const data = Buffer.from(JSON.stringify(value)).toString("base64");
  return { path, mode: 0o644, overwrite: true, contents: { source: `data:;base64,${data}` } };
}
