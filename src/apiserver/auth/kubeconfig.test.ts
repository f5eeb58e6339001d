import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { writeKubeconfig } from "./kubeconfig.ts";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mob-kubeconfig-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeKubeconfig", () => {
  it("writes a kubeconfig that yaml and client-node read, mode 0600", async () => {
    const path = join(dir, "nested", "kubeconfig");
    await writeKubeconfig(path, { server: "https://127.0.0.1:6443", caCertPem: CA, token: "t0ken" });
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const document: unknown = parse(await readFile(path, "utf8"));
    expect(document).toMatchObject({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "mob",
      clusters: [
        {
          name: "mob",
          cluster: {
            server: "https://127.0.0.1:6443",
            "certificate-authority-data": Buffer.from(CA).toString("base64"),
          },
        },
      ],
      users: [{ name: "admin", user: { token: "t0ken" } }],
      contexts: [{ name: "mob", context: { cluster: "mob", user: "admin" } }],
    });

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(path);
    expect(kubeConfig.getCurrentContext()).toBe("mob");
    expect(kubeConfig.getCurrentCluster()?.server).toBe("https://127.0.0.1:6443");
    expect(kubeConfig.getCurrentCluster()?.caData).toBe(Buffer.from(CA).toString("base64"));
    expect(kubeConfig.getCurrentUser()?.token).toBe("t0ken");
  });

  it("names the user and context as asked", async () => {
    const path = join(dir, "kubeconfig");
    await writeKubeconfig(path, {
      server: "https://127.0.0.1:1",
      caCertPem: CA,
      token: "x",
      user: "ops",
      context: "lab",
    });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(path);
    expect(kubeConfig.getCurrentContext()).toBe("lab");
    expect(kubeConfig.getCurrentUser()?.name).toBe("ops");
  });
});
