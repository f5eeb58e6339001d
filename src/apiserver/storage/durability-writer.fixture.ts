// Child process for sqlite-durability.test.ts: creates ConfigMaps in the database given as argv[2]
// until killed, printing "name resourceVersion" after each create has returned (committed).

import { writeSync } from "node:fs";
import { SqliteStorage } from "./sqlite-storage.ts";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: durability-writer.fixture.ts <database>");
const storage = new SqliteStorage({ path });
// A bound, in case the parent dies before it can kill this process.
for (let i = 0; i < 1_000_000; i++) {
  const name = `cm-${i}`;
  const created = storage.create(
    { resource: "configmaps", namespace: "default", name },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: { i: String(i) } },
  );
  writeSync(1, `${name} ${created.metadata.resourceVersion ?? ""}\n`);
}
