// What strategic merge patch and server-side apply need to know about a kind's lists: which are
// merged by key, which are merged as sets, and everything else is atomic (replaced whole).
// A field missing from a schema: objects merge field by field, lists are atomic.

export interface PatchField {
  /** Merge list elements by these keys (strategic merge uses the first; apply uses all). */
  mergeKeys?: readonly string[];
  /** Merge a list of primitives as a set (finalizers). */
  set?: boolean;
  /** The schema of the nested object, or of each list element. */
  schema?: PatchSchema;
}

export type PatchSchema = { readonly [field: string]: PatchField };

/** Lists every object's metadata carries. */
export const METADATA_PATCH_SCHEMA: PatchSchema = {
  ownerReferences: { mergeKeys: ["uid"] },
  finalizers: { set: true },
};
