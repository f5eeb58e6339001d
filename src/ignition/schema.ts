// The Ignition 3.x field tree, with the spec minor version that introduced each field. parse.ts walks
// it to reject unknown fields, wrong types and fields newer than the config's declared version.

export type SchemaNode =
  | { kind: "string" }
  | { kind: "integer" }
  | { kind: "boolean" }
  /** Accepted unchecked; used for 2.2 sections that are refused with a better message later. */
  | { kind: "any" }
  | { kind: "list"; of: SchemaNode }
  | { kind: "object"; fields: Readonly<Record<string, FieldSpec>> };

export interface FieldSpec {
  node: SchemaNode;
  /** The 3.x minor version that added the field; 0 when it exists since 3.0.0. */
  since: number;
  required: boolean;
}

type FieldInput = SchemaNode | FieldSpec;

const str: SchemaNode = { kind: "string" };
const int: SchemaNode = { kind: "integer" };
const bool: SchemaNode = { kind: "boolean" };
const list = (of: SchemaNode): SchemaNode => ({ kind: "list", of });

function isFieldSpec(input: FieldInput): input is FieldSpec {
  return "node" in input;
}

export function obj(fields: Record<string, FieldInput>): SchemaNode {
  const out: Record<string, FieldSpec> = {};
  for (const [name, input] of Object.entries(fields)) {
    out[name] = isFieldSpec(input) ? input : { node: input, since: 0, required: false };
  }
  return { kind: "object", fields: out };
}

/** A field added in spec 3.<minor>.0. */
const since = (minor: number, node: SchemaNode): FieldSpec => ({ node, since: minor, required: false });
const required = (node: SchemaNode): FieldSpec => ({ node, since: 0, required: true });

const httpHeader = obj({ name: required(str), value: str });

/** A resource; `withSourceRequired` for references that make no sense without one. */
function resource(withSourceRequired: boolean): SchemaNode {
  return obj({
    source: withSourceRequired ? required(str) : str,
    compression: str,
    httpHeaders: since(1, list(httpHeader)),
    verification: obj({ hash: str }),
  });
}

/** 3.0.0 had compression only on file contents and appends, not on config or CA references. */
function reference(): SchemaNode {
  return obj({
    source: required(str),
    compression: since(1, str),
    httpHeaders: since(1, list(httpHeader)),
    verification: obj({ hash: str }),
  });
}

const owner = obj({ id: int, name: str });

const partition = obj({
  label: str,
  number: int,
  sizeMiB: int,
  startMiB: int,
  typeGuid: str,
  guid: str,
  wipePartitionEntry: bool,
  shouldExist: bool,
  resize: since(2, bool),
});

const luks = obj({
  name: required(str),
  device: str,
  keyFile: resource(false),
  label: str,
  uuid: str,
  options: list(str),
  discard: since(4, bool),
  openOptions: since(4, list(str)),
  wipeVolume: bool,
  clevis: obj({
    tang: list(obj({ url: required(str), thumbprint: str, advertisement: since(4, str) })),
    tpm2: bool,
    threshold: int,
    custom: obj({ pin: str, config: str, needsNetwork: bool }),
  }),
});

export const IGNITION_V3_SCHEMA: SchemaNode = obj({
  ignition: required(
    obj({
      version: required(str),
      config: obj({ merge: list(reference()), replace: reference() }),
      timeouts: obj({ httpResponseHeaders: int, httpTotal: int }),
      security: obj({ tls: obj({ certificateAuthorities: list(reference()) }) }),
      proxy: since(1, obj({ httpProxy: str, httpsProxy: str, noProxy: list(str) })),
    }),
  ),
  storage: obj({
    disks: list(obj({ device: required(str), wipeTable: bool, partitions: list(partition) })),
    raid: list(obj({ name: required(str), level: str, devices: list(str), spares: int, options: list(str) })),
    filesystems: list(
      obj({
        device: required(str),
        format: str,
        path: str,
        wipeFilesystem: bool,
        label: str,
        uuid: str,
        options: list(str),
        mountOptions: since(1, list(str)),
      }),
    ),
    files: list(
      obj({
        path: required(str),
        overwrite: bool,
        contents: resource(false),
        append: list(resource(false)),
        mode: int,
        user: owner,
        group: owner,
      }),
    ),
    directories: list(obj({ path: required(str), overwrite: bool, mode: int, user: owner, group: owner })),
    links: list(
      obj({ path: required(str), overwrite: bool, user: owner, group: owner, target: str, hard: bool }),
    ),
    luks: since(2, list(luks)),
  }),
  systemd: obj({
    units: list(
      obj({
        name: required(str),
        enabled: bool,
        mask: bool,
        contents: str,
        dropins: list(obj({ name: required(str), contents: str })),
      }),
    ),
  }),
  passwd: obj({
    users: list(
      obj({
        name: required(str),
        passwordHash: str,
        sshAuthorizedKeys: list(str),
        uid: int,
        gecos: str,
        homeDir: str,
        noCreateHome: bool,
        primaryGroup: str,
        groups: list(str),
        noUserGroup: bool,
        noLogInit: bool,
        shell: str,
        shouldExist: since(2, bool),
        system: bool,
      }),
    ),
    groups: list(
      obj({ name: required(str), gid: int, passwordHash: str, shouldExist: since(2, bool), system: bool }),
    ),
  }),
  kernelArguments: since(3, obj({ shouldExist: list(str), shouldNotExist: list(str) })),
});
