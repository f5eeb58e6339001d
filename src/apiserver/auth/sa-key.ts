// The ServiceAccount token signing key, like kube-apiserver's --service-account-key-file: an ECDSA
// P-256 key created on first start under `<dir>/pki/sa.key` (0600), its public half in `sa.pub`.

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { readIfExists, writeFileAtomic } from "./files.ts";

export const SA_KEY_FILES = { key: "sa.key", pub: "sa.pub" } as const;

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export async function ensureServiceAccountKey(dir: string): Promise<SigningKey> {
  const pkiDir = join(dir, "pki");
  await mkdir(pkiDir, { recursive: true, mode: 0o700 });
  const keyPath = join(pkiDir, SA_KEY_FILES.key);
  const existing = await readIfExists(keyPath);
  if (existing !== undefined) {
    const privateKey = createPrivateKey(existing);
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  await writeFileAtomic(keyPath, String(privateKey.export({ type: "pkcs8", format: "pem" })), 0o600);
  await writeFileAtomic(
    join(pkiDir, SA_KEY_FILES.pub),
    String(publicKey.export({ type: "spki", format: "pem" })),
    0o644,
  );
  return { privateKey, publicKey };
}
