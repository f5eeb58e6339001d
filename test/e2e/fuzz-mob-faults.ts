// Targeted bad input for mob's kinds: each fault takes a valid object and returns a named variant
// that breaks one rule (broken Ignition, oversized or binary Containerfiles, invalid image
// references, names and labels, missing or retyped required fields, unknown fields).

import type { FuzzKind, KindName } from "./fuzz-mob-objects.ts";
import type { Json, JsonObject, Random } from "./fuzz-mob-random.ts";

export interface Fault {
  label: string;
  body: JsonObject;
}

type FaultMaker = (random: Random, base: JsonObject) => Fault;

const MIB = 1024 * 1024;

function edit(base: JsonObject, change: (copy: JsonObject) => void): JsonObject {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `object[key]`, replaced by an empty object where a mutation left something else. */
function child(object: JsonObject, key: string): JsonObject {
  const value = object[key];
  if (isObject(value)) return value;
  const fresh: JsonObject = {};
  object[key] = fresh;
  return fresh;
}

function spec(object: JsonObject): JsonObject {
  return child(object, "spec");
}

function metadata(object: JsonObject): JsonObject {
  return child(object, "metadata");
}

const fault =
  (label: string, change: (copy: JsonObject, random: Random) => void): FaultMaker =>
  (random, base) => ({ label, body: edit(base, (copy) => change(copy, random)) });

const IMAGE_REFERENCES = [
  "quay.io/fuzz/os-image", // no tag
  "nodot/fuzz/os-image:latest", // host without a dot
  "UPPER.Example.COM/Fuzz/OS:Latest",
  "registry..example.com/os:latest",
  "registry.example.com:1/os:latest", // one-digit port
  "https://registry.example.com/os:latest",
  `registry.example.com/${"a".repeat(300)}:latest`,
  `registry.example.com/${"a".repeat(460)}:latest`,
  "registry.example.com/os@sha256:1234",
  "",
];

const METADATA_FAULTS: FaultMaker[] = [
  fault("uppercase name", (o) => {
    metadata(o).name = "Fuzz_Bad";
  }),
  fault("254-character name", (o) => {
    metadata(o).name = `fuzz-${"a".repeat(249)}`;
  }),
  fault("empty name", (o) => {
    metadata(o).name = "";
  }),
  fault("name with leading dash", (o) => {
    metadata(o).name = "-fuzz";
  }),
  fault("label value too long", (o) => {
    metadata(o).labels = { fuzz: "v".repeat(64) };
  }),
  fault("invalid label key", (o) => {
    metadata(o).labels = { "bad key!": "x" };
  }),
  fault("2000 labels", (o) => {
    metadata(o).labels = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`fuzz-${i}`, "x"]));
  }),
  fault("annotations over 256 KiB", (o) => {
    metadata(o).annotations = { fuzz: "x".repeat(300 * 1024) };
  }),
  fault("invalid finalizer", (o) => {
    metadata(o).finalizers = ["not a finalizer!"];
  }),
  fault("wrong kind in body", (o) => {
    o.kind = "ConfigMap";
  }),
  fault("wrong apiVersion in body", (o) => {
    o.apiVersion = "v1";
  }),
  fault("unknown top-level and spec fields", (o) => {
    o.bogus = { a: 1 };
    spec(o).bogusField = "x";
  }),
  fault("spec is a string", (o) => {
    o.spec = "not an object";
  }),
  fault("metadata is a list", (o) => {
    o.metadata = [1, 2] as Json;
  }),
];

/** Broken Ignition inside MachineConfig.spec.config: the API keeps it as written (upstream too). */
const IGNITION_FAULTS: FaultMaker[] = [
  fault("Ignition version 9.9.9", (o) => {
    spec(o).config = { ...config(o), ignition: { version: "9.9.9" } };
  }),
  fault("Ignition version is a number", (o) => {
    spec(o).config = { ...config(o), ignition: { version: 3 } };
  }),
  fault("config without ignition", (o) => {
    spec(o).config = { storage: { files: [] } };
  }),
  fault("file mode is a string", (o) => {
    spec(o).config = withFile(o, { path: "/etc/fuzz-mode", mode: "0644", contents: { source: "data:,x" } });
  }),
  fault("negative file mode", (o) => {
    spec(o).config = withFile(o, { path: "/etc/fuzz-mode", mode: -1, contents: { source: "data:,x" } });
  }),
  fault("source is not a URL", (o) => {
    spec(o).config = withFile(o, { path: "/etc/fuzz-src", contents: { source: "not a url at all" } });
  }),
  fault("bad base64 data URL", (o) => {
    spec(o).config = withFile(o, { path: "/etc/fuzz-b64", contents: { source: "data:;base64,@@@!!" } });
  }),
  fault("relative file path", (o) => {
    spec(o).config = withFile(o, { path: "etc/relative", contents: { source: "data:,x" } });
  }),
  fault("duplicate file paths", (o) => {
    const file = { path: "/etc/fuzz-dup", contents: { source: "data:,x" } };
    spec(o).config = { ignition: { version: "3.4.0" }, storage: { files: [file, file] } };
  }),
  fault("unit without a suffix", (o) => {
    spec(o).config = { ignition: { version: "3.4.0" }, systemd: { units: [{ name: "nosuffix" }] } };
  }),
  fault("1.5 MiB file", (o) => {
    const source = `data:,${"y".repeat(1.5 * MIB)}`;
    spec(o).config = withFile(o, { path: "/etc/fuzz-huge", contents: { source } });
  }),
  fault("kernelArguments is a string", (o) => {
    spec(o).kernelArguments = "quiet";
  }),
  fault("fips is a string", (o) => {
    spec(o).fips = "yes";
  }),
];

