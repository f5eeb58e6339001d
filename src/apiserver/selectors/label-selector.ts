// Label selectors as k8s.io/apimachinery/pkg/labels parses and matches them: the `?labelSelector=`
// query syntax, and metav1.LabelSelector objects (matchLabels + matchExpressions) as used by
// PodDisruptionBudgets, Deployments, Jobs and MachineConfigPools.

import { badRequest } from "../errors.ts";
import {
  type LabelOperator,
  type LabelRequirement,
  newRequirement,
  RequirementError,
  requirementMatches,
  requirementToString,
} from "./label-requirement.ts";

export type { LabelOperator, LabelRequirement } from "./label-requirement.ts";

/** Requirements are ANDed; `matchesNothing` is Kubernetes' labels.Nothing() (a nil selector object). */
export interface LabelSelector {
  /** Sorted by key, as Kubernetes keeps them. */
  readonly requirements: readonly LabelRequirement[];
  readonly matchesNothing: boolean;
}

export const EVERYTHING: LabelSelector = { requirements: [], matchesNothing: false };
export const NOTHING: LabelSelector = { requirements: [], matchesNothing: true };

type TokenKind = "id" | "!" | "!=" | "=" | "==" | "(" | ")" | "," | ">" | "<" | "end";

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS: readonly TokenKind[] = ["!=", "==", "!", "=", "(", ")", ",", ">", "<"];
const SPECIAL = new Set(["!", "=", "(", ")", ",", ">", "<"]);
const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (WHITESPACE.has(ch)) {
      i++;
    } else if (SPECIAL.has(ch)) {
      const symbol = SYMBOLS.find((s) => text.startsWith(s, i)) ?? "!";
      tokens.push({ kind: symbol, text: symbol });
      i += symbol.length;
    } else {
      const start = i;
      while (i < text.length && !WHITESPACE.has(text[i] ?? "") && !SPECIAL.has(text[i] ?? "")) i++;
      tokens.push({ kind: "id", text: text.slice(start, i) });
    }
  }
  tokens.push({ kind: "end", text: "" });
  return tokens;
}

const BINARY_OPERATORS: ReadonlyMap<string, LabelOperator> = new Map<string, LabelOperator>([
  ["in", "In"],
  ["=", "Equals"],
  ["==", "DoubleEquals"],
  [">", "GreaterThan"],
  ["<", "LessThan"],
  ["notin", "NotIn"],
  ["!=", "NotEquals"],
]);

/** Recursive descent over the tokens, with labels.Parser's error messages. */
class Parser {
  private position = 0;
  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? { kind: "end", text: "" };
  }

  private next(): Token {
    const token = this.peek();
    if (this.position < this.tokens.length) this.position++;
    return token;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === "end") return requirements;
      if (token.kind !== "id" && token.kind !== "!") {
        throw new Error(`found '${token.text}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.requirement());
      const after = this.next();
      if (after.kind === "end") return requirements;
      if (after.kind !== ",") throw new Error(`found '${after.text}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.kind !== "id" && following.kind !== "!") {
        throw new Error(`found '${following.text}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    try {
      return this.requirementTerm();
    } catch (error) {
      throw new Error(
        `unable to parse requirement: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private requirementTerm(): LabelRequirement {
    let token = this.next();
    const negated = token.kind === "!";
    if (negated) token = this.next();
    if (token.kind !== "id") throw new Error(`found '${token.text}', expected: identifier`);
    const key = token.text;
    // `!k` takes no operator; whatever follows it is the caller's problem, as in Kubernetes.
    if (negated) return newRequirement(key, "DoesNotExist", []);
    const following = this.peek().kind;
    if (following === "end" || following === ",") return newRequirement(key, "Exists", []);
    const operatorToken = this.next();
    const operator = BINARY_OPERATORS.get(
      operatorToken.kind === "id" ? operatorToken.text : operatorToken.kind,
    );
    if (operator === undefined) {
      throw new Error(`found '${operatorToken.text}', expected: ${[...BINARY_OPERATORS.keys()].join(", ")}`);
    }
    const values = operator === "In" || operator === "NotIn" ? this.valueSet() : this.exactValue();
    return newRequirement(key, operator, values);
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== "(") throw new Error(`found '${open.text}' expected: '('`);
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const token = this.next();
      if (token.kind === ")") {
        // `()`, `(a,)` and `(,a)` each carry an empty value, as in Kubernetes.
        if (expectValue) values.push("");
        return values;
      }
      if (token.kind === "," && expectValue) {
        values.push("");
      } else if (token.kind === "," && !expectValue) {
        expectValue = true;
      } else if (token.kind === "id" && expectValue) {
        values.push(token.text);
        expectValue = false;
      } else if (expectValue) {
        throw new Error(`found '${token.text}', expected: ',', ')' or identifier`);
      } else {
        throw new Error(`found '${token.text}', expected: ',' or ')'`);
      }
    }
  }

  private exactValue(): string[] {
    const following = this.peek().kind;
    if (following === "end" || following === ",") return [""];
    const token = this.next();
    if (token.kind !== "id") throw new Error(`found '${token.text}', expected: identifier`);
    return [token.text];
  }
}

