// OpenAPI `pattern` is an ECMA-262 regex in the spec but Go RE2 in Kubernetes. The common subset
// compiles either way; a leading `(?i)` (RE2 only) becomes the `i` flag. Compiled once per pattern.

const cache = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  const insensitive = pattern.startsWith("(?i)");
  const source = insensitive ? pattern.slice(4) : pattern;
  for (const flags of ["u", ""]) {
    try {
      return new RegExp(source, insensitive ? `${flags}i` : flags);
    } catch {
      // try the next flag set: `u` rejects identity escapes such as `\_` that RE2 accepts
    }
  }
  return null;
}

/** The compiled pattern, or null when it is not a valid regular expression. */
export function compilePattern(pattern: string): RegExp | null {
  if (!cache.has(pattern)) cache.set(pattern, compile(pattern));
  return cache.get(pattern) ?? null;
}
