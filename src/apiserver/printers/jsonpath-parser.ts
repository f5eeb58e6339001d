// The subset of Kubernetes JSONPath (k8s.io/client-go/util/jsonpath) that CRD printer columns and
// `kubectl -o jsonpath` use for one value: `.a.b`, escaped dots `.a\.b`, `[0]`, `[-1]`, `[1:3:2]`,
// `[*]`, `.*`, `['key']`, unions `[0,2]`, recursive descent `..name`, and filters
// `[?(@.type=="Ready")]` with ==, !=, <, >, <=, >= or bare existence `[?(@.x)]`. One optional
// `{...}` around the whole path is tolerated; text templates and `range` are not supported.

export type FilterOperator = "==" | "!=" | "<" | ">" | "<=" | ">=";

export type JsonPathLiteral = string | number | boolean | null;

export type JsonPathOperand =
  | { readonly kind: "path"; readonly segments: readonly JsonPathSegment[] }
  | { readonly kind: "literal"; readonly value: JsonPathLiteral };

export type JsonPathSegment =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "wildcard" }
  | { readonly kind: "recursive" }
  /** Array indexes (negative counts from the end) and/or object keys. */
  | { readonly kind: "union"; readonly members: readonly (number | string)[] }
  | { readonly kind: "slice"; readonly start?: number; readonly end?: number; readonly step: number }
  | { readonly kind: "filter"; readonly left: JsonPathOperand; readonly operator: "exists" }
  | {
      readonly kind: "filter";
      readonly left: JsonPathOperand;
      readonly operator: FilterOperator;
      readonly right: JsonPathOperand;
    };

export interface JsonPath {
  readonly source: string;
  readonly segments: readonly JsonPathSegment[];
}

const FIELD_TERMINATORS = new Set([" ", "\t", "\n", "\r", ".", ",", "[", "]", "$", "@", "{", "}"]);
const FILTER_OPERATORS: ReadonlySet<string> = new Set(["==", "!=", "<", ">", "<=", ">="]);
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SLICE_RE = /^(-?\d*)(?::(-?\d*))?(?::(-?\d*))?$/;

class JsonPathSyntaxError extends Error {
  constructor(source: string, detail: string) {
    super(`invalid JSONPath ${JSON.stringify(source)}: ${detail}`);
    this.name = "JsonPathSyntaxError";
  }
}

