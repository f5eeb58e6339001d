// Ignition config spec 3.x (3.0.0 to 3.4.0) as TypeScript types. One shape covers every 3.x version:
// later versions only add optional fields, and parse.ts rejects fields the declared version lacks.
// Optional means "not specified"; merge.ts relies on that distinction (an absent field inherits).

/** Spec versions parse.ts accepts. 2.2.0 configs are translated to the 3.x shape on parse. */
export type IgnitionSpecVersion = "2.2.0" | "3.0.0" | "3.1.0" | "3.2.0" | "3.3.0" | "3.4.0";

/** The version every merged config carries: each 3.x config is also a valid 3.4.0 config. */
export const MERGED_SPEC_VERSION = "3.4.0";

export interface HttpHeader {
  name: string;
  value?: string;
}

export interface Verification {
  /** `sha512-<hex>` or (3.1.0+) `sha256-<hex>`, over the decompressed contents. */
  hash?: string;
}

/** A fetchable resource: file contents, an appended fragment, a CA bundle, a child config. */
export interface Resource {
  source?: string;
  /** "gzip", or empty/absent for none. */
  compression?: string;
  httpHeaders?: HttpHeader[];
  verification?: Verification;
}

export interface NodeUser {
  id?: number;
  name?: string;
}

export interface NodeGroup {
  id?: number;
  name?: string;
}

interface FsNode {
  path: string;
  overwrite?: boolean;
  user?: NodeUser;
  group?: NodeGroup;
}

export interface IgnitionFile extends FsNode {
  contents?: Resource;
  append?: Resource[];
  /** Decimal permission bits, e.g. 420 for 0644. Special bits (07000) need spec 3.4.0. */
  mode?: number;
}

export interface IgnitionDirectory extends FsNode {
  mode?: number;
}

export interface IgnitionLink extends FsNode {
  target?: string;
  hard?: boolean;
}

export interface Partition {
  label?: string;
  number?: number;
  sizeMiB?: number;
  startMiB?: number;
  typeGuid?: string;
  guid?: string;
  wipePartitionEntry?: boolean;
  shouldExist?: boolean;
  resize?: boolean;
}

export interface Disk {
  device: string;
  wipeTable?: boolean;
  partitions?: Partition[];
}

export interface Raid {
  name: string;
  level?: string;
  devices?: string[];
  spares?: number;
  options?: string[];
}

export interface Filesystem {
  device: string;
  format?: string;
  path?: string;
  wipeFilesystem?: boolean;
  label?: string;
  uuid?: string;
  options?: string[];
  mountOptions?: string[];
}

export interface Tang {
  url: string;
  thumbprint?: string;
  advertisement?: string;
}

export interface Clevis {
  tang?: Tang[];
  tpm2?: boolean;
  threshold?: number;
  custom?: { pin?: string; config?: string; needsNetwork?: boolean };
}

export interface Luks {
  name: string;
  device?: string;
  keyFile?: Resource;
  label?: string;
  uuid?: string;
  options?: string[];
  discard?: boolean;
  openOptions?: string[];
  wipeVolume?: boolean;
  clevis?: Clevis;
}

export interface Storage {
  disks?: Disk[];
  raid?: Raid[];
  filesystems?: Filesystem[];
  files?: IgnitionFile[];
  directories?: IgnitionDirectory[];
  links?: IgnitionLink[];
  luks?: Luks[];
}

export interface Dropin {
  name: string;
  contents?: string;
}

export interface Unit {
  name: string;
  enabled?: boolean;
  mask?: boolean;
  contents?: string;
  dropins?: Dropin[];
}

export interface PasswdUser {
  name: string;
  passwordHash?: string;
  sshAuthorizedKeys?: string[];
  uid?: number;
  gecos?: string;
  homeDir?: string;
  noCreateHome?: boolean;
  primaryGroup?: string;
  groups?: string[];
  noUserGroup?: boolean;
  noLogInit?: boolean;
  shell?: string;
  shouldExist?: boolean;
  system?: boolean;
}

export interface PasswdGroup {
  name: string;
  gid?: number;
  passwordHash?: string;
  shouldExist?: boolean;
  system?: boolean;
}

export interface IgnitionMeta {
  version: string;
  config?: { merge?: Resource[]; replace?: Resource };
  timeouts?: { httpResponseHeaders?: number; httpTotal?: number };
  security?: { tls?: { certificateAuthorities?: Resource[] } };
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string[] };
}

export interface IgnitionConfig {
  ignition: IgnitionMeta;
  storage?: Storage;
  systemd?: { units?: Unit[] };
  passwd?: { users?: PasswdUser[]; groups?: PasswdGroup[] };
  /** 3.3.0+. */
  kernelArguments?: { shouldExist?: string[]; shouldNotExist?: string[] };
}

/** Why a config was refused; `path` is dotted with list indexes, e.g. `storage.files[2].mode`. */
export type IgnitionIssueCode =
  | "Required"
  | "TypeInvalid"
  | "UnknownField"
  | "FieldNotInVersion"
  | "VersionUnsupported"
  | "Untranslatable"
  | "Invalid"
  | "Duplicate"
  | "SourceUnsupported";

export interface IgnitionIssue {
  path: string;
  code: IgnitionIssueCode;
  message: string;
}

/** The one Error the ignition module throws for bad input; callers turn `issues` into their own report. */
export class IgnitionError extends Error {
  readonly issues: readonly IgnitionIssue[];

  constructor(message: string, issues: readonly IgnitionIssue[]) {
    super(issues.length > 0 ? `${message}: ${issues.map(formatIssue).join("; ")}` : message);
    this.name = "IgnitionError";
    this.issues = issues;
  }
}

export function formatIssue(issue: IgnitionIssue): string {
  return issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`;
}
