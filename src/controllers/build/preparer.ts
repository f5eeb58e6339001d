// Preparer: everything a build needs before its Job can run (upstream §2.5 step 2) — the registry
// secrets validated and copied as `base-<mosb>` / `final-<mosb>`, the Containerfile rendered and
// validated into `containerfile-<mosb>`, the MachineConfig into `mc-<mosb>`. A problem the user must
// fix (bad secret, Containerfile that cannot be rendered or does not validate) is returned as a
// failure, not thrown: the build is marked Failed and no Job is created. Transient errors throw.

import { gzipSync } from "node:zlib";
import { BuildDataKeys, MCO_NAMESPACE } from "../../api/constants.ts";
import type { MachineConfig } from "../../api/machineconfig-v1.ts";
import type { MachineOSConfig } from "../../api/machineosconfig-v1.ts";
import type { KubeObject } from "../../api/object.ts";
import { parseIgnition } from "../../ignition/index.ts";
import { RegistryClient } from "../../registry/client.ts";
import { isRegistryError } from "../../registry/errors.ts";
import { isAlreadyExists, isNotFound } from "../../runtime/errors.ts";
import type { ResourceClient } from "../../runtime/resource-client.ts";
import type { FailureStep } from "./constants.ts";
import {
  ContainerfileRenderError,
  containerfileArchFor,
  contextStepsFor,
  formatContainerfileIssues,
  renderContainerfile,
  type UserContainerfile,
  validateContainerfile,
} from "./containerfile/index.ts";
import { type BuildIdentity, buildObjectAnnotations, buildObjectLabels } from "./labels.ts";
import { containerfileConfigMapName, machineConfigConfigMapName } from "./names.ts";
import { basePullSecretSource, canonicalCredentials, canonicalSecret, pushSecretName } from "./secrets.ts";

export interface PrepareInput {
  id: BuildIdentity;
  mosc: MachineOSConfig;
  machineConfig: MachineConfig;
}

export type PrepareResult = { ok: true } | { ok: false; step: FailureStep; summary: string };

export interface PreparerOptions {
  configMaps: ResourceClient<KubeObject>;
  secrets: ResourceClient<KubeObject>;
  /** Inspects the base image (labels) with the base pull credentials. */
  registry?: (dockerConfigJson: string) => Pick<RegistryClient, "inspect">;
}

const OSTREE_LABELS = ["ostree.bootable", "containers.bootc"];

export class Preparer {
  readonly #options: PreparerOptions;

  constructor(options: PreparerOptions) {
    this.#options = options;
  }