/** The object's Ignition config, or an empty one where a mutation left something else. */
function config(o: JsonObject): JsonObject {
  const current = spec(o).config;
  return isObject(current) ? current : {};
}

function withFile(o: JsonObject, file: JsonObject): JsonObject {
  const copy = structuredClone(config(o));
  const storage = isObject(copy.storage) ? copy.storage : {};
  const files = Array.isArray(storage.files) ? storage.files : [];
  copy.storage = { ...storage, files: [...files, file] };
  return copy;
}

const CONTAINERFILES: [string, () => string][] = [
  ["1 MiB Containerfile", () => `RUN echo ${"x".repeat(MIB)}`],
  ["4097-character Containerfile", () => "#".repeat(4097)],
  ["binary Containerfile", () => "\u0000\u0001\u0002\u00ff\ud7ff\u007f RUN true"],
  ["empty Containerfile", () => ""],
];

const MOSC_FAULTS: FaultMaker[] = [
  ...CONTAINERFILES.map(([label, content]) =>
    fault(label, (o) => {
      spec(o).containerFile = [{ containerfileArch: "NoArch", content: content() }];
    }),
  ),
  fault("five Containerfiles", (o) => {
    spec(o).containerFile = ["ARM64", "AMD64", "PPC64LE", "S390X", "NoArch"].map((a) => ({
      containerfileArch: a,
      content: "RUN true",
    }));
  }),
  fault("duplicate Containerfile arch", (o) => {
    spec(o).containerFile = [
      { containerfileArch: "NoArch", content: "RUN a" },
      { containerfileArch: "NoArch", content: "RUN b" },
    ];
  }),
  fault("lowercase arch in v1", (o) => {
    spec(o).containerFile = [{ containerfileArch: "amd64", content: "RUN true" }];
  }),
  fault("image reference", (o, r) => {
    spec(o).renderedImagePushSpec = r.pick(IMAGE_REFERENCES);
  }),
  fault("missing renderedImagePushSpec", (o) => {
    delete spec(o).renderedImagePushSpec;
  }),
  fault("missing imageBuilder", (o) => {
    delete spec(o).imageBuilder;
  }),
  fault("imageBuilderType Pod", (o) => {
    spec(o).imageBuilder = { imageBuilderType: "PodImageBuilder" };
  }),
  fault("pool name differs from the name", (o) => {
    spec(o).machineConfigPool = { name: `${String(metadata(o).name)}-other` };
  }),
  fault("push secret name invalid", (o) => {
    spec(o).renderedImagePushSecret = { name: "Not_A_Secret" };
  }),
];

const MOSC_V1ALPHA1_FAULTS: FaultMaker[] = [
  ...CONTAINERFILES.map(([label, content]) =>
    fault(`v1alpha1 ${label}`, (o) => {
      buildInputs(o).containerFile = [{ containerfileArch: "noarch", content: content() }];
    }),
  ),
  fault("v1alpha1 image reference", (o, r) => {
    buildInputs(o).renderedImagePushspec = r.pick(IMAGE_REFERENCES);
  }),
  fault("v1alpha1 base image without digest", (o) => {
    buildInputs(o).baseOSImagePullspec = "quay.io/fuzz/base:latest";
  }),
  fault("v1alpha1 missing baseImagePullSecret", (o) => {
    delete buildInputs(o).baseImagePullSecret;
  }),
  fault("v1alpha1 uppercase pool name", (o) => {
    spec(o).machineConfigPool = { name: "FuzzPool" };
  }),
  fault("v1alpha1 pool name differs from the name", (o) => {
    spec(o).machineConfigPool = { name: `${String(metadata(o).name)}-other` };
  }),
];

