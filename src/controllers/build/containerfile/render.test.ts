import { describe, expect, it } from "vitest";
import { ImageLabels } from "../../../api/constants.ts";
import {
  type ContainerfileInputs,
  ContainerfileRenderError,
  containerfileArchFor,
  renderContainerfile,
  selectUserContainerfile,
} from "./render.ts";
import { validateContainerfile } from "./validate.ts";

const BASE = `quay.io/openshift/os@sha256:${"a".repeat(64)}`;
const EXTENSIONS = `quay.io/openshift/os-extensions@sha256:${"b".repeat(64)}`;

const base: ContainerfileInputs = {
  baseImage: BASE,
  extensions: [],
  renderedConfigName: "rendered-worker-0123456789abcdef0123456789abcdef",
  poolName: "worker",
  mobInputsHash: "5f2b9c",
  userContainerfiles: [],
  architecture: "AMD64",
  isOstreeBase: false,
  steps: { passwords: false, owners: false },
};

const render = (overrides: Partial<ContainerfileInputs>): string =>
  renderContainerfile({ ...base, ...overrides });

const renderError = (overrides: Partial<ContainerfileInputs>): ContainerfileRenderError => {
  try {
    render(overrides);
  } catch (error) {
    if (error instanceof ContainerfileRenderError) return error;
    throw error;
  }
  throw new Error("expected a ContainerfileRenderError");
};

describe("renderContainerfile goldens", () => {
  const cases: [string, Partial<ContainerfileInputs>][] = [
    ["no-user-content", {}],
    [
      "noarch-user-content",
      {
        userContainerfiles: [{ containerfileArch: "NoArch", content: "FROM configs AS final\nRUN echo hi" }],
      },
    ],
    [
      "arch-specific-user-content",
      {
        architecture: "ARM64",
        userContainerfiles: [
          { content: "FROM configs AS final\nRUN echo noarch\n" },
          { containerfileArch: "ARM64", content: "FROM configs AS final\nRUN echo arm64\n" },
          { containerfileArch: "AMD64", content: "FROM configs AS final\nRUN echo amd64\n" },
        ],
      },
    ],
    ["accounts-steps", { steps: { passwords: true, owners: true } }],
    [
      "ostree-extensions-kernel",
      {
        isOstreeBase: true,
        extensionsImage: EXTENSIONS,
        extensions: ["usbguard", "kerberos"],
        kernelType: "realtime",
      },
    ],
    ["ostree-commit", { isOstreeBase: true }],
  ];
  it.each(cases)("%s", async (name, overrides) => {
    const text = render(overrides);
    await expect(text).toMatchFileSnapshot(`testdata/${name}.containerfile`);
    expect(validateContainerfile(text)).toEqual([]);
  });

  it("commits only ostree bases and labels the image with mob's inputs", () => {
    expect(render({})).not.toContain("ostree container commit");
    expect(render({ isOstreeBase: true })).toContain("RUN ostree container commit");
    const text = render({});
    for (const key of Object.values(ImageLabels)) expect(text).toContain(`${key}=`);
    expect(text).toContain(`baseOSContainerImage="${BASE}"`);
  });

  it("ends with the configs stage when there is no user content", () => {
    const stages = [...render({}).matchAll(/^FROM .* AS (\w+)$/gm)].map((match) => match[1]);
    expect(stages).toEqual(["extract", "configs"]);
    expect(render({ userContainerfiles: [{ content: "  \n" }] })).toBe(render({}));
  });

  it("labels the inputs hash last, after the user's steps, so editing them keeps the earlier layers cached", () => {
    const text = render({ userContainerfiles: [{ content: "FROM configs AS final\nRUN echo hi" }] });
    expect(text.trimEnd().split("\n").at(-1)).toBe(`LABEL ${ImageLabels.buildInputsHash}="5f2b9c"`);
    const configs = text.slice(text.indexOf("AS configs"), text.indexOf("AS final"));
    expect(configs).not.toContain(ImageLabels.buildInputsHash);
  });
});

describe("renderContainerfile errors", () => {
  it("refuses extensions and kernel types on a non-ostree base, naming the request", () => {
    const error = renderError({ extensions: ["usbguard"], extensionsImage: EXTENSIONS });
    expect(error.code).toBe("UnsupportedOnNonOstreeBase");
    expect(error.message).toContain("extensions usbguard need an rpm-ostree/bootc base image");
    expect(renderError({ kernelType: "realtime", extensionsImage: EXTENSIONS }).message).toContain(
      "kernelType realtime",
    );
  });

  it("needs an extensions image, known extensions and a kernel type the architecture supports", () => {
    expect(renderError({ isOstreeBase: true, extensions: ["usbguard"] }).code).toBe("MissingExtensionsImage");
    expect(renderError({ isOstreeBase: true, extensions: ["nope"] }).code).toBe("UnknownExtension");
    expect(renderError({ kernelType: "rt" }).code).toBe("UnknownKernelType");
    for (const content of [
      "FROM configs AS final\nRUN echo hi \\\n",
      "FROM configs AS final\nRUN cat <<EOF\nx\n",
    ]) {
      expect(renderError({ userContainerfiles: [{ content }] }).message).toContain("left open");
    }
    const arch = renderError({ isOstreeBase: true, extensionsImage: EXTENSIONS, kernelType: "64k-pages" });
    expect(arch.code).toBe("KernelTypeArchMismatch");
    expect(() =>
      render({
        isOstreeBase: true,
        extensionsImage: EXTENSIONS,
        kernelType: "64k-pages",
        architecture: "ARM64",
      }),
    ).not.toThrow();
    expect(render({ kernelType: "default" })).toBe(render({}));
  });

  it("requires digest-pinned images and refuses values that could inject instructions", () => {
    expect(renderError({ baseImage: "quay.io/openshift/os:latest" }).code).toBe("InvalidInput");
    expect(renderError({ baseImage: `quay.io/x\nRUN evil@sha256:${"a".repeat(64)}` }).code).toBe(
      "InvalidInput",
    );
    expect(renderError({ poolName: "worker\nRUN evil" }).message).toContain("single line");
    expect(render({ poolName: 'we"ird $HOME' })).toContain('machineconfigpool="we\\"ird \\$HOME"');
  });
});

describe("selectUserContainerfile", () => {
  it("prefers the build architecture, falls back to NoArch, else none", () => {
    const entries = [
      { containerfileArch: "S390X", content: "s390x" },
      { containerfileArch: "NoArch", content: "noarch" },
    ] as const;
    expect(selectUserContainerfile(entries, "S390X")).toBe("s390x");
    expect(selectUserContainerfile(entries, "AMD64")).toBe("noarch");
    expect(selectUserContainerfile([{ containerfileArch: "S390X", content: "x" }], "AMD64")).toBeUndefined();
  });

  it("maps Node architectures", () => {
    expect(containerfileArchFor("x64")).toBe("AMD64");
    expect(containerfileArchFor("arm64")).toBe("ARM64");
    expect(containerfileArchFor("ppc64")).toBe("PPC64LE");
    expect(containerfileArchFor("s390x")).toBe("S390X");
    expect(containerfileArchFor("ia32")).toBeUndefined();
  });
});
