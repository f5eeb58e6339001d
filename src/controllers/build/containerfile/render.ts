// Renders a build's Containerfile from containerfile.tmpl. Pure: the output depends only on the inputs
// (the template is read once and cached). Requests the base image cannot honour are errors, which
// the build controller reports as the MachineOSBuild's Failed reason.

import { readFileSync } from "node:fs";
import { ImageLabels } from "../../../api/constants.ts";
import type { ContextSteps } from "./context-layout.ts";
import { DEFAULT_KERNEL_PACKAGES, extensionPackages, isPackageProblem, kernelChoice } from "./os-packages.ts";
import { parseContainerfile } from "./parse.ts";
import { quoted, renderTemplate, TemplateError } from "./template.ts";

export type ContainerfileArch = "AMD64" | "ARM64" | "PPC64LE" | "S390X";

/** An entry of MachineOSConfig spec.containerFile. */
export interface UserContainerfile {
  containerfileArch?: ContainerfileArch | "NoArch";
  content: string;
}

export interface ContainerfileInputs {
  /** The base OS image, pinned by digest (`repo@sha256:…`). */
  baseImage: string;
  /** Needed when extensions or a non-default kernel type are requested. */
  extensionsImage?: string;
  extensions: readonly string[];
  /** "", "default", "realtime" or "64k-pages". */
  kernelType?: string;
  renderedConfigName: string;
  poolName: string;
  /** mob's hash of the build inputs, recorded as a label. */
  mobInputsHash: string;
  /** MachineOSConfig spec.containerFile; the entry for `architecture` wins over NoArch. */
  userContainerfiles: readonly UserContainerfile[];
  architecture: ContainerfileArch;
  /** The base is an rpm-ostree/bootc image (labels ostree.bootable or containers.bootc). */
  isOstreeBase: boolean;
  /** From contextStepsFor(config). */
  steps: ContextSteps;
}

export type RenderErrorCode =
  | "UnsupportedOnNonOstreeBase"
  | "MissingExtensionsImage"
  | "UnknownExtension"
  | "UnknownKernelType"
  | "KernelTypeArchMismatch"
  | "InvalidInput";

export class ContainerfileRenderError extends Error {
  readonly code: RenderErrorCode;
  constructor(code: RenderErrorCode, message: string) {
    super(message);
    this.name = "ContainerfileRenderError";
    this.code = code;
  }
}

const DIGEST_PINNED = /@sha256:[0-9a-f]{64}$/;

let cachedTemplate: string | undefined;

export function containerfileTemplate(): string {
  cachedTemplate ??= readFileSync(new URL("./containerfile.tmpl", import.meta.url), "utf8");
  return cachedTemplate;
}

export function renderContainerfile(inputs: ContainerfileInputs, template = containerfileTemplate()): string {
  for (const [what, ref] of [
    ["baseImage", inputs.baseImage],
    ["extensionsImage", inputs.extensionsImage],
  ] as const) {
    if (ref !== undefined && ref !== "" && !DIGEST_PINNED.test(ref)) {
      throw new ContainerfileRenderError(
        "InvalidInput",
        `${what} must be pinned by digest (…@sha256:<hex>): "${ref}"`,
      );
    }
  }
  const os = osPackages(inputs);
  let rendered: string;
  try {
    rendered = renderTemplate(template, {
      flags: {
        passwords: inputs.steps.passwords,
        owners: inputs.steps.owners,
        ostree: inputs.isOstreeBase,
        extensions: os.extensions.length > 0,
        kernel: os.kernel !== undefined,
      },
      values: {
        baseImage: inputs.baseImage,
        extensionsImage: inputs.extensionsImage ?? "",
        extensionPackages: os.extensions,
        kernelType: os.kernel?.kernelType ?? "default",
        kernelProbePackage: os.kernel?.packages[0] ?? "",
        defaultKernelPackages: DEFAULT_KERNEL_PACKAGES,
        kernelInstallArgs: (os.kernel?.packages ?? []).flatMap((name) => ["--install", name]),
        machineConfigLabel: ImageLabels.machineConfig,
        machineConfigPoolLabel: ImageLabels.machineConfigPool,
        baseImageLabel: ImageLabels.baseOSContainerImage,
        renderedConfigName: inputs.renderedConfigName,
        poolName: inputs.poolName,
      },
    });
  } catch (error) {
    if (error instanceof TemplateError) throw new ContainerfileRenderError("InvalidInput", error.message);
    throw error;
  }
  const user = selectUserContainerfile(inputs.userContainerfiles, inputs.architecture);
  // Section tags leave blank lines behind; squeeze them so the output reads like hand-written text.
  const text = rendered.replace(/\n{3,}/g, "\n\n");
  const body = user === undefined ? text : `${text}\n${user.endsWith("\n") ? user : `${user}\n`}`;
  const full = `${body}${inputsHashLabel(inputs.mobInputsHash)}`;
  const last = parseContainerfile(full).instructions.at(-1);
  if (last?.keyword.toUpperCase() !== "LABEL" || !last.args.startsWith(ImageLabels.buildInputsHash)) {
    throw new ContainerfileRenderError(
      "InvalidInput",
      "the Containerfile's last instruction is left open (a trailing line continuation or an unterminated heredoc)",
    );
  }
  return full;
}

