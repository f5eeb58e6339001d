// The build Job `build-<mosb>`, rendered purely from the build's identity and the deployment's
// options (golden-tested in job.test.ts). Three steps, each a container:
//   init `image-build`   prepare the context (`mob build prepare-context`) and `buildah bud`; mounts
//                        the Containerfile and MachineConfig ConfigMaps and the base pull secret;
//   init `image-push`    `buildah push --digestfile`; the ONLY container that sees the push secret;
//   `report-digest`      checks the digest file and ends; its terminationMessagePath is the digest
//                        file, so the digest comes back in the pod's container status.
// The build controller turns that termination message into `digest-<mosb>` itself. Build pods need
// no Kubernetes credentials at all (no service account token is mounted) — upstream's pod writes
// the ConfigMap with its own token instead.

import { BuildContainers, BuildDataKeys, MCO_NAMESPACE, ObjectNames } from "../../api/constants.ts";
import type { KubeObject, OwnerReference } from "../../api/object.ts";
import { DOCKER_CONFIG_JSON_KEY } from "../../registry/pull-secret.ts";
import { parseImageReference } from "../../registry/reference.ts";
import { type BuildIdentity, buildObjectAnnotations, buildObjectLabels } from "./labels.ts";
import {
  basePullSecretName,
  containerfileConfigMapName,
  finalPushSecretName,
  jobName,
  machineConfigConfigMapName,
} from "./names.ts";

export type BuildahStorage = { kind: "hostPath"; path: string } | { kind: "emptyDir" };

export interface BuildJobOptions {
  /** `mob` on a cluster image; the absolute path of bin/mob on the host in embedded mode. */
  mobCommand: string;
  /** Image of the build containers (not pulled by mob's host kubelet). */
  builderImage: string;
  imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  /** hostPath keeps buildah's layer cache across builds (embedded); emptyDir is upstream's. */
  buildahStorage: BuildahStorage;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  serviceAccountName?: string;
  backoffLimit?: number;
}

export interface BuildJobInputs {
  id: BuildIdentity;
  /** The MOSB, owner of the Job. */
  owner: OwnerReference;
  /** `<repo>:<mosb>`, where the image is pushed. */
  tag: string;
  /** Images the build pulls (base, extensions); loopback registries are reached without TLS. */
  pulledImages: readonly string[];
}

/** Where things are inside the build containers. */
export const BuildPaths = {
  containerfileDir: "/tmp/containerfile",
  machineConfigDir: "/tmp/machineconfig",
  context: "/tmp/context",
  baseCreds: "/tmp/base-image-pull-creds",
  pushCreds: "/tmp/final-image-push-creds",
  storage: "/var/lib/mob-buildah",
  done: "/tmp/done",
  digestFile: "/tmp/done/digestfile",
} as const;

export const REPORT_DIGEST_CONTAINER = "report-digest";
export const IMAGE_PUSH_CONTAINER = "image-push";

/** A line the build scripts print before each step; the failure classifier looks for it. */
export const STEP_MARKER = "[mob-build] step:";

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d+)?$/;

function tlsVerify(images: readonly string[]): boolean {
  return !images.some((image) => {
    try {
      return LOOPBACK.test(parseImageReference(image).registry);
    } catch {
      return false;
    }
  });
}

function buildah(sub: string): string {
  const s = BuildPaths.storage;
  return `buildah --root ${s}/root --runroot ${s}/runroot --storage-driver vfs ${sub}`;
}

function buildScript(options: BuildJobOptions, inputs: BuildJobInputs): string {
  const mob = options.mobCommand.includes("/") ? `'${options.mobCommand}'` : options.mobCommand;
  const p = BuildPaths;
  return [
    "set -eu",
    `echo '${STEP_MARKER} prepare' >&2`,
    `${mob} build prepare-context --machineconfig ${p.machineConfigDir}/${BuildDataKeys.machineConfig} --containerfile ${p.containerfileDir}/${BuildDataKeys.containerfile} --out ${p.context}`,
    `echo '${STEP_MARKER} build' >&2`,
    `exec ${buildah("bud")} --isolation chroot --layers --tls-verify=${tlsVerify(inputs.pulledImages)} --authfile ${p.baseCreds}/config.json -t "$TAG" -f ${p.context}/${BuildDataKeys.containerfile} ${p.context}`,
  ].join("\n");
}

