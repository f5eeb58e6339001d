// The real kubectl (the gcloud dispatcher picks 1.32 from /version) against an in-process mob API
// server: the commands of apiserver-surface.md §2, run as a user would, asserting on their output.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLogLine } from "../../src/apiserver/pods/log-source.ts";
import { startTestApiServer, type TestApiServer } from "../../src/testing/api-server.ts";
import { eventually } from "../../src/testing/eventually.ts";

const KUBECTL = "/usr/bin/kubectl";
const UPSTREAM_CRDS = resolve(import.meta.dirname, "../../../shared/upstream/crds/v1");
const MCP_CRD = join(UPSTREAM_CRDS, "0000_80_machine-config_01_machineconfigpools.crd.yaml");
const MOSB_CRD = join(UPSTREAM_CRDS, "0000_80_machine-config_01_machineosbuilds.crd.yaml");
const COMMAND_TIMEOUT_MS = 30_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let api: TestApiServer;
let cacheDir: string;
let workDir: string;
const children: ChildProcess[] = [];

function env(): NodeJS.ProcessEnv {
  return { ...process.env, KUBECONFIG: join(api.dir, "kubeconfig") };
}

/** Runs kubectl to completion; never rejects (the exit code is in the result). */
function run(args: readonly string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<Run> {
  return new Promise((done) => {
    execFile(
      KUBECTL,
      [...args, "--cache-dir", cacheDir],
      { env: env(), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Runs kubectl and expects success; returns stdout. */
async function kubectl(...args: string[]): Promise<string> {
  const result = await run(args);
  if (result.code !== 0) {
    throw new Error(
      `kubectl ${args.join(" ")} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Writes a manifest (JSON is YAML) into the work directory and returns its path. */
async function manifest(name: string, object: unknown): Promise<string> {
  const path = join(workDir, `${name}.yaml`);
  await writeFile(path, JSON.stringify(object, null, 2));
  return path;
}

/** A kubectl table as its header cells and rows of cells (cells never contain spaces here). */
function table(stdout: string): { header: string[]; rows: string[][] } {
  const lines = stdout.split("\n").filter((line) => line.trim() !== "");
  const [head = "", ...rest] = lines;
  return { header: head.trim().split(/\s+/), rows: rest.map((line) => line.trim().split(/\s+/)) };
}

function row(stdout: string, name: string): Record<string, string> {
  const { header, rows } = table(stdout);
  const found = rows.find((cells) => cells[0] === name);
  if (found === undefined) throw new Error(`no row ${name} in:\n${stdout}`);
  return Object.fromEntries(header.map((column, i) => [column, found[i] ?? ""]));
}

/** Starts a long-running kubectl (a watch or a wait) and collects its output. */
function start(args: readonly string[]): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(KUBECTL, [...args, "--cache-dir", cacheDir], {
    env: env(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { child, output: () => out, exited };
}

const pod = (
  name: string,
  extra: Record<string, unknown> = {},
  containers = [{ name: "app", image: "busybox:1" }],
) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { containers, ...extra },
});

const node = (name: string) => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels: { "node-role.kubernetes.io/worker": "" } },
  status: {
    conditions: [
      { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
    ],
    nodeInfo: { kubeletVersion: "v1.32.0" },
  },
});

beforeAll(async () => {
  api = await startTestApiServer();
  cacheDir = await mkdtemp(join(tmpdir(), "mob-kubectl-cache-"));
  workDir = await mkdtemp(join(tmpdir(), "mob-kubectl-work-"));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await api?.close();
  await rm(cacheDir, { recursive: true, force: true });
  await rm(workDir, { recursive: true, force: true });
});

// Several kubectl runs per test; generous limits for a loaded 2-core machine.
describe("kubectl against mob", { timeout: 45_000 }, () => {
  it("reports which kubectl ran", async ({ annotate }) => {
    const version = JSON.parse(await kubectl("version", "-o", "json")) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string; minor: string };
    };
    await annotate(
      `kubectl client ${version.clientVersion.gitVersion}, server ${version.serverVersion.gitVersion}`,
    );
    expect(version.clientVersion.gitVersion).toMatch(/^v1\.32\./);
    expect(version.serverVersion.minor).toBe("32");
  });

  it("apply prints created, then configured, then unchanged", async () => {
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "default" },
      data: { a: "1" },
    };
    expect(await kubectl("apply", "-f", await manifest("settings", cm))).toBe("configmap/settings created\n");
    cm.data.a = "2";
    expect(await kubectl("apply", "-f", await manifest("settings", cm))).toBe(
      "configmap/settings configured\n",
    );
    expect(await kubectl("apply", "-f", await manifest("settings", cm))).toBe(
      "configmap/settings unchanged\n",
    );
    expect(await kubectl("get", "configmap", "settings", "-o", "jsonpath={.data.a}")).toBe("2");
  });

  it("get prints a table, YAML and JSONPath", async () => {
    const listed = await kubectl("get", "configmaps");
    expect(table(listed).header).toEqual(["NAME", "DATA", "AGE"]);
    expect(row(listed, "settings")).toMatchObject({ NAME: "settings", DATA: "1" });
    expect(row(listed, "settings").AGE).toMatch(/^\d+s$/);

    const yaml = await kubectl("get", "configmap", "settings", "-o", "yaml");
    expect(yaml).toMatch(/^apiVersion: v1$/m);
    expect(yaml).toMatch(/^kind: ConfigMap$/m);
    expect(yaml).toMatch(/^ {2}a: "2"$/m);
    expect(yaml).toMatch(/^ {2}resourceVersion: "\d+"$/m);
    expect(yaml).toMatch(/^ {2}uid: [0-9a-f-]{36}$/m);

    expect(await kubectl("get", "configmap", "settings", "-o", "jsonpath={.metadata.name}={.data.a}")).toBe(
      "settings=2",
    );
    expect(await kubectl("get", "namespaces", "-o", "jsonpath={.items[*].metadata.name}")).toBe(
      "default kube-node-lease kube-public kube-system",
    );
  });

  it("get -w streams an object created by a parallel apply", async () => {
    const watch = start(["get", "configmaps", "-w"]);
    await eventually(() => expect(watch.output()).toMatch(/settings/), { timeoutMs: 15_000 });
    expect(watch.output()).not.toMatch(/watched/);
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "watched", namespace: "default" },
      data: { x: "1", y: "2" },
    };
    expect(await kubectl("apply", "-f", await manifest("watched", cm))).toBe("configmap/watched created\n");
    await eventually(() => expect(watch.output()).toMatch(/^watched\s+2\s+\d+s$/m), { timeoutMs: 15_000 });
    expect(watch.child.exitCode).toBeNull();
    watch.child.kill("SIGTERM");
    await watch.exited;
  });

  it("label and annotate", async () => {
    expect(await kubectl("label", "configmap", "settings", "tier=web")).toBe("configmap/settings labeled\n");
    expect(await kubectl("annotate", "configmap", "settings", "owner=team-a")).toBe(
      "configmap/settings annotated\n",
    );
    expect(await kubectl("get", "configmaps", "-l", "tier=web", "-o", "name")).toBe("configmap/settings\n");
    expect(
      await kubectl("get", "configmap", "settings", "-o", "jsonpath={.metadata.annotations.owner}"),
    ).toBe("team-a");
    expect(await kubectl("label", "configmap", "settings", "tier-")).toBe("configmap/settings unlabeled\n");
    expect(await kubectl("get", "configmaps", "-l", "tier=web", "-o", "name")).toBe("");
  });

  it("patch --type merge, json and strategic", async () => {
    expect(
      await kubectl("patch", "configmap", "settings", "--type", "merge", "-p", '{"data":{"b":"3"}}'),
    ).toBe("configmap/settings patched\n");
    expect(
      await kubectl(
        "patch",
        "configmap",
        "settings",
        "--type",
        "json",
        "-p",
        '[{"op":"replace","path":"/data/a","value":"9"}]',
      ),
    ).toBe("configmap/settings patched\n");
    expect(await kubectl("get", "configmap", "settings", "-o", "jsonpath={.data}")).toBe('{"a":"9","b":"3"}');

    const web = pod("web", {}, [
      { name: "c1", image: "nginx:1" },
      { name: "c2", image: "busybox:1" },
    ]);
    expect(await kubectl("apply", "-f", await manifest("web", web))).toBe("pod/web created\n");
    expect(
      await kubectl(
        "patch",
        "pod",
        "web",
        "--type",
        "strategic",
        "-p",
        '{"spec":{"containers":[{"name":"c2","image":"busybox:2"}]}}',
      ),
    ).toBe("pod/web patched\n");
    expect(
      await kubectl(
        "get",
        "pod",
        "web",
        "-o",
        "jsonpath={.spec.containers[*].name}={.spec.containers[*].image}",
      ),
    ).toBe("c1 c2=nginx:1 busybox:2");
    // The default type is strategic too.
    await kubectl("patch", "pod", "web", "-p", '{"metadata":{"labels":{"app":"web"}}}');
    expect(await kubectl("get", "pod", "web", "-o", "jsonpath={.metadata.labels.app}")).toBe("web");
  });

  it("get pods and describe a pod", async () => {
    const listed = await kubectl("get", "pods");
    expect(table(listed).header).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    expect(row(listed, "web")).toMatchObject({ READY: "0/2", STATUS: "Pending", RESTARTS: "0" });

    const described = await kubectl("describe", "pod", "web");
    expect(described).toMatch(/^Name:\s+web$/m);
    expect(described).toMatch(/^Namespace:\s+default$/m);
    expect(described).toMatch(/^Labels:\s+app=web$/m);
    expect(described).toMatch(/^Status:\s+Pending$/m);
    expect(described).toMatch(/^ {2}c1:$/m);
    expect(described).toMatch(/^ {4}Image:\s+nginx:1$/m);
    expect(described).toMatch(/^ {4}Image:\s+busybox:2$/m);
  });

  it("logs reads the container log the kubelet wrote", async () => {
    await kubectl("apply", "-f", await manifest("logger", pod("logger")));
    const startedAt = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const status = {
      status: {
        phase: "Running",
        containerStatuses: [
          {
            name: "app",
            image: "busybox:1",
            imageID: "",
            ready: true,
            restartCount: 0,
            started: true,
            state: { running: { startedAt } },
          },
        ],
      },
    };
    expect(
      await kubectl(
        "patch",
        "pod",
        "logger",
        "--subresource=status",
        "--type=merge",
        "-p",
        JSON.stringify(status),
      ),
    ).toBe("pod/logger patched\n");
    const uid = await kubectl("get", "pod", "logger", "-o", "jsonpath={.metadata.uid}");
    const dir = join(api.dir, "kubelet", "logs", `default_logger_${uid}`);
    await mkdir(dir, { recursive: true });
    const t0 = new Date(Date.now() - 2000);
    const t1 = new Date(Date.now() - 1000);
    await writeFile(join(dir, "app.log"), formatLogLine(t0, "hello") + formatLogLine(t1, "world"));

    expect(await kubectl("logs", "logger")).toBe("hello\nworld\n");
    expect(await kubectl("logs", "logger", "--tail=1")).toBe("world\n");
    expect(await kubectl("logs", "logger", "-c", "app", "--timestamps")).toBe(
      `${t0.toISOString()} hello\n${t1.toISOString()} world\n`,
    );
    // kubectl picks the first of several containers itself; web's containers have not started.
    const waiting = await run(["logs", "web"]);
    expect(waiting.code).not.toBe(0);
    expect(waiting.stderr).toMatch(/Defaulted container "c1" out of: c1, c2/);
    expect(waiting.stderr).toMatch(/container "c1" in pod "web" is waiting to start: ContainerCreating/);
  });

  it("wait --for=condition on a pod condition set later through the status subresource", async () => {
    await kubectl("apply", "-f", await manifest("waiter", pod("waiter")));
    const wait = start(["wait", "--for=condition=Ready", "pod/waiter", "--timeout=25s"]);
    await new Promise((r) => setTimeout(r, 500));
    expect(wait.child.exitCode).toBeNull();
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const status = { status: { conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }] } };
    await kubectl(
      "patch",
      "pod",
      "waiter",
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify(status),
    );
    expect(await wait.exited).toBe(0);
    expect(wait.output()).toBe("pod/waiter condition met\n");
  });

  it("nodes: get, cordon, describe", async () => {
    await kubectl("apply", "-f", await manifest("n1", node("n1")));
    await kubectl("apply", "-f", await manifest("n2", node("n2")));
    let nodes = await kubectl("get", "nodes");
    expect(table(nodes).header).toEqual(["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
    expect(row(nodes, "n1")).toMatchObject({ STATUS: "Ready", ROLES: "worker", VERSION: "v1.32.0" });

    expect(await kubectl("cordon", "n1")).toBe("node/n1 cordoned\n");
    nodes = await kubectl("get", "nodes");
    expect(row(nodes, "n1").STATUS).toBe("Ready,SchedulingDisabled");
    expect(row(nodes, "n2").STATUS).toBe("Ready");
    expect(await kubectl("get", "node", "n1", "-o", "jsonpath={.spec.unschedulable}")).toBe("true");

    await kubectl("apply", "-f", await manifest("on-n1", pod("on-n1", { nodeName: "n1" })));
    const described = await kubectl("describe", "node", "n1");
    expect(described).toMatch(/^Name:\s+n1$/m);
    expect(described).toMatch(/^Roles:\s+worker$/m);
    expect(described).toMatch(/^Unschedulable:\s+true$/m);
    expect(described).toMatch(/^ {2}Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status$/m);
    expect(described).toMatch(/^Non-terminated Pods:\s+\(1 in total\)$/m);
    expect(described).toMatch(/^ {2}default\s+on-n1\s/m);

    expect(await kubectl("uncordon", "n1")).toBe("node/n1 uncordoned\n");
    expect(row(await kubectl("get", "nodes"), "n1").STATUS).toBe("Ready");
  });

  it("drain --ignore-daemonsets --force evicts the node's pods", async () => {
    await kubectl("apply", "-f", await manifest("d1", pod("d1", { nodeName: "n2" })));
    await kubectl("apply", "-f", await manifest("d2", pod("d2", { nodeName: "n2" })));
    const drained = await run(["drain", "n2", "--ignore-daemonsets", "--force", "--timeout=25s"]);
    expect(drained.code, drained.stderr).toBe(0);
    const output = drained.stdout + drained.stderr;
    expect(output).toMatch(/node\/n2 cordoned/);
    expect(output).toMatch(/evicting pod default\/d1/);
    expect(output).toMatch(/pod\/d1 evicted/);
    expect(output).toMatch(/pod\/d2 evicted/);
    expect(output).toMatch(/node\/n2 drained/);
    expect(await kubectl("get", "pods", "-A", "--field-selector", "spec.nodeName=n2", "-o", "name")).toBe("");
    expect(row(await kubectl("get", "nodes"), "n2").STATUS).toBe("Ready,SchedulingDisabled");
    // Pods on other nodes stay.
    expect(await kubectl("get", "pod", "on-n1", "-o", "name")).toBe("pod/on-n1\n");
  });

  it("delete --cascade=foreground removes a blocking dependent, then the owner", async () => {
    await kubectl(
      "apply",
      "-f",
      await manifest("owner", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "owner" } }),
    );
    const uid = await kubectl("get", "configmap", "owner", "-o", "jsonpath={.metadata.uid}");
    const dependent = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "dependent",
        ownerReferences: [
          { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid, blockOwnerDeletion: true },
        ],
      },
    };
    await kubectl("apply", "-f", await manifest("dependent", dependent));
    expect(await kubectl("delete", "configmap", "owner", "--cascade=foreground", "--timeout=25s")).toBe(
      'configmap "owner" deleted\n',
    );
    const gone = await run(["get", "configmap", "owner", "dependent", "--ignore-not-found", "-o", "name"]);
    expect(gone).toMatchObject({ code: 0, stdout: "" });
  });

  describe("Machine Config CRDs from upstream", () => {
    it("apply the upstream CRDs and wait until they are Established", async () => {
      expect(await kubectl("apply", "-f", MCP_CRD)).toBe(
        "customresourcedefinition.apiextensions.k8s.io/machineconfigpools.machineconfiguration.openshift.io created\n",
      );
      expect(await kubectl("apply", "-f", MOSB_CRD)).toBe(
        "customresourcedefinition.apiextensions.k8s.io/machineosbuilds.machineconfiguration.openshift.io created\n",
      );
      expect(
        await kubectl(
          "wait",
          "--for=condition=Established",
          "crd/machineconfigpools.machineconfiguration.openshift.io",
          "crd/machineosbuilds.machineconfiguration.openshift.io",
          "--timeout=20s",
        ),
      ).toBe(
        "customresourcedefinition.apiextensions.k8s.io/machineconfigpools.machineconfiguration.openshift.io condition met\n" +
          "customresourcedefinition.apiextensions.k8s.io/machineosbuilds.machineconfiguration.openshift.io condition met\n",
      );
      expect(await kubectl("apply", "-f", MCP_CRD)).toBe(
        "customresourcedefinition.apiextensions.k8s.io/machineconfigpools.machineconfiguration.openshift.io unchanged\n",
      );
    });

    it("api-resources lists built-in and CRD kinds", async () => {
      const resources = await kubectl("api-resources");
      expect(table(resources).header).toEqual(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
      expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
      expect(resources).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
      expect(resources).toMatch(/^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
      expect(resources).toMatch(
        /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
      );
      expect(resources).toMatch(
        /^machineconfigpools\s+mcp\s+machineconfiguration\.openshift\.io\/v1\s+false\s+MachineConfigPool$/m,
      );
      expect(resources).toMatch(
        /^machineosbuilds\s+machineconfiguration\.openshift\.io\/v1\s+false\s+MachineOSBuild$/m,
      );
    });

    it("explain describes a CRD field from its schema", async () => {
      const paused = await kubectl("explain", "machineconfigpools.spec.paused");
      expect(paused).toMatch(/^GROUP:\s+machineconfiguration\.openshift\.io$/m);
      expect(paused).toMatch(/^KIND:\s+MachineConfigPool$/m);
      expect(paused).toMatch(/^FIELD: paused <boolean>$/m);
      expect(paused).toMatch(/paused specifies whether or not changes to this machine config pool should/);

      const spec = await kubectl("explain", "machineosbuilds.spec");
      expect(spec).toMatch(/^FIELD: spec <Object>$/m);
      expect(spec).toMatch(/^ {2}renderedImagePushSpec\s+<string> -required-$/m);
    });

    it("get mcp prints upstream's columns with the pool's values", async () => {
      const mcp = {
        apiVersion: "machineconfiguration.openshift.io/v1",
        kind: "MachineConfigPool",
        metadata: { name: "worker" },
        spec: {
          machineConfigSelector: { matchLabels: { "machineconfiguration.openshift.io/role": "worker" } },
          nodeSelector: { matchLabels: { "node-role.kubernetes.io/worker": "" } },
        },
      };
      expect(await kubectl("apply", "-f", await manifest("mcp", mcp))).toBe(
        "machineconfigpool.machineconfiguration.openshift.io/worker created\n",
      );
      const columns = [
        "NAME",
        "CONFIG",
        "UPDATED",
        "UPDATING",
        "DEGRADED",
        "MACHINECOUNT",
        "READYMACHINECOUNT",
        "UPDATEDMACHINECOUNT",
        "DEGRADEDMACHINECOUNT",
        "AGE",
      ];
      // No status yet: every status column is blank.
      const empty = (await kubectl("get", "mcp")).split("\n");
      expect(empty[0]?.trim().split(/\s+/)).toEqual(columns);
      expect(empty[1]).toMatch(/^worker\s+\d+s$/);

      const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      const condition = (type: string, status: string) => ({
        type,
        status,
        lastTransitionTime: now,
        reason: "",
        message: "",
      });
      const status = {
        status: {
          configuration: { name: "rendered-worker-1234abcd" },
          conditions: [
            condition("Updated", "True"),
            condition("Updating", "False"),
            condition("Degraded", "False"),
          ],
          machineCount: 3,
          readyMachineCount: 2,
          updatedMachineCount: 1,
          degradedMachineCount: 0,
          unavailableMachineCount: 1,
          observedGeneration: 1,
        },
      };
      expect(
        await kubectl(
          "patch",
          "mcp",
          "worker",
          "--subresource=status",
          "--type=merge",
          "-p",
          JSON.stringify(status),
        ),
      ).toBe("machineconfigpool.machineconfiguration.openshift.io/worker patched\n");
      const listed = await kubectl("get", "mcp");
      expect(table(listed).header).toEqual(columns);
      expect(row(listed, "worker")).toMatchObject({
        CONFIG: "rendered-worker-1234abcd",
        UPDATED: "True",
        UPDATING: "False",
        DEGRADED: "False",
        MACHINECOUNT: "3",
        READYMACHINECOUNT: "2",
        UPDATEDMACHINECOUNT: "1",
        DEGRADEDMACHINECOUNT: "0",
      });
      expect(row(listed, "worker").AGE).toMatch(/^\d+s$/);

      // Strategic merge is not for CRs: kubectl reports the 415.
      const strategic = await run([
        "patch",
        "mcp",
        "worker",
        "--type",
        "strategic",
        "-p",
        '{"spec":{"paused":true}}',
      ]);
      expect(strategic.code).not.toBe(0);
      expect(strategic.stderr).toMatch(/strategic-merge-patch\+json is not supported/);
      expect(
        await kubectl("patch", "mcp", "worker", "--type", "merge", "-p", '{"spec":{"paused":true}}'),
      ).toBe("machineconfigpool.machineconfiguration.openshift.io/worker patched\n");
      expect(
        await kubectl("get", "mcp", "worker", "-o", "jsonpath={.spec.paused} {.metadata.generation}"),
      ).toBe("true 2");
    });

    it("get machineosbuilds prints upstream's columns with the build's values", async () => {
      const mosb = {
        apiVersion: "machineconfiguration.openshift.io/v1",
        kind: "MachineOSBuild",
        metadata: { name: "worker-build-1" },
        spec: {
          machineConfig: { name: "rendered-worker-1234abcd" },
          machineOSConfig: { name: "worker" },
          renderedImagePushSpec: "registry.example.com/mco/os-image:worker-1",
        },
      };
      expect(await kubectl("apply", "-f", await manifest("mosb", mosb))).toBe(
        "machineosbuild.machineconfiguration.openshift.io/worker-build-1 created\n",
      );
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
      const condition = (type: string, status: string, reason: string) => ({
        type,
        status,
        reason,
        message: `${type} is ${status}`,
        lastTransitionTime: now,
      });
      const status = {
        status: {
          conditions: [
            condition("Prepared", "True", "Prepared"),
            condition("Building", "True", "Building"),
            condition("Succeeded", "False", "Building"),
            condition("Interrupted", "False", "Building"),
            condition("Failed", "False", "Building"),
          ],
          buildStart: now,
        },
      };
      await kubectl(
        "patch",
        "machineosbuilds",
        "worker-build-1",
        "--subresource=status",
        "--type=merge",
        "-p",
        JSON.stringify(status),
      );
      const listed = await kubectl("get", "machineosbuilds");
      expect(table(listed).header).toEqual([
        "NAME",
        "PREPARED",
        "BUILDING",
        "SUCCEEDED",
        "INTERRUPTED",
        "FAILED",
        "AGE",
      ]);
      expect(row(listed, "worker-build-1")).toMatchObject({
        PREPARED: "True",
        BUILDING: "True",
        SUCCEEDED: "False",
        INTERRUPTED: "False",
        FAILED: "False",
      });
    });

    // Upstream's CEL rule on the whole spec (self == oldSelf), evaluated by mob's CEL validator.
    it("refuses a change to a MachineOSBuild's immutable spec (CEL self == oldSelf)", async () => {
      const changed = await run([
        "patch",
        "machineosbuilds",
        "worker-build-1",
        "--type",
        "merge",
        "-p",
        '{"spec":{"renderedImagePushSpec":"registry.example.com/mco/os-image:other"}}',
      ]);
      expect(changed.code).not.toBe(0);
      expect(changed.stderr).toMatch(/machineOSBuildSpec is immutable once set/);
    });
  });
});