/**
 * The inputs-hash label goes after the user's Containerfile, on the last stage (the pushed image):
 * the hash changes with every Containerfile edit, so in the `configs` stage it would invalidate the
 * layer cache of every user step, and a one-line edit would rebuild them all.
 */
function inputsHashLabel(hash: string): string {
  const label = ImageLabels.buildInputsHash;
  try {
    return `\n# mob: hash of the build inputs, last so a Containerfile edit reuses the earlier layers.\nLABEL ${label}=${quoted(label, hash)}\n`;
  } catch (error) {
    if (error instanceof TemplateError) throw new ContainerfileRenderError("InvalidInput", error.message);
    throw error;
  }
}

function osPackages(inputs: ContainerfileInputs): {
  extensions: string[];
  kernel: { kernelType: string; packages: readonly string[] } | undefined;
} {
  const extensions = extensionPackages(inputs.extensions);
  if (isPackageProblem(extensions)) throw new ContainerfileRenderError(extensions.code, extensions.message);
  const kernel = kernelChoice(inputs.kernelType, inputs.architecture);
  if (isPackageProblem(kernel)) throw new ContainerfileRenderError(kernel.code, kernel.message);
  if (extensions.length === 0 && kernel === undefined) return { extensions, kernel };
  const wanted = [
    ...(inputs.extensions.length > 0 ? [`extensions ${inputs.extensions.join(", ")}`] : []),
    ...(kernel === undefined ? [] : [`kernelType ${kernel.kernelType}`]),
  ].join(" and ");
  if (!inputs.isOstreeBase) {
    throw new ContainerfileRenderError(
      "UnsupportedOnNonOstreeBase",
      `${wanted} need an rpm-ostree/bootc base image (labels ostree.bootable or containers.bootc); the base image ${inputs.baseImage} is not one`,
    );
  }
  if (inputs.extensionsImage === undefined || inputs.extensionsImage === "") {
    throw new ContainerfileRenderError(
      "MissingExtensionsImage",
      `${wanted} need an OS extensions image; none is configured`,
    );
  }
  return { extensions, kernel };
}

/** The content for `architecture`, else the NoArch one; undefined when there is none (or it is blank). */
export function selectUserContainerfile(
  entries: readonly UserContainerfile[],
  architecture: ContainerfileArch,
): string | undefined {
  const exact = entries.find((entry) => entry.containerfileArch === architecture);
  const chosen = exact ?? entries.find((entry) => (entry.containerfileArch ?? "NoArch") === "NoArch");
  return chosen === undefined || chosen.content.trim() === "" ? undefined : chosen.content;
}

/** The Containerfile architecture for a Node.js `process.arch`; undefined for ones OpenShift lacks. */
export function containerfileArchFor(nodeArch: string): ContainerfileArch | undefined {
  const arches: Record<string, ContainerfileArch> = {
    x64: "AMD64",
    arm64: "ARM64",
    ppc64: "PPC64LE",
    s390x: "S390X",
  };
  return arches[nodeArch];
}
