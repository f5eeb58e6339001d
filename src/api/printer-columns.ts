// `kubectl get` columns of mob's CRDs: names, types and JSONPaths are upstream's (scripts parse the
// output), the descriptions are mob's.

export interface PrinterColumn {
  name: string;
  type: "string" | "number" | "integer" | "boolean" | "date";
  jsonPath: string;
  description?: string;
  priority?: number;
}

const AGE: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

function conditionColumn(type: string, description: string): PrinterColumn {
  return {
    name: type,
    type: "string",
    jsonPath: `.status.conditions[?(@.type=="${type}")].status`,
    description,
  };
}

export const MACHINE_CONFIG_COLUMNS: PrinterColumn[] = [
  {
    name: "GeneratedByController",
    type: "string",
    jsonPath: String.raw`.metadata.annotations.machineconfiguration\.openshift\.io/generated-by-controller-version`,
    description: "Controller version that rendered this config; empty for user configs.",
  },
  {
    name: "IgnitionVersion",
    type: "string",
    jsonPath: ".spec.config.ignition.version",
    description: "Ignition spec version of spec.config.",
  },
  AGE,
];

export const MACHINE_CONFIG_POOL_COLUMNS: PrinterColumn[] = [
  {
    name: "Config",
    type: "string",
    jsonPath: ".status.configuration.name",
    description: "The rendered MachineConfig the pool's nodes run.",
  },
  conditionColumn("Updated", "True when every node runs the pool's target config."),
  conditionColumn("Updating", "True while nodes are moving to the target config."),
  conditionColumn("Degraded", "True when the pool cannot make progress."),
  {
    name: "MachineCount",
    type: "number",
    jsonPath: ".status.machineCount",
    description: "Nodes in the pool.",
  },
  {
    name: "ReadyMachineCount",
    type: "number",
    jsonPath: ".status.readyMachineCount",
    description: "Nodes running the target config and ready.",
  },
  {
    name: "UpdatedMachineCount",
    type: "number",
    jsonPath: ".status.updatedMachineCount",
    description: "Nodes running the target config.",
  },
  {
    name: "DegradedMachineCount",
    type: "number",
    jsonPath: ".status.degradedMachineCount",
    description: "Nodes that failed to update.",
  },
  AGE,
];

const BUILD_CONDITION_COLUMNS: PrinterColumn[] = [
  conditionColumn("Prepared", "The build's inputs are ready and it waits to run."),
  conditionColumn("Building", "The image is being built."),
  conditionColumn("Succeeded", "The image was built and pushed."),
  conditionColumn("Interrupted", "The build was stopped before it finished."),
  conditionColumn("Failed", "The build failed."),
];

export const MACHINE_OS_BUILD_COLUMNS: PrinterColumn[] = [...BUILD_CONDITION_COLUMNS, AGE];

/** v1alpha1 had no Age column. */
export const MACHINE_OS_BUILD_V1ALPHA1_COLUMNS: PrinterColumn[] = BUILD_CONDITION_COLUMNS;
