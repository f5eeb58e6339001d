// Comparing image references the way the daemon needs: by digest when both sides are digest-pinned
// (a registry reached under two host names is still the same image), by repository otherwise.

const DIGEST = /@(sha256:[0-9a-f]{64})$/;

export function imageDigest(ref: string | undefined): string | undefined {
  return ref === undefined ? undefined : DIGEST.exec(ref)?.[1];
}

/** The repository without tag or digest: `host:port/path/name`. */
export function imageRepository(ref: string): string {
  const withoutDigest = ref.replace(/@.*$/, "");
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * Whether `booted` is `wanted`. Empty means "no image": two empties match. A tag-only reference
 * cannot be compared with a digest, so it matches any image of the same repository.
 */
export function sameImage(wanted: string | undefined, booted: string | undefined): boolean {
  const a = wanted ?? "";
  const b = booted ?? "";
  if (a === "" || b === "") return a === b;
  const da = imageDigest(a);
  const db = imageDigest(b);
  if (da !== undefined && db !== undefined) return da === db;
  if (da === undefined && db === undefined) return a === b;
  return imageRepository(a) === imageRepository(b);
}
