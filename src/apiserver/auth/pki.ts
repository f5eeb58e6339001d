// The API server's own PKI: a self-signed CA and a serving certificate it issues, both ECDSA P-256,
// kept under `<dir>/pki` so that kubeconfigs written once stay valid across restarts.

import {
  createPrivateKey,
  KeyObject,
  X509Certificate as NodeX509Certificate,
  randomBytes,
  type webcrypto,
} from "node:crypto";
import { mkdir } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { readIfExists, writeFileAtomic } from "./files.ts";
import { loadX509 } from "./x509-loader.ts";

export interface PkiBundle {
  caCertPem: string;
  /** The serving certificate, issued by the CA. */
  certPem: string;
  /** The serving certificate's private key, PKCS#8 PEM. */
  keyPem: string;
}

export const PKI_FILES = {
  caCert: "ca.crt",
  caKey: "ca.key",
  cert: "apiserver.crt",
  key: "apiserver.key",
} as const;

const DEFAULT_HOSTS = ["127.0.0.1", "localhost"] as const;
const VALIDITY_YEARS = 10;
/** A serving certificate closer than this to expiry is reissued at start-up. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

interface Ca {
  certPem: string;
  keyPem: string;
}

/**
 * Loads the PKI under `dir/pki`, creating what is missing. The serving certificate always covers
 * 127.0.0.1 and localhost plus `hosts`; an existing one that misses a host, is about to expire or
 * was not issued by the current CA is reissued. Private keys are written with mode 0600.
 */
export async function ensurePki(dir: string, hosts: readonly string[] = DEFAULT_HOSTS): Promise<PkiBundle> {
  const pkiDir = join(dir, "pki");
  await mkdir(pkiDir, { recursive: true, mode: 0o700 });
  const allHosts = [...new Set([...DEFAULT_HOSTS, ...hosts])];
  const ca = await loadOrCreateCa(pkiDir);
  const certPath = join(pkiDir, PKI_FILES.cert);
  const keyPath = join(pkiDir, PKI_FILES.key);
  const certPem = await readIfExists(certPath);
  const keyPem = await readIfExists(keyPath);
  if (certPem !== undefined && keyPem !== undefined && servingCertUsable(certPem, ca.certPem, allHosts)) {
    return { caCertPem: ca.certPem, certPem, keyPem };
  }
  const issued = await issueServingCert(ca, allHosts);
  await writeFileAtomic(keyPath, issued.keyPem, 0o600);
  await writeFileAtomic(certPath, issued.certPem, 0o644);
  return { caCertPem: ca.certPem, ...issued };
}

async function loadOrCreateCa(pkiDir: string): Promise<Ca> {
  const certPath = join(pkiDir, PKI_FILES.caCert);
  const keyPath = join(pkiDir, PKI_FILES.caKey);
  const certPem = await readIfExists(certPath);
  const keyPem = await readIfExists(keyPath);
  if (certPem !== undefined && keyPem !== undefined) return { certPem, keyPem };
  const created = await createCa();
  await writeFileAtomic(keyPath, created.keyPem, 0o600);
  await writeFileAtomic(certPath, created.certPem, 0o644);
  return created;
}

function servingCertUsable(certPem: string, caCertPem: string, hosts: readonly string[]): boolean {
  let cert: NodeX509Certificate;
  try {
    cert = new NodeX509Certificate(certPem);
  } catch {
    return false;
  }
  if (!cert.checkIssued(new NodeX509Certificate(caCertPem))) return false;
  if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
  return hosts.every((host) =>
    isIP(host) === 0 ? cert.checkHost(host) !== undefined : cert.checkIP(host) !== undefined,
  );
}

async function createCa(): Promise<Ca> {
  const x509 = await loadX509();
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: "CN=mob-ca",
    ...validity(),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: exportPrivateKey(keys.privateKey) };
}

async function issueServingCert(
  ca: Ca,
  hosts: readonly string[],
): Promise<{ certPem: string; keyPem: string }> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await createPrivateKey(ca.keyPem).toCryptoKey(ALGORITHM, false, ["sign"]);
  const keys = await generateKeys();
  const names = hosts.map((host) => ({
    type: isIP(host) === 0 ? ("dns" as const) : ("ip" as const),
    value: host,
  }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: "CN=mob-apiserver",
    issuer: caCert.subject,
    ...validity(),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: exportPrivateKey(keys.privateKey) };
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
}

function exportPrivateKey(key: webcrypto.CryptoKey): string {
  return String(KeyObject.from(key).export({ type: "pkcs8", format: "pem" }));
}

/** A positive 128-bit serial (RFC 5280 allows up to 20 octets; the top bit clear keeps it positive). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  // Backdated an hour so that a client whose clock lags slightly still accepts a fresh certificate.
  const notBefore = new Date(now - 3600 * 1000);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  return { notBefore, notAfter };
}
