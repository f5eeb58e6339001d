// Translates an Ignition spec 2.2.0 config to the 3.x shape, as the MCO does for old MachineConfigs.
// Only what has a faithful 3.x meaning is translated: nodes on the "root" filesystem, units, users.
// Disks, RAID, named filesystems, networkd units and the deprecated `create` object are refused.

import { obj, type SchemaNode } from "./schema.ts";
import { isPlainObject, walkSchema } from "./schema-walk.ts";
import type {
  IgnitionConfig,
  IgnitionDirectory,
  IgnitionFile,
  IgnitionIssue,
  IgnitionLink,
  IgnitionMeta,
  PasswdUser,
  Resource,
  Unit,
} from "./types.ts";

/** The spec version a translated config declares: everything translated exists in 3.0.0. */
export const TRANSLATED_VERSION = "3.0.0";

const str: SchemaNode = { kind: "string" };
const int: SchemaNode = { kind: "integer" };
const bool: SchemaNode = { kind: "boolean" };
const list = (of: SchemaNode): SchemaNode => ({ kind: "list", of });
const anything: SchemaNode = { kind: "any" };
const req = (node: SchemaNode) => ({ node, since: 0, required: true });

const reference = obj({ source: req(str), verification: obj({ hash: str }) });
const owner = obj({ id: int, name: str });
const node = { filesystem: req(str), path: req(str), overwrite: bool, user: owner, group: owner };
const dropin = obj({ name: req(str), contents: str });
const userFields = {
  uid: int,
  gecos: str,
  homeDir: str,
  noCreateHome: bool,
  primaryGroup: str,
  groups: list(str),
  noUserGroup: bool,
  noLogInit: bool,
  shell: str,
  system: bool,
};

const V2_SCHEMA: SchemaNode = obj({
  ignition: req(
    obj({
      version: req(str),
      config: obj({ append: list(reference), replace: reference }),
      timeouts: obj({ httpResponseHeaders: int, httpTotal: int }),
      security: obj({ tls: obj({ certificateAuthorities: list(reference) }) }),
    }),
  ),
  storage: obj({
    disks: list(anything),
    raid: list(anything),
    filesystems: list(anything),
    files: list(
      obj({
        ...node,
        append: bool,
        contents: obj({ compression: str, source: str, verification: obj({ hash: str }) }),
        mode: int,
      }),
    ),
    directories: list(obj({ ...node, mode: int })),
    links: list(obj({ ...node, target: req(str), hard: bool })),
  }),
  systemd: obj({
    units: list(
      obj({ name: req(str), enable: bool, enabled: bool, mask: bool, contents: str, dropins: list(dropin) }),
    ),
  }),
  networkd: obj({ units: list(anything) }),
  passwd: obj({
    users: list(
      obj({
        name: req(str),
        passwordHash: str,
        sshAuthorizedKeys: list(str),
        ...userFields,
        create: anything,
      }),
    ),
    groups: list(obj({ name: req(str), gid: int, passwordHash: str, system: bool })),
  }),
});

// Shapes of the checked 2.2 config; the walk guarantees them.
interface V2Node {
  filesystem: string;
  path: string;
  overwrite?: boolean;
  user?: { id?: number; name?: string };
  group?: { id?: number; name?: string };
}
interface V2File extends V2Node {
  append?: boolean;
  contents?: { compression?: string; source?: string; verification?: { hash?: string } };
  mode?: number;
}
interface V2Unit extends Unit {
  enable?: boolean;
}
interface V2Config {
  ignition: { version: string; config?: { append?: Resource[]; replace?: Resource } } & Omit<
    IgnitionMeta,
    "config"
  >;
  storage?: {
    disks?: unknown[];
    raid?: unknown[];
    filesystems?: unknown[];
    files?: V2File[];
    directories?: (V2Node & { mode?: number })[];
    links?: (V2Node & { target: string; hard?: boolean })[];
  };
  systemd?: { units?: V2Unit[] };
  networkd?: { units?: unknown[] };
  passwd?: {
    users?: (PasswdUser & { create?: unknown })[];
    groups?: NonNullable<IgnitionConfig["passwd"]>["groups"];
  };
}

