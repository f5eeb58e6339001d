// sha256 digests over downloaded bytes: whole buffers and streams verified as they pass.

import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { isDigest } from "./reference.ts";

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export interface DigestCheck {
  expected: string;
  /** The size in bytes the descriptor announced; exceeding it stops the stream early. */
  size?: number;
  /** The error to fail with; `actual` is the computed digest or a note about the size. */
  mismatch: (actual: string) => Error;
}

/**
 * A pass-through that hashes what flows through it and fails at the end (before `end` is seen
 * downstream) when the digest or the size differ. Data is passed on before verification, so
 * whatever consumed it must be discarded when the stream errors.
 */
export function digestVerifier(check: DigestCheck): Transform {
  if (!isDigest(check.expected)) throw check.mismatch(`unsupported digest "${check.expected}"`);
  const hash = createHash("sha256");
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (check.size !== undefined && seen > check.size) {
        callback(check.mismatch(`more than the announced ${check.size} bytes`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = `sha256:${hash.digest("hex")}`;
      if (check.size !== undefined && seen !== check.size) {
        callback(check.mismatch(`${seen} bytes instead of the announced ${check.size}`));
      } else if (actual !== check.expected) {
        callback(check.mismatch(actual));
      } else {
        callback();
      }
    },
  });
}
