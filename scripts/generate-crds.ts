// Writes deploy/crds/<plural>.<group>.yaml from src/api/ and removes stale files there.
// Run: node scripts/generate-crds.ts (or npm run generate).

import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CRD_DIRECTORY, renderCRDManifests } from "../src/api/crd-manifests.ts";

const directory = resolve(import.meta.dirname, "..", CRD_DIRECTORY);
mkdirSync(directory, { recursive: true });
const files = renderCRDManifests();
for (const name of readdirSync(directory)) {
  if (!files.has(name)) {
    rmSync(join(directory, name));
    console.log(`removed ${CRD_DIRECTORY}/${name}`);
  }
}
for (const [name, content] of files) {
  writeFileSync(join(directory, name), content);
  console.log(`wrote ${CRD_DIRECTORY}/${name}`);
}
