// OS extensions and kernel types as the MCO maps them to RPM packages (pkg/daemon/update.go). They are
// installed from the release's extensions image with rpm-ostree, so they need an rpm-ostree/bootc base.

import type { ContainerfileArch } from "./render.ts";

/** Extension name → packages, as upstream's getSupportedExtensions(). */
export const SUPPORTED_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  "two-node-ha": ["pacemaker", "pcs", "fence-agents-all"],
  wasm: ["crun-wasm"],
  ipsec: ["NetworkManager-libreswan", "libreswan"],
  usbguard: ["usbguard"],
  kerberos: ["krb5-workstation", "libkadm5"],
  "kernel-devel": ["kernel-devel", "kernel-headers"],
  "sandboxed-containers": ["kata-containers"],
  sysstat: ["sysstat"],
};

/** The packages of the default kernel, removed when another kernel type is installed. */
export const DEFAULT_KERNEL_PACKAGES: readonly string[] = [
  "kernel",
  "kernel-core",
  "kernel-modules",
  "kernel-modules-core",
  "kernel-modules-extra",
];

export interface KernelChoice {
  kernelType: "realtime" | "64k-pages";
  /** Installed instead of DEFAULT_KERNEL_PACKAGES; the first one tells whether it is already there. */
  packages: readonly string[];
}

const KERNELS: Readonly<Record<KernelChoice["kernelType"], readonly string[]>> = {
  // Not the kernel-rt meta-package, which pulls in dependencies upstream does not want.
  realtime: ["kernel-rt-core", "kernel-rt-modules", "kernel-rt-modules-extra", "kernel-rt-kvm"],
  "64k-pages": [
    "kernel-64k-core",
    "kernel-64k-modules",
    "kernel-64k-modules-core",
    "kernel-64k-modules-extra",
  ],
};

export type PackageProblem =
  | { code: "UnknownExtension"; message: string }
  | { code: "UnknownKernelType"; message: string }
  | { code: "KernelTypeArchMismatch"; message: string };

/** Packages for the requested extensions, in request order without duplicates. */
export function extensionPackages(extensions: readonly string[]): string[] | PackageProblem {
  const unknown = extensions.filter((name) => SUPPORTED_EXTENSIONS[name] === undefined);
  if (unknown.length > 0) {
    const known = Object.keys(SUPPORTED_EXTENSIONS).sort().join(", ");
    return {
      code: "UnknownExtension",
      message: `unsupported extension(s) ${unknown.map((name) => `"${name}"`).join(", ")}; supported: ${known}`,
    };
  }
  return [...new Set(extensions.flatMap((name) => SUPPORTED_EXTENSIONS[name] ?? []))];
}

/** undefined for the default kernel ("", "default" or unset). */
export function kernelChoice(
  kernelType: string | undefined,
  architecture: ContainerfileArch,
): KernelChoice | undefined | PackageProblem {
  if (kernelType === undefined || kernelType === "" || kernelType === "default") return undefined;
  if (kernelType !== "realtime" && kernelType !== "64k-pages") {
    return {
      code: "UnknownKernelType",
      message: `unknown kernelType "${kernelType}"; expected default, realtime or 64k-pages`,
    };
  }
  if (kernelType === "64k-pages" && architecture !== "ARM64") {
    return {
      code: "KernelTypeArchMismatch",
      message: `kernelType 64k-pages is only supported on ARM64; this build is for ${architecture}`,
    };
  }
  return { kernelType, packages: KERNELS[kernelType] };
}

export function isPackageProblem(value: unknown): value is PackageProblem {
  return typeof value === "object" && value !== null && "code" in value && !Array.isArray(value);
}
