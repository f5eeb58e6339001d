import { randomBytes } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../api/object.ts";
import { FileLogSource } from "../apiserver/pods/log-source.ts";
import { at } from "../apiserver/registry/builtin/object-fields.ts";
import { eventually } from "../testing/eventually.ts";
import { NEEDS_COMMAND } from "./container-run.ts";
import { isAlive } from "./pod-state.ts";
import { startTestPlatform, statusOf, type TestPlatform } from "./test-platform.ts";

let t: TestPlatform;
const mountRoot = `/tmp/mob-test-${randomBytes(4).toString("hex")}`;
beforeAll(async () => {
  t = await startTestPlatform({ leaseIntervalMs: 200 });
});
afterAll(async () => {
  await t?.close();
  await rm(mountRoot, { recursive: true, force: true });
});

function runPod(name: string, spec: Record<string, unknown>): KubeObject {
  return t.stack.create("pods", {
    metadata: { name, namespace: "default" },
    spec: { restartPolicy: "Never", terminationGracePeriodSeconds: 1, ...spec },
  });
}

async function finished(name: string): Promise<Record<string, unknown>> {
  return eventually(() => {
    const status = statusOf(t.pod(name));
    expect(["Succeeded", "Failed"]).toContain(status.phase);
    return status;
  });
}

async function logOf(name: string, container: string): Promise<string> {
  const pod = t.pod(name);
  if (pod === undefined) throw new Error(`no pod ${name}`);
  const text = await readFile(new FileLogSource(join(t.dir, "kubelet", "logs")).path(pod, container), "utf8");
  return text.replace(/^\S+ /gm, "");
}

const sh = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: "example.invalid/tools:1",
  command: ["/bin/sh", "-c", script],
  ...extra,
});

describe("host kubelet", () => {
  it("registers its Node and renews its Lease", async () => {
    const node = t.stack.find("nodes", "mob-host");
    expect(node?.metadata.labels).toMatchObject({
      "node-role.kubernetes.io/control-plane": "",
      "kubernetes.io/hostname": "mob-host",
      "kubernetes.io/os": "linux",
    });
    expect(statusOf(node).addresses).toContainEqual({ type: "InternalIP", address: "127.0.0.1" });
    expect(statusOf(node).conditions).toContainEqual(
      expect.objectContaining({ type: "Ready", status: "True" }),
    );
    const renewTime = () =>
      at(t.stack.find("leases.coordination.k8s.io", "mob-host", "kube-node-lease"), "spec", "renewTime");
    const first = renewTime();
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await eventually(() => expect(renewTime()).not.toBe(first));
  });

  it("runs init containers in order before the containers, sharing an emptyDir", async () => {
    const mount = join(mountRoot, "work");
    runPod("init", {
      volumes: [{ name: "work", emptyDir: { medium: "Memory" } }],
      initContainers: [
        sh("first", `echo one > ${mount}/order`, { volumeMounts: [{ name: "work", mountPath: mount }] }),
        sh("second", `echo two >> ${mount}/order`, { volumeMounts: [{ name: "work", mountPath: mount }] }),
      ],
      containers: [
        sh("main", `cat ${mount}/order`, {
          volumeMounts: [{ name: "work", mountPath: mount, readOnly: true }],
        }),
      ],
    });
    const status = await finished("init");
    expect(status.phase).toBe("Succeeded");
    expect(await logOf("init", "main")).toBe("one\ntwo\n");
    // The files went to the volume through a private bind mount, not to the host's directory.
    expect(await readdir(mount)).toEqual([]);
    const init = status.initContainerStatuses as {
      name: string;
      state: { terminated: { reason: string } };
    }[];
    expect(init.map((c) => [c.name, c.state.terminated.reason])).toEqual([
      ["first", "Completed"],
      ["second", "Completed"],
    ]);
  });

  it("materialises configMap and secret volumes with items and modes, and env references", async () => {
    t.stack.create("configmaps", {
      metadata: { name: "cfg", namespace: "default" },
      data: { a: "alpha", b: "beta" },
    });
    t.stack.create("secrets", {
      metadata: { name: "sec", namespace: "default" },
      data: { token: Buffer.from("s3cret").toString("base64") },
    });
    const cfg = join(mountRoot, "cfg");
    const sec = join(mountRoot, "sec");
    runPod("volumes", {
      volumes: [
        { name: "cfg", configMap: { name: "cfg", items: [{ key: "b", path: "sub/b.txt", mode: 0o600 }] } },
        { name: "sec", secret: { secretName: "sec", defaultMode: 0o400 } },
      ],
      containers: [
        sh(
          "main",
          `cat ${cfg}/sub/b.txt; echo; stat -c %a ${cfg}/sub/b.txt; cat ${sec}/token; echo; stat -c %a ${sec}/token; ls ${cfg}; echo "$FROM_CM $FROM_SECRET $POD $NS $NODE $IP $PLAIN"`,
          {
            volumeMounts: [
              { name: "cfg", mountPath: cfg },
              { name: "sec", mountPath: sec, readOnly: true },
            ],
            env: [
              { name: "FROM_CM", valueFrom: { configMapKeyRef: { name: "cfg", key: "a" } } },
              { name: "FROM_SECRET", valueFrom: { secretKeyRef: { name: "sec", key: "token" } } },
              { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
              { name: "NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
              { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
              { name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
              { name: "PLAIN", value: "x-$(POD)" },
            ],
          },
        ),
      ],
    });
    expect((await finished("volumes")).phase).toBe("Succeeded");
    expect(await logOf("volumes", "main")).toBe(
      "beta\n600\ns3cret\n400\nsub\nalpha s3cret volumes default mob-host 127.0.0.1 x-volumes\n",
    );
  });

  it("reports exit codes, FallbackToLogsOnError messages and a missing command", async () => {
    runPod("fails", {
      containers: [
        sh("main", "echo first; echo last >&2; exit 7", {
          terminationMessagePolicy: "FallbackToLogsOnError",
        }),
        { name: "nocmd", image: "example.invalid/tools:1" },
      ],
    });
    const status = await finished("fails");
    expect(status.phase).toBe("Failed");
    const byName = Object.fromEntries(
      (status.containerStatuses as { name: string; state: { terminated: Record<string, unknown> } }[]).map(
        (c) => [c.name, c.state.terminated],
      ),
    );
    expect(byName.main).toMatchObject({ exitCode: 7, reason: "Error", message: "first\nlast" });
    expect(String(byName.main?.containerID)).toMatch(/^mob:\/\/\d+$/);
    expect(byName.nocmd).toMatchObject({ exitCode: 128, reason: "StartError", message: NEEDS_COMMAND });
  });

  it("kills the process group of a deleted pod", async () => {
    runPod("doomed", { containers: [sh("main", "sleep 30 & sleep 30; wait")] });
    const pid = await eventually(() => {
      const status = statusOf(t.pod("doomed"));
      expect(status.phase).toBe("Running");
      const [container] = status.containerStatuses as { containerID: string }[];
      return Number(container?.containerID.replace("mob://", ""));
    });
    expect(isAlive(pid)).toBe(true);
    t.stack.store.delete(t.stack.scope("pods", "default"), "doomed");
    await eventually(() => expect(isAlive(pid) || groupAlive(pid)).toBe(false));
  });
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