function pushScript(inputs: BuildJobInputs): string {
  const p = BuildPaths;
  return [
    "set -eu",
    `echo '${STEP_MARKER} push' >&2`,
    `exec ${buildah("push")} --tls-verify=${tlsVerify([inputs.tag])} --authfile ${p.pushCreds}/config.json --digestfile ${p.digestFile} "$TAG" "docker://$TAG"`,
  ].join("\n");
}

const REPORT_SCRIPT = `test -s ${BuildPaths.digestFile} || { echo 'no digest was written' >&2; exit 1; }`;

function secretVolume(name: string, secretName: string): Record<string, unknown> {
  return {
    name,
    secret: { secretName, items: [{ key: DOCKER_CONFIG_JSON_KEY, path: "config.json" }] },
  };
}

function volumes(options: BuildJobOptions, id: BuildIdentity): Record<string, unknown>[] {
  const storage =
    options.buildahStorage.kind === "hostPath"
      ? { hostPath: { path: options.buildahStorage.path, type: "DirectoryOrCreate" } }
      : { emptyDir: {} };
  return [
    { name: "containerfile", configMap: { name: containerfileConfigMapName(id.mosb) } },
    { name: "machineconfig", configMap: { name: machineConfigConfigMapName(id.mosb) } },
    secretVolume("base-image-pull-creds", basePullSecretName(id.mosb)),
    secretVolume("final-image-push-creds", finalPushSecretName(id.mosb)),
    { name: "buildah-storage", ...storage },
    { name: "context", emptyDir: {} },
    { name: "done", emptyDir: { medium: "Memory" } },
  ];
}

const mount = (name: string, mountPath: string, readOnly = false) => ({
  name,
  mountPath,
  ...(readOnly ? { readOnly } : {}),
});

function container(options: BuildJobOptions, name: string, script: string, extra: Record<string, unknown>) {
  return {
    name,
    image: options.builderImage,
    imagePullPolicy: options.imagePullPolicy ?? "Always",
    command: ["/bin/sh", "-c", script],
    terminationMessagePolicy: "FallbackToLogsOnError",
    ...extra,
  };
}

export function renderBuildJob(options: BuildJobOptions, inputs: BuildJobInputs): KubeObject {
  const { id } = inputs;
  const p = BuildPaths;
  const env = [
    { name: "TAG", value: inputs.tag },
    { name: "BUILDAH_ISOLATION", value: "chroot" },
    { name: "STORAGE_DRIVER", value: "vfs" },
  ];
  const labels = buildObjectLabels(id, false);
  const imageBuild = container(options, BuildContainers.imageBuild, buildScript(options, inputs), {
    env: [...env, { name: "BASE_IMAGE_PULL_CREDS", value: `${p.baseCreds}/config.json` }],
    volumeMounts: [
      mount("containerfile", p.containerfileDir, true),
      mount("machineconfig", p.machineConfigDir, true),
      mount("base-image-pull-creds", p.baseCreds, true),
      mount("buildah-storage", p.storage),
      mount("context", p.context),
    ],
  });
  const imagePush = container(options, IMAGE_PUSH_CONTAINER, pushScript(inputs), {
    env: [...env, { name: "FINAL_IMAGE_PUSH_CREDS", value: `${p.pushCreds}/config.json` }],
    volumeMounts: [
      mount("final-image-push-creds", p.pushCreds, true),
      mount("buildah-storage", p.storage),
      mount("done", p.done),
    ],
  });
  const reportDigest = container(options, REPORT_DIGEST_CONTAINER, REPORT_SCRIPT, {
    terminationMessagePath: p.digestFile,
    volumeMounts: [mount("done", p.done, true)],
  });
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: jobName(id.mosb),
      namespace: MCO_NAMESPACE,
      labels,
      annotations: buildObjectAnnotations(id),
      ownerReferences: [inputs.owner],
    },
    spec: {
      backoffLimit: options.backoffLimit ?? 3,
      completions: 1,
      parallelism: 1,
      template: {
        metadata: { labels, annotations: buildObjectAnnotations(id) },
        spec: {
          restartPolicy: "Never",
          terminationGracePeriodSeconds: 10,
          serviceAccountName: options.serviceAccountName ?? ObjectNames.machineOSBuilder,
          automountServiceAccountToken: false,
          ...(options.nodeName !== undefined ? { nodeName: options.nodeName } : {}),
          ...(options.nodeSelector !== undefined ? { nodeSelector: options.nodeSelector } : {}),
          initContainers: [imageBuild, imagePush],
          containers: [reportDigest],
          volumes: volumes(options, id),
        },
      },
    },
  };
}
