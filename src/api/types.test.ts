// The TypeScript types inferred from the schemas: required and optional fields, enums and
// nullability follow the CRD (checked by tsc; the runtime assertions only keep vitest happy).

import { describe, expect, expectTypeOf, it } from "vitest";
import type { ControllerConfig } from "./controllerconfig-v1.ts";
import type { MachineConfig } from "./machineconfig-v1.ts";
import type { MachineConfigPool } from "./machineconfigpool-v1.ts";
import type { MachineOSBuild } from "./machineosbuild-v1.ts";
import type { MachineOSConfig } from "./machineosconfig-v1.ts";
import type { MachineOSConfigV1Alpha1 } from "./machineosconfig-v1alpha1.ts";
import type { KubeObject } from "./object.ts";

describe("inferred types", () => {
  it("MachineOSConfig: required spec fields, enums, optional status", () => {
    const mosc: MachineOSConfig = {
      apiVersion: "machineconfiguration.openshift.io/v1",
      kind: "MachineOSConfig",
      metadata: { name: "worker" },
      spec: {
        machineConfigPool: { name: "worker" },
        imageBuilder: { imageBuilderType: "Job" },
        renderedImagePushSecret: { name: "push" },
        renderedImagePushSpec: "quay.io/mco/renderedImg:latest",
        containerFile: [{ containerfileArch: "NoArch", content: "FROM configs AS final" }],
      },
    };
    expectTypeOf(mosc.spec.imageBuilder.imageBuilderType).toEqualTypeOf<"Job">();
    expectTypeOf(mosc.status).toEqualTypeOf<MachineOSConfig["status"]>();
    expectTypeOf<NonNullable<MachineOSConfig["status"]>["observedGeneration"]>().toEqualTypeOf<
      number | undefined
    >();
    // @ts-expect-error: the arch is an enum
    const wrong: MachineOSConfig["spec"]["containerFile"] = [{ containerfileArch: "x86", content: "" }];
    const object: KubeObject = mosc;
    expect([object.metadata.name, wrong]).toBeDefined();
  });

  it("MachineOSBuild, MachineConfig, MachineConfigPool, ControllerConfig", () => {
    expectTypeOf<MachineOSBuild["spec"]["machineConfig"]>().toEqualTypeOf<{ name: string }>();
    expectTypeOf<NonNullable<MachineConfig["spec"]>["kernelArguments"]>().toEqualTypeOf<
      string[] | null | undefined
    >();
    expectTypeOf<MachineConfigPool["spec"]["maxUnavailable"]>().toEqualTypeOf<number | string | undefined>();
    expectTypeOf<ControllerConfig["spec"]["additionalTrustBundle"]>().toEqualTypeOf<string | null>();
    expectTypeOf<ControllerConfig["spec"]["images"]>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<
      MachineOSConfigV1Alpha1["spec"]["buildInputs"]["imageBuilder"]["imageBuilderType"]
    >().toEqualTypeOf<"PodImageBuilder">();
  });
});
