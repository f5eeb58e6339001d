// Which Ignition spec version to serve, from the request's Accept header, as upstream's MCS decides:
// Ignition sends `application/vnd.coreos.ignition+json;version=3.4.0, */*;q=0.1` (its own newest
// spec) and old Ignition sends `...;version=2.2.0, ...;version=1;q=0.5, */*;q=0.1`. Entries are taken
// by descending q; the first Ignition entry with a version mob can serve wins: a 3.x request gets the
// newest 3.x mob speaks that is not newer than the one asked for, a 2.x request (2.2.0 or later)
// gets 2.2.0. A header naming only Ignition versions mob cannot serve is refused; a header without
// any Ignition entry (curl, a browser) gets 2.2.0, upstream's default for non-Ignition clients.

export const IGNITION_MEDIA_TYPE = "application/vnd.coreos.ignition+json";

/** The spec versions the server can produce, oldest first. */
export const SERVED_VERSIONS = ["2.2.0", "3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0"] as const;
export type ServedVersion = (typeof SERVED_VERSIONS)[number];

export interface AcceptEntry {
  type: string;
  subtype: string;
  /** [major, minor, patch] of the `version` parameter, when it is a full x.y.z version. */
  version: [number, number, number] | undefined;
  q: number;
}

export type Negotiation = { ok: true; version: ServedVersion } | { ok: false; message: string };

/** The header's media ranges sorted by descending q (stable); malformed entries are skipped. */
export function parseAccept(header: string): AcceptEntry[] {
  const entries: AcceptEntry[] = [];
  for (const raw of header.split(",")) {
    const [range = "", ...params] = raw.split(";").map((part) => part.trim());
    const slash = range.indexOf("/");
    if (slash <= 0) continue;
    let version: AcceptEntry["version"];
    let q: number | undefined;
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq < 0) continue;
      const key = param.slice(0, eq).trim().toLowerCase();
      const value = param.slice(eq + 1).trim();
      if (key === "version" && version === undefined) version = parseVersion(value);
      else if (key === "q" && q === undefined && /^\d+(\.\d+)?$/.test(value)) q = Number(value);
    }
    entries.push({
      type: range.slice(0, slash).toLowerCase(),
      subtype: range.slice(slash + 1).toLowerCase(),
      version,
      q: q ?? 1,
    });
  }
  return entries.sort((a, b) => b.q - a.q);
}

export function negotiateSpecVersion(header: string | undefined): Negotiation {
  let refused: string | undefined;
  for (const entry of parseAccept(header ?? "")) {
    if (entry.q <= 0 || `${entry.type}/${entry.subtype}` !== IGNITION_MEDIA_TYPE) continue;
    if (entry.version === undefined) continue;
    const served = servedFor(entry.version);
    if (served !== undefined) return { ok: true, version: served };
    refused ??= entry.version.join(".");
  }
  if (refused !== undefined) {
    return {
      ok: false,
      message: `unsupported Ignition spec version ${refused} in the Accept header; mob serves ${SERVED_VERSIONS.join(", ")}`,
    };
  }
  return { ok: true, version: "2.2.0" };
}

function servedFor([major, minor]: [number, number, number]): ServedVersion | undefined {
  if (major === 2) return minor >= 2 ? "2.2.0" : undefined;
  if (major !== 3) return undefined;
  const newest = [...SERVED_VERSIONS].reverse().find((v) => v.startsWith("3.") && minorOf(v) <= minor);
  return newest;
}

function minorOf(version: string): number {
  return Number(version.split(".")[1]);
}

function parseVersion(value: string): AcceptEntry["version"] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(value.replace(/^"(.*)"$/, "$1"));
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
