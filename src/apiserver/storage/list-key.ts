// The key order of lists: namespace, then name, compared as SQLite's objects index compares them.

export interface ListKey {
  namespace: string;
  name: string;
}

export function compareListKeys(a: ListKey, b: ListKey): number {
  return compareText(a.namespace, b.namespace) || compareText(a.name, b.name);
}

/** JavaScript compares UTF-16 code units, SQLite (BINARY) UTF-8 bytes; the orders differ only past U+D7FF. */
const BEYOND_D7FF = /[\uD800-\uFFFF]/;

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (!BEYOND_D7FF.test(a) && !BEYOND_D7FF.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