export function translateV2(
  raw: Record<string, unknown>,
): { config: IgnitionConfig } | { issues: IgnitionIssue[] } {
  const issues: IgnitionIssue[] = [];
  const checked = walkSchema(raw, V2_SCHEMA, "", { minor: 0, declared: "2.2.0", issues });
  if (issues.length > 0 || !isPlainObject(checked)) return { issues };
  const v2 = checked as unknown as V2Config;
  const untranslatable = (path: string, message: string): void => {
    issues.push({ path, code: "Untranslatable", message });
  };
  for (const section of ["disks", "raid", "filesystems"] as const) {
    if ((v2.storage?.[section]?.length ?? 0) > 0) {
      untranslatable(
        `storage.${section}`,
        `spec 2.2 ${section} cannot be translated; mob writes files into the image and does not partition or format disks`,
      );
    }
  }
  if ((v2.networkd?.units?.length ?? 0) > 0) {
    untranslatable(
      "networkd.units",
      "networkd units do not exist in spec 3; write them as files under /etc/systemd/network instead",
    );
  }
  v2.passwd?.users?.forEach((user, i) => {
    if (user.create !== undefined) {
      untranslatable(
        `passwd.users[${i}].create`,
        "the deprecated create object cannot be translated; set its fields on the user itself",
      );
    }
  });
  const rootOnly = (kind: string, nodes: V2Node[] | undefined): void => {
    nodes?.forEach((n, i) => {
      if (n.filesystem !== "root") {
        untranslatable(
          `storage.${kind}[${i}].filesystem`,
          `only the "root" filesystem can be translated, got "${n.filesystem}"`,
        );
      }
    });
  };
  rootOnly("files", v2.storage?.files);
  rootOnly("directories", v2.storage?.directories);
  rootOnly("links", v2.storage?.links);
  v2.storage?.files?.forEach((file, i) => {
    if (file.append === true && file.overwrite === true) {
      issues.push({
        path: `storage.files[${i}].append`,
        code: "Invalid",
        message: "append cannot be true when overwrite is true",
      });
    }
  });
  if (issues.length > 0) return { issues };
  return { config: buildV3(v2) };
}

function buildV3(v2: V2Config): IgnitionConfig {
  const { config: refs, ...rest } = v2.ignition;
  const ignition: IgnitionMeta = { ...rest, version: TRANSLATED_VERSION };
  if (refs !== undefined) {
    ignition.config = {};
    if (refs.append !== undefined) ignition.config.merge = refs.append;
    if (refs.replace !== undefined) ignition.config.replace = refs.replace;
  }
  const out: IgnitionConfig = { ignition };
  const storage = v2.storage;
  if (storage?.files !== undefined || storage?.directories !== undefined || storage?.links !== undefined) {
    out.storage = {};
    if (storage.files !== undefined) out.storage.files = storage.files.map(translateFile);
    if (storage.directories !== undefined) {
      out.storage.directories = storage.directories.map(
        ({ filesystem: _, ...dir }): IgnitionDirectory => dir,
      );
    }
    if (storage.links !== undefined) {
      out.storage.links = storage.links.map(({ filesystem: _, ...link }): IgnitionLink => link);
    }
  }
  if (v2.systemd?.units !== undefined) out.systemd = { units: v2.systemd.units.map(translateUnit) };
  if (v2.passwd !== undefined) {
    out.passwd = {};
    if (v2.passwd.users !== undefined) out.passwd.users = v2.passwd.users;
    if (v2.passwd.groups !== undefined) out.passwd.groups = v2.passwd.groups;
  }
  return out;
}

function translateFile(file: V2File): IgnitionFile {
  const { filesystem: _, append, contents, ...rest } = file;
  const resource: Resource = {};
  if (contents?.source !== undefined && contents.source !== "") resource.source = contents.source;
  if (contents?.compression !== undefined && contents.compression !== "") {
    resource.compression = contents.compression;
  }
  if (contents?.verification?.hash !== undefined)
    resource.verification = { hash: contents.verification.hash };
  if (append === true) return { ...rest, append: [resource] };
  // Spec 2 overwrote by default and wrote an empty file when no source was given; spec 3 defaults
  // overwrite to false and requires a source when overwriting, so both are made explicit.
  if (resource.source === undefined) resource.source = "data:,";
  return { ...rest, overwrite: file.overwrite ?? true, contents: resource };
}

function translateUnit(unit: V2Unit): Unit {
  const { enable, ...rest } = unit;
  if (rest.enabled === undefined && enable !== undefined) return { ...rest, enabled: enable };
  return rest;
}
