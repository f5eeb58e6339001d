// Server-chosen names and identities.

import { randomInt, randomUUID } from "node:crypto";

// The alphabet Kubernetes uses for generated suffixes: no vowels, no look-alike characters.
const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const MAX_PREFIX = 58;

export function generateName(prefix: string): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return prefix.slice(0, MAX_PREFIX) + suffix;
}

export function newUid(): string {
  return randomUUID();
}

/** RFC 3339 with whole seconds, as Kubernetes writes metav1.Time. */
export function timestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}
