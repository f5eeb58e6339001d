// Admission: checks that run on every write after the strategy has validated it, before it is
// stored. They may reject with an ApiError; they do not mutate.

import type { KubeObject } from "../../api/object.ts";
import type { ResourceDefinition } from "./resource.ts";

export type Operation = "CREATE" | "UPDATE" | "DELETE";

export interface AdmissionRequest {
  operation: Operation;
  definition: ResourceDefinition;
  /** The object as it would be stored (for DELETE: the stored object). */
  object: KubeObject;
  old: KubeObject | undefined;
  subresource: string | undefined;
}

export interface AdmissionPlugin {
  readonly name: string;
  admit(request: AdmissionRequest): void;
}
