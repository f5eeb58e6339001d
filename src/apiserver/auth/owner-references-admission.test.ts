import { describe, expect, it } from "vitest";
import type { KubeObject, OwnerReference } from "../../api/object.ts";
import { changesOwnerReferences, newlyBlockingReferences } from "./owner-references-admission.ts";

const ref = (uid: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  name: `owner-${uid}`,
  uid,
  ...extra,
});
const object = (...ownerReferences: OwnerReference[]): KubeObject => ({
  metadata: { name: "x", ownerReferences },
});
const bare: KubeObject = { metadata: { name: "x" } };

describe("which ownerReferences changes OwnerReferencesPermissionEnforcement checks", () => {
  it("on create, any reference; on update, any difference, order and unset-versus-false included", () => {
    expect(changesOwnerReferences(bare, undefined)).toBe(false);
    expect(changesOwnerReferences(object(), undefined)).toBe(false);
    expect(changesOwnerReferences(object(ref("a")), undefined)).toBe(true);
    expect(changesOwnerReferences(object(ref("a")), object(ref("a")))).toBe(false);
    expect(changesOwnerReferences(bare, object())).toBe(false);
    expect(changesOwnerReferences(object(ref("a"), ref("b")), object(ref("b"), ref("a")))).toBe(true);
    expect(changesOwnerReferences(object(ref("a", { blockOwnerDeletion: false })), object(ref("a")))).toBe(
      true,
    );
    expect(changesOwnerReferences(bare, object(ref("a")))).toBe(true);
  });

  it("newly blocking: a new blocking reference, or one turned true; matched by uid", () => {
    const blocking = ref("a", { blockOwnerDeletion: true });
    expect(newlyBlockingReferences(object(blocking, ref("b")), undefined)).toEqual([blocking]);
    expect(newlyBlockingReferences(object(blocking), object(ref("a")))).toEqual([blocking]);
    expect(
      newlyBlockingReferences(object(blocking), object(ref("a", { blockOwnerDeletion: false }))),
    ).toEqual([blocking]);
    expect(newlyBlockingReferences(object(blocking), object({ ...blocking, name: "renamed" }))).toEqual([]);
    expect(newlyBlockingReferences(object(ref("a")), object(blocking))).toEqual([]);
  });
});
