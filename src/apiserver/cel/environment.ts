// The CEL environment of x-kubernetes-validations: `self`, `oldSelf` and the Kubernetes libraries.
// `self` and `oldSelf` are dyn (mob does not derive CEL object types from the schema), so field
// names are checked when a rule runs rather than when the CRD is created.

import { Environment } from "@marcbachmann/cel-js";
import { registerFormatLibrary } from "./format-library.ts";
import { registerListsLibrary, registerStringsLibrary } from "./lists-library.ts";
import { registerNetLibrary } from "./net-library.ts";

/** `plain`: oldSelf is the old value; `optional`: oldSelf is optional (rules with optionalOldSelf). */
export type OldSelfMode = "plain" | "optional";

const LIMITS = { maxAstNodes: 10_000, maxDepth: 100, maxListElements: 1_000, maxMapEntries: 1_000 };

function newEnvironment(mode: OldSelfMode): Environment {
  const env = new Environment({
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: false,
    limits: LIMITS,
  });
  env.registerVariable("self", "dyn");
  env.registerVariable("oldSelf", mode === "optional" ? "optional<dyn>" : "dyn");
  // Kubernetes types date-time strings as timestamps, and upstream rules still wrap them.
  env.registerFunction(
    "timestamp(google.protobuf.Timestamp): google.protobuf.Timestamp",
    (time: Date) => time,
  );
  registerStringsLibrary(env);
  registerListsLibrary(env);
  registerFormatLibrary(env);
  registerNetLibrary(env);
  return env;
}

const environments = new Map<OldSelfMode, Environment>();

/** The shared environment of a mode, built on first use. */
export function celEnvironment(mode: OldSelfMode): Environment {
  let env = environments.get(mode);
  if (env === undefined) {
    env = newEnvironment(mode);
    environments.set(mode, env);
  }
  return env;
}