function sortedByKey(requirements: LabelRequirement[]): LabelRequirement[] {
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Parses `?labelSelector=` text: comma-joined `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k`, `!k`, `k>1`, `k<1`. The empty string selects everything. Throws a 400 ApiError.
 */
export function parseLabelSelector(text: string): LabelSelector {
  try {
    return { requirements: sortedByKey(new Parser(lex(text)).parse()), matchesNothing: false };
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
}

/** Whether labels (absent = none) satisfy every requirement. */
export function matchesLabels(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (selector.matchesNothing) return false;
  const present = labels ?? {};
  return selector.requirements.every((requirement) => requirementMatches(requirement, present));
}

/** Kubernetes' Selector.String(): canonical text that parses back to the same selector; "" for everything and nothing. */
export function labelSelectorToString(selector: LabelSelector): string {
  return selector.requirements.map(requirementToString).join(",");
}

export function isEverything(selector: LabelSelector): boolean {
  return !selector.matchesNothing && selector.requirements.length === 0;
}

export type LabelSelectorObjectOperator = "In" | "NotIn" | "Exists" | "DoesNotExist";

/** metav1.LabelSelector. */
export interface LabelSelectorObject {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

export interface LabelSelectorObjectOptions {
  /**
   * What a null/absent selector object selects. Kubernetes (LabelSelectorAsSelector, and
   * PodDisruptionBudget in policy/v1) selects nothing; some fields document "absent = all".
   */
  missing?: "nothing" | "everything";
}

/**
 * metav1.LabelSelectorAsSelector: an empty object selects everything; a null or absent one selects
 * nothing unless `options.missing` says otherwise. Throws a 400 ApiError for an invalid selector.
 */
export function labelSelectorFromObject(
  object: LabelSelectorObject | null | undefined,
  options: LabelSelectorObjectOptions = {},
): LabelSelector {
  if (object === null || object === undefined) return options.missing === "everything" ? EVERYTHING : NOTHING;
  try {
    const requirements: LabelRequirement[] = [];
    for (const [key, value] of Object.entries(object.matchLabels ?? {})) {
      requirements.push(newRequirement(key, "Equals", [value]));
    }
    for (const expression of object.matchExpressions ?? []) {
      const operator = expression.operator;
      if (operator !== "In" && operator !== "NotIn" && operator !== "Exists" && operator !== "DoesNotExist") {
        throw new RequirementError(`"${operator}" is not a valid label selector operator`);
      }
      requirements.push(newRequirement(expression.key, operator, expression.values ?? []));
    }
    return { requirements: sortedByKey(requirements), matchesNothing: false };
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
}

/** metav1.FormatLabelSelector: the selector's text, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(object: LabelSelectorObject | null | undefined): string {
  try {
    return labelSelectorToString(labelSelectorFromObject(object)) || "<none>";
  } catch {
    return "<error>";
  }
}

/** labels.FormatLabels: `k=v` sorted by key and comma-joined, `<none>` when there are none. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return "<none>";
  return keys.map((key) => `${key}=${labels?.[key] ?? ""}`).join(",");
}