/** Index just past the closing `close` that matches the opener at `from`, skipping quoted text; -1 if none. */
function scanClosing(text: string, from: number, open: string, close: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === open) {
      depth++;
    } else if (ch === close && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

/** Splits on `separator` outside quotes. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unquote(text: string, source: string): string | undefined {
  const quote = text[0];
  if (quote !== '"' && quote !== "'") return undefined;
  if (text.length < 2 || text[text.length - 1] !== quote) {
    throw new JsonPathSyntaxError(source, `unterminated quoted string ${text}`);
  }
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r" };
  return text.slice(1, -1).replace(/\\(.)/g, (_match, ch: string) => escapes[ch] ?? ch);
}

class Parser {
  private position = 0;
  private readonly text: string;
  private readonly source: string;

  constructor(text: string, source: string) {
    this.text = text;
    this.source = source;
  }

  private fail(detail: string): never {
    throw new JsonPathSyntaxError(this.source, detail);
  }

  segments(): JsonPathSegment[] {
    const segments: JsonPathSegment[] = [];
    const first = this.text[0];
    if (first === "$" || first === "@") this.position = 1;
    while (this.position < this.text.length) {
      const ch = this.text[this.position] ?? "";
      if (ch === " " || ch === "\t") {
        this.position++;
      } else if (ch === ".") {
        this.dot(segments);
      } else if (ch === "[") {
        segments.push(this.bracket());
      } else {
        this.fail(`unexpected character '${ch}' at position ${this.position}`);
      }
    }
    return segments;
  }

  private dot(segments: JsonPathSegment[]): void {
    const recursive = this.text[this.position + 1] === ".";
    this.position += recursive ? 2 : 1;
    if (recursive) segments.push({ kind: "recursive" });
    const name = this.fieldName();
    if (name === "*") segments.push({ kind: "wildcard" });
    else if (name !== "") segments.push({ kind: "field", name });
    else if (recursive && this.text[this.position] !== "[")
      this.fail("expected a field name or '[' after '..'");
    // A lone `.` names the current value, as in `{.}`.
  }

  /** A field name up to the next unescaped terminator; backslashes are dropped (`a\.b` is `a.b`). */
  private fieldName(): string {
    let name = "";
    while (this.position < this.text.length) {
      const ch = this.text[this.position] ?? "";
      if (ch === "\\") {
        const escaped = this.text[this.position + 1];
        if (escaped === undefined) this.fail("trailing backslash");
        name += escaped;
        this.position += 2;
      } else if (FIELD_TERMINATORS.has(ch)) {
        break;
      } else {
        name += ch;
        this.position++;
      }
    }
    return name;
  }

  private bracket(): JsonPathSegment {
    if (this.text.startsWith("[?(", this.position)) return this.filter();
    const end = scanClosing(this.text, this.position, "[", "]");
    if (end < 0) this.fail("unterminated array");
    const content = this.text.slice(this.position + 1, end - 1).trim();
    this.position = end;
    if (content === "*") return { kind: "wildcard" };
    const parts = splitOutsideQuotes(content, ",").map((part) => part.trim());
    if (parts.length === 1) {
      const slice = SLICE_RE.exec(content);
      if (slice !== null && content.includes(":")) return this.slice(slice);
    }
    return { kind: "union", members: parts.map((part) => this.member(part)) };
  }

  private member(part: string): number | string {
    const key = unquote(part, this.source);
    if (key !== undefined) return key;
    if (/^-?\d+$/.test(part)) return Number(part);
    return this.fail(`invalid array index ${part === "" ? "[]" : part}`);
  }

  private slice(match: RegExpExecArray): JsonPathSegment {
    const bound = (text: string | undefined): number | undefined =>
      text === undefined || text === "" || text === "-" ? undefined : Number(text);
    const step = bound(match[3]) ?? 1;
    if (step <= 0) this.fail("step must be > 0");
    const start = bound(match[1]);
    const end = bound(match[2]);
    return {
      kind: "slice",
      step,
      ...(start === undefined ? {} : { start }),
      ...(end === undefined ? {} : { end }),
    };
  }

  private filter(): JsonPathSegment {
    const open = this.position + 2;
    const close = scanClosing(this.text, open, "(", ")");
    if (close < 0) this.fail("unterminated filter");
    if (this.text[close] !== "]") this.fail("unclosed array expect ]");
    const body = this.text.slice(open + 1, close - 1).trim();
    this.position = close + 1;
    const split = this.splitComparison(body);
    if (split === undefined) return { kind: "filter", left: this.operand(body), operator: "exists" };
    return {
      kind: "filter",
      left: this.operand(split.left),
      operator: split.operator,
      right: this.operand(split.right),
    };
  }

  private splitComparison(
    body: string,
  ): { left: string; operator: FilterOperator; right: string } | undefined {
    let quote: string | undefined;
    for (let i = 0; i < body.length; i++) {
      const ch = body[i] ?? "";
      if (quote !== undefined) {
        if (ch === "\\") i++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if ("!<>=".includes(ch)) {
        let j = i;
        while (j < body.length && "!<>=".includes(body[j] ?? "")) j++;
        const operator = body.slice(i, j);
        if (!isFilterOperator(operator)) this.fail(`unrecognized filter operator ${operator}`);
        return { left: body.slice(0, i).trim(), operator, right: body.slice(j).trim() };
      }
    }
    return undefined;
  }

  private operand(text: string): JsonPathOperand {
    if (text === "") this.fail("empty filter operand");
    const first = text[0];
    if (first === "@" || first === "$" || first === ".") {
      return { kind: "path", segments: new Parser(text, this.source).segments() };
    }
    const quoted = unquote(text, this.source);
    if (quoted !== undefined) return { kind: "literal", value: quoted };
    if (NUMBER_RE.test(text)) return { kind: "literal", value: Number(text) };
    if (text === "true" || text === "false") return { kind: "literal", value: text === "true" };
    if (text === "null") return { kind: "literal", value: null };
    return this.fail(`invalid filter operand ${text}`);
  }
}

function isFilterOperator(text: string): text is FilterOperator {
  return FILTER_OPERATORS.has(text);
}

/** Parses a path; throws an Error naming the path and the problem, for CRD validation to report. */
export function parseJsonPath(source: string): JsonPath {
  let text = source.trim();
  if (text.startsWith("{")) {
    if (!text.endsWith("}")) throw new JsonPathSyntaxError(source, "unclosed action");
    text = text.slice(1, -1).trim();
  }
  if (text === "") throw new JsonPathSyntaxError(source, "empty path");
  return { source, segments: new Parser(text, source).segments() };
}