function buildInputs(o: JsonObject): JsonObject {
  return child(spec(o), "buildInputs");
}

const MOSB_FAULTS: FaultMaker[] = [
  fault("machineConfig name shorter than 10", (o) => {
    spec(o).machineConfig = { name: "short" };
  }),
  fault("missing machineOSConfig", (o) => {
    delete spec(o).machineOSConfig;
  }),
  fault("MOSB image reference", (o, r) => {
    spec(o).renderedImagePushSpec = r.pick(IMAGE_REFERENCES);
  }),
];

const MOSB_V1ALPHA1_FAULTS: FaultMaker[] = [
  fault("v1alpha1 version 0", (o) => {
    spec(o).version = 0;
  }),
  fault("v1alpha1 configGeneration is a string", (o) => {
    spec(o).configGeneration = "1";
  }),
  fault("v1alpha1 missing desiredConfig", (o) => {
    delete spec(o).desiredConfig;
  }),
];

const MCP_FAULTS: FaultMaker[] = [
  fault("paused is a string", (o) => {
    spec(o).paused = "yes";
  }),
  fault("maxUnavailable is an object", (o) => {
    spec(o).maxUnavailable = { a: 1 };
  }),
  fault("matchExpressions without operator", (o) => {
    spec(o).machineConfigSelector = { matchExpressions: [{ key: "a", values: ["b"] }] };
  }),
  fault("selector operator Bogus", (o) => {
    spec(o).machineConfigSelector = { matchExpressions: [{ key: "a", operator: "Bogus", values: ["b"] }] };
  }),
  fault("101 pinnedImageSets", (o) => {
    spec(o).pinnedImageSets = Array.from({ length: 101 }, (_, i) => ({ name: `pins-${i}` }));
  }),
  fault("pinnedImageSet name invalid", (o) => {
    spec(o).pinnedImageSets = [{ name: "Bad Name" }];
  }),
  fault("osImageStream name invalid", (o) => {
    spec(o).osImageStream = { name: "-bad-" };
  }),
];

const BY_KIND: Record<KindName, Record<"v1" | "v1alpha1", FaultMaker[]>> = {
  MachineConfig: { v1: IGNITION_FAULTS, v1alpha1: [] },
  MachineConfigPool: { v1: MCP_FAULTS, v1alpha1: [] },
  MachineOSConfig: { v1: MOSC_FAULTS, v1alpha1: MOSC_V1ALPHA1_FAULTS },
  MachineOSBuild: { v1: MOSB_FAULTS, v1alpha1: MOSB_V1ALPHA1_FAULTS },
};

/** One targeted fault for `kind` (sometimes a generic metadata one) applied to `base`. */
export function kindFault(random: Random, kind: FuzzKind, base: JsonObject): Fault {
  const own = BY_KIND[kind.kind][kind.version];
  const pool = own.length > 0 && random.chance(0.7) ? own : METADATA_FAULTS;
  return random.pick(pool)(random, base);
}

/** Invalid status values for the status subresource (digests, counts, immutable fields). */
export function statusFault(random: Random, kind: FuzzKind): Fault {
  const faults: Record<KindName, Fault[]> = {
    MachineConfig: [],
    MachineConfigPool: [
      { label: "status counts are strings", body: { status: { machineCount: "three" } } },
      {
        label: "poolSynchronizer machineCount below updated",
        body: {
          status: {
            poolSynchronizersStatus: [
              {
                poolSynchronizerType: "PinnedImageSets",
                machineCount: 1,
                updatedMachineCount: 2,
                readyMachineCount: 0,
                availableMachineCount: 0,
                unavailableMachineCount: 0,
              },
            ],
          },
        },
      },
    ],
    MachineOSConfig: [
      {
        label: "currentImagePullSpec without digest",
        body: { status: { currentImagePullSpec: "quay.io/a/b:1" } },
      },
      { label: "observedGeneration negative", body: { status: { observedGeneration: -1 } } },
    ],
    MachineOSBuild: [
      {
        label: "digestedImagePushSpec without digest",
        body: { status: { digestedImagePushSpec: "registry.fuzz.example.com/fuzz/os-image:latest" } },
      },
      {
        label: "buildEnd before buildStart",
        body: { status: { buildStart: "2025-01-02T00:00:00Z", buildEnd: "2025-01-01T00:00:00Z" } },
      },
      { label: "Job builder without job", body: { status: { builder: { imageBuilderType: "Job" } } } },
    ],
  };
  if (kind.version === "v1alpha1") return { label: "v1alpha1 status is a list", body: { status: [] } };
  const own = faults[kind.kind];
  return own.length > 0 ? random.pick(own) : { label: "status on a kind without one", body: { status: {} } };
}