  async prepare(input: PrepareInput, signal: AbortSignal): Promise<PrepareResult> {
    const { id, mosc } = input;
    const pushName = pushSecretName(mosc);
    const baseName = basePullSecretSource(mosc);
    const push = canonicalCredentials("push", pushName, await this.#secret(pushName, signal));
    if ("problem" in push) return { ok: false, step: "secrets", summary: push.problem.message };
    const base = canonicalCredentials("base-pull", baseName, await this.#secret(baseName, signal));
    if ("problem" in base) return { ok: false, step: "secrets", summary: base.problem.message };
    const containerfile = await this.#containerfile(input, base.json, signal);
    if (typeof containerfile !== "string") return containerfile;
    await this.#ensure(this.#options.secrets, canonicalSecret("base-pull", id, baseName, base.json), signal);
    await this.#ensure(this.#options.secrets, canonicalSecret("push", id, pushName, push.json), signal);
    await this.#ensure(
      this.#options.configMaps,
      this.#configMap(id, containerfileConfigMapName(id.mosb), {
        [BuildDataKeys.containerfile]: containerfile,
      }),
      signal,
    );
    await this.#ensure(
      this.#options.configMaps,
      this.#configMap(id, machineConfigConfigMapName(id.mosb), {
        [BuildDataKeys.machineConfig]: encodeMachineConfig(input.machineConfig),
      }),
      signal,
    );
    return { ok: true };
  }

  async #containerfile(
    input: PrepareInput,
    baseCreds: string,
    signal: AbortSignal,
  ): Promise<string | PrepareResult> {
    const mc = input.machineConfig;
    const spec = mc.spec ?? {};
    const architecture = containerfileArchFor(process.arch) ?? "AMD64";
    const parsed = parseIgnition(spec.config ?? { ignition: { version: "3.4.0" } });
    if (!("config" in parsed)) {
      return {
        ok: false,
        step: "containerfile-validation",
        summary: `MachineConfig ${mc.metadata.name ?? ""} has an invalid Ignition config`,
      };
    }
    const baseImage = spec.osImageURL ?? "";
    const isOstreeBase = await this.#isOstree(baseImage, baseCreds, signal);
    if (typeof isOstreeBase !== "boolean") return isOstreeBase;
    let text: string;
    try {
      text = renderContainerfile({
        baseImage,
        ...(spec.baseOSExtensionsContainerImage
          ? { extensionsImage: spec.baseOSExtensionsContainerImage }
          : {}),
        extensions: spec.extensions ?? [],
        ...(spec.kernelType !== undefined ? { kernelType: spec.kernelType } : {}),
        renderedConfigName: mc.metadata.name ?? "",
        poolName: input.id.pool,
        mobInputsHash: input.id.mosb.slice(input.id.mosc.length + 1),
        userContainerfiles: (input.mosc.spec.containerFile ?? []) as UserContainerfile[],
        architecture,
        isOstreeBase,
        steps: contextStepsFor(parsed.config),
      });
    } catch (error) {
      if (!(error instanceof ContainerfileRenderError)) throw error;
      return {
        ok: false,
        step: "containerfile-validation",
        summary: `the Containerfile cannot be rendered: ${error.message}`,
      };
    }
    const issues = validateContainerfile(text);
    if (issues.length > 0) {
      return {
        ok: false,
        step: "containerfile-validation",
        summary: `invalid Containerfile: ${formatContainerfileIssues(issues)}`,
      };
    }
    return text;
  }

  async #isOstree(image: string, creds: string, signal: AbortSignal): Promise<boolean | PrepareResult> {
    if (image === "")
      return { ok: false, step: "base-image-pull", summary: "the MachineConfig has no osImageURL" };
    const registry = this.#options.registry?.(creds) ?? new RegistryClient({ dockerConfigJson: creds });
    try {
      const labels = (await registry.inspect(image, { signal })).labels;
      return OSTREE_LABELS.some((label) => labels[label] !== undefined && labels[label] !== "");
    } catch (error) {
      if (isRegistryError(error, "unauthorized")) {
        return {
          ok: false,
          step: "authentication",
          summary: `registry authentication failed for the base image ${image}`,
        };
      }
      if (isRegistryError(error, "not-found") || isRegistryError(error, "invalid-reference")) {
        return {
          ok: false,
          step: "base-image-pull",
          summary: `the base image ${image} cannot be found: ${(error as Error).message}`,
        };
      }
      throw error;
    }
  }

  async #secret(name: string, signal: AbortSignal): Promise<KubeObject | undefined> {
    try {
      return await this.#options.secrets.get(name, { namespace: MCO_NAMESPACE, signal });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  #configMap(id: BuildIdentity, name: string, data: Record<string, string>): KubeObject {
    return {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name,
        namespace: MCO_NAMESPACE,
        labels: buildObjectLabels(id, true),
        annotations: buildObjectAnnotations(id),
      },
      data,
    };
  }

  /** Creates the object; one left from an earlier attempt of the same build is replaced. */
  async #ensure(client: ResourceClient<KubeObject>, object: KubeObject, signal: AbortSignal): Promise<void> {
    try {
      await client.create(object, { signal });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const current = await client.get(object.metadata.name ?? "", { namespace: MCO_NAMESPACE, signal });
      const { resourceVersion, uid, ownerReferences } = current.metadata;
      const metadata = {
        ...object.metadata,
        ...(resourceVersion !== undefined ? { resourceVersion } : {}),
        ...(uid !== undefined ? { uid } : {}),
        ...(ownerReferences !== undefined ? { ownerReferences } : {}),
      };
      await client.update({ ...object, metadata }, { signal });
    }
  }
}

/** base64(gzip-9(JSON)) of the MachineConfig, as upstream's `mc-<mosb>` ConfigMap holds it. */
export function encodeMachineConfig(mc: MachineConfig): string {
  const { name, labels, annotations } = mc.metadata;
  const json = JSON.stringify({
    apiVersion: mc.apiVersion ?? "machineconfiguration.openshift.io/v1",
    kind: "MachineConfig",
    metadata: { name, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    spec: mc.spec ?? {},
  });
  return gzipSync(json, { level: 9 }).toString("base64");
}
