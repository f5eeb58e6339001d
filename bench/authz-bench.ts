// Authorization overhead: the same ConfigMap create run once with the admin token (system:masters,
// no RBAC lookup) and once with a ServiceAccount token that RBAC allows through a RoleBinding, on the
// same server; the figure is the server CPU time per write of the second over the first.

import { closedLoop, Loader } from "./http-load.ts";
import { type Figure, ratio } from "./report.ts";
import { cpuSeconds, type ServerProcess } from "./server-process.ts";

const NAMESPACE = "bench-authz";
const WRITES = 5000;

async function setUp(admin: Loader): Promise<string> {
  const rbac = "/apis/rbac.authorization.k8s.io/v1";
  await admin.send("POST", "/api/v1/namespaces", { metadata: { name: NAMESPACE } });
  await admin.send("POST", `/api/v1/namespaces/${NAMESPACE}/serviceaccounts`, {
    metadata: { name: "writer" },
  });
  await admin.send("POST", `${rbac}/namespaces/${NAMESPACE}/roles`, {
    metadata: { name: "writer" },
    rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["create", "get", "list"] }],
  });
  await admin.send("POST", `${rbac}/namespaces/${NAMESPACE}/rolebindings`, {
    metadata: { name: "writer" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "writer" },
    subjects: [{ kind: "ServiceAccount", name: "writer", namespace: NAMESPACE }],
  });
  const res = await admin.send("POST", `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/writer/token`, {
    spec: { expirationSeconds: 3600 },
  });
  return String(JSON.parse(res.text).status.token);
}

async function cpuPerWrite(server: ServerProcess, loader: Loader, prefix: string): Promise<number> {
  const before = await cpuSeconds(server.pid);
  const run = await closedLoop(WRITES, 32, async (i) => {
    const res = await loader.send("POST", `/api/v1/namespaces/${NAMESPACE}/configmaps`, {
      metadata: { name: `${prefix}-${i}` },
      data: { payload: "x".repeat(64) },
    });
    return res.status === 201;
  });
  if (run.errors > 0) throw new Error(`${run.errors} of the ${prefix} writes failed`);
  return (((await cpuSeconds(server.pid)) - before) / run.count) * 1e6;
}

export async function authorizationOverhead(server: ServerProcess): Promise<Figure> {
  const admin = new Loader(server, 32);
  const writer = new Loader({ ...server, token: await setUp(admin) }, 32);
  try {
    // Warm both paths first (JIT, token cache), then measure each once.
    await cpuPerWrite(server, admin, "warm-admin");
    await cpuPerWrite(server, writer, "warm-sa");
    // A-B-B-A, so that drift over the run (the store grows) weighs on both alike.
    const admin1 = await cpuPerWrite(server, admin, "admin-1");
    const sa1 = await cpuPerWrite(server, writer, "sa-1");
    const sa2 = await cpuPerWrite(server, writer, "sa-2");
    const admin2 = await cpuPerWrite(server, admin, "admin-2");
    const adminMicros = (admin1 + admin2) / 2;
    const saMicros = (sa1 + sa2) / 2;
    const overhead = saMicros / adminMicros - 1;
    return {
      name: "authorization overhead: create ConfigMap as an RBAC-bound ServiceAccount vs the admin",
      value: `${Math.round(saMicros)} vs ${Math.round(adminMicros)} µs server CPU per write (${(overhead * 100).toFixed(1)}%)`,
      goal: "≤ 10%",
      ratio: ratio(1.1, 1 + Math.max(overhead, 0)),
    };
  } finally {
    admin.close();
    writer.close();
  }
}
