// Compiling rule and messageExpression texts (parse + type check) once, with a cache per CRD.

import type { ParseResult } from "@marcbachmann/cel-js";
import { celEnvironment, type OldSelfMode } from "./environment.ts";

export type ResultType = "bool" | "string";

export interface CompiledProgram {
  readonly run: ParseResult;
  /** True when the expression refers to `oldSelf`: a transition rule. */
  readonly usesOldSelf: boolean;
}

export type CompileResult =
  | { readonly ok: true; readonly program: CompiledProgram }
  | { readonly ok: false; readonly error: string };

/** An error of cel-js (ParseError, TypeError, EvaluationError) without its source highlighting. */
export function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const summary = "summary" in error && typeof error.summary === "string" ? error.summary : error.message;
  return summary.split("\n")[0] ?? "";
}

/** cel-go's `ERROR: <input>:line:column: message` form. */
function compileError(source: string, error: unknown): string {
  const range = error instanceof Error && "range" in error ? error.range : undefined;
  const start =
    typeof range === "object" && range !== null && "start" in range && typeof range.start === "number"
      ? range.start
      : 0;
  const before = source.slice(0, start).split("\n");
  const column = (before.at(-1)?.length ?? 0) + 1;
  return `ERROR: <input>:${before.length}:${column}: ${errorSummary(error)}`;
}

/** Whether the AST refers to the identifier `name` (not a field or string of that name). */
function refersTo(node: unknown, name: string, seen = new Set<object>()): boolean {
  if (typeof node !== "object" || node === null || seen.has(node)) return false;
  seen.add(node);
  if (Array.isArray(node)) return node.some((child) => refersTo(child, name, seen));
  if ("op" in node && "args" in node) {
    if (node.op === "id") return node.args === name;
    return refersTo(node.args, name, seen);
  }
  return false;
}

export function compileExpression(source: string, mode: OldSelfMode, expected: ResultType): CompileResult {
  try {
    const run = celEnvironment(mode).parse(source);
    const checked = run.check();
    if (!checked.valid) return { ok: false, error: compileError(source, checked.error) };
    if (checked.type !== expected && checked.type !== "dyn") {
      const what =
        expected === "bool" ? "cel expression must evaluate to a bool" : "must evaluate to a string";
      return { ok: false, error: what };
    }
    return { ok: true, program: { run, usesOldSelf: refersTo(run.ast, "oldSelf") } };
  } catch (error) {
    return { ok: false, error: compileError(source, error) };
  }
}

const CACHE_LIMIT = 4096;

/** Compiles each distinct (text, mode, type) once; one per CRD so programs go with the CRD. */
export class ProgramCache {
  readonly #programs = new Map<string, CompileResult>();

  get(source: string, mode: OldSelfMode, expected: ResultType): CompileResult {
    const key = `${mode}\u0000${expected}\u0000${source}`;
    let result = this.#programs.get(key);
    if (result === undefined) {
      result = compileExpression(source, mode, expected);
      if (this.#programs.size >= CACHE_LIMIT) this.#programs.clear();
      this.#programs.set(key, result);
    }
    return result;
  }
}
