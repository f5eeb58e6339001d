// Kubernetes' CEL lists library (isSorted, sum, min, max, indexOf, lastIndexOf) and the parts of
// cel-go's strings extension that cel-js lacks (replace, charAt, reverse, global matches).

import { type Environment, EvaluationError } from "@marcbachmann/cel-js";
import { celCompare, celEquals } from "./equality.ts";

function isSorted(list: readonly unknown[]): boolean {
  for (let index = 1; index < list.length; index++) {
    if (celCompare(list[index - 1], list[index]) > 0) return false;
  }
  return true;
}

function sum(list: readonly unknown[]): unknown {
  let total: number | bigint = 0n;
  for (const item of list) {
    if (typeof item === "bigint" && typeof total === "bigint") total += item;
    else if (typeof item === "number" || typeof item === "bigint") total = Number(total) + Number(item);
    else throw new EvaluationError(`no such overload: sum over ${typeof item}`);
  }
  return total;
}

function extreme(name: string, sign: 1 | -1): (list: readonly unknown[]) => unknown {
  return (list) => {
    if (list.length === 0) throw new EvaluationError(`${name} called on empty list`);
    let best = list[0];
    for (const item of list.slice(1)) if (sign * celCompare(item, best) > 0) best = item;
    return best;
  };
}

function indexOf(list: readonly unknown[], value: unknown): bigint {
  return BigInt(list.findIndex((item) => celEquals(item, value)));
}

function lastIndexOf(list: readonly unknown[], value: unknown): bigint {
  return BigInt(list.findLastIndex((item) => celEquals(item, value)));
}

/** cel-go's replace: a negative limit replaces every occurrence. */
function replace(text: string, from: string, to: string, limit = -1n): string {
  if (limit < 0n) return text.split(from).join(to);
  let result = text;
  let start = 0;
  for (let count = 0n; count < limit; count++) {
    const at = result.indexOf(from, start);
    if (at < 0) break;
    result = result.slice(0, at) + to + result.slice(at + from.length);
    start = at + to.length + (from === "" ? 1 : 0);
  }
  return result;
}

function charAt(text: string, index: bigint): string {
  const chars = [...text];
  if (index < 0n || index > BigInt(chars.length)) {
    throw new EvaluationError(`index out of range: ${index}`);
  }
  return chars[Number(index)] ?? "";
}

/** The global form of `matches`; like cel-js's method form it uses JavaScript regular expressions. */
function matches(text: string, pattern: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    throw new EvaluationError(`Invalid regular expression: ${pattern}`);
  }
}

export function registerListsLibrary(env: Environment): void {
  env.registerFunction("list.isSorted(): bool", isSorted);
  env.registerFunction("list.sum(): dyn", sum);
  env.registerFunction("list.min(): dyn", extreme("min", -1));
  env.registerFunction("list.max(): dyn", extreme("max", 1));
  env.registerFunction("list.indexOf(dyn): int", indexOf);
  env.registerFunction("list.lastIndexOf(dyn): int", lastIndexOf);
}

export function registerStringsLibrary(env: Environment): void {
  env.registerFunction("string.replace(string, string): string", (s: string, a: string, b: string) =>
    replace(s, a, b),
  );
  env.registerFunction("string.replace(string, string, int): string", replace);
  env.registerFunction("string.charAt(int): string", charAt);
  env.registerFunction("string.reverse(): string", (s: string) => [...s].reverse().join(""));
  env.registerFunction("matches(string, string): bool", matches);
}
