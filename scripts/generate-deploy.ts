// Writes deploy/ (everything but deploy/crds/, see generate-crds.ts) from src/deploy/ and removes
// stale generated files there. Run after generate-crds.ts: kustomization.yaml lists the CRD files.
// Run: node scripts/generate-deploy.ts (or npm run generate).

import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CRD_DIRECTORY } from "../src/api/crd-manifests.ts";
import { DEPLOY_DIRECTORY, renderDeployFiles } from "../src/deploy/manifests.ts";

const root = resolve(import.meta.dirname, "..");
const directory = join(root, DEPLOY_DIRECTORY);
const crdFiles = readdirSync(join(root, CRD_DIRECTORY)).filter((name) => name.endsWith(".yaml"));
const files = renderDeployFiles(crdFiles);
const crdSubdirectory = CRD_DIRECTORY.slice(DEPLOY_DIRECTORY.length + 1);

/** Generated files present now: deploy/* and deploy/<subdir>/*, except the CRDs. */
function present(): string[] {
  const found: string[] = [];
  for (const name of readdirSync(directory)) {
    if (name === crdSubdirectory) continue;
    if (!statSync(join(directory, name)).isDirectory()) found.push(name);
    else for (const inner of readdirSync(join(directory, name))) found.push(`${name}/${inner}`);
  }
  return found;
}

mkdirSync(directory, { recursive: true });
for (const name of present()) {
  if (!files.has(name)) {
    rmSync(join(directory, name));
    console.log(`removed ${DEPLOY_DIRECTORY}/${name}`);
  }
}
for (const [name, content] of files) {
  mkdirSync(dirname(join(directory, name)), { recursive: true });
  writeFileSync(join(directory, name), content);
  console.log(`wrote ${DEPLOY_DIRECTORY}/${name}`);
}
