// The named formats of Kubernetes' CEL format library (k8s.io/apiserver/pkg/cel/library/format.go)
// with the messages of k8s.io/apimachinery/pkg/util/validation.

import { matchesFormat } from "../crd/formats.ts";
import { dns1035LabelProblems, dns1123LabelProblems, dns1123SubdomainProblems } from "../crd/names.ts";

/** Problems of `value` in one format; empty when valid. */
export type FormatCheck = (value: string) => string[];

const QUALIFIED_NAME_FORMAT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FORMAT}$`);
const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FORMAT = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FORMAT}$`);
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** validation.RegexError. */
function regexError(message: string, format: string, ...examples: string[]): string {
  const shown = examples.map((example) => `'${example}', `).join(" or ");
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

function qualifiedNamePart(name: string): string[] {
  if (name === "") return ["name part must be non-empty"];
  const problems: string[] = [];
  if (name.length > 63) problems.push("name part must be no more than 63 characters");
  if (!QUALIFIED_NAME.test(name)) {
    problems.push(
      `name part ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, "MyName", "my.name", "123-abc")}`,
    );
  }
  return problems;
}

/** validation.IsQualifiedName: `[prefix/]name`. */
export function qualifiedNameProblems(value: string): string[] {
  const parts = value.split("/");
  if (parts.length > 2) {
    const detail = regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, "MyName", "my.name", "123-abc");
    return [
      `a qualified name ${detail} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const [first = "", second] = parts;
  if (second === undefined) return qualifiedNamePart(first);
  const prefixProblems =
    first === ""
      ? ["prefix part must be non-empty"]
      : dns1123SubdomainProblems(first).map((problem) => `prefix part ${problem}`);
  return [...prefixProblems, ...qualifiedNamePart(second)];
}

export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(value)) {
    problems.push(regexError(LABEL_VALUE_MESSAGE, LABEL_VALUE_FORMAT, "MyValue", "my_value", "12345"));
  }
  return problems;
}

/** apimachinery's maskTrailingDash: a generateName prefix may end in '-'. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith("-") ? `${name.slice(0, -2)}a` : name;
}

function strfmt(format: string, message: string): FormatCheck {
  return (value) => (matchesFormat(format, value) ? [] : [message]);
}

export const FORMATS: ReadonlyMap<string, FormatCheck> = new Map<string, FormatCheck>([
  ["dns1123Label", dns1123LabelProblems],
  ["dns1123Subdomain", dns1123SubdomainProblems],
  ["dns1035Label", dns1035LabelProblems],
  ["qualifiedName", qualifiedNameProblems],
  ["dns1123LabelPrefix", (value) => dns1123LabelProblems(maskTrailingDash(value))],
  ["dns1123SubdomainPrefix", (value) => dns1123SubdomainProblems(maskTrailingDash(value))],
  ["dns1035LabelPrefix", (value) => dns1035LabelProblems(maskTrailingDash(value))],
  ["labelValue", labelValueProblems],
  ["uri", strfmt("uri", "invalid URI")],
  ["uuid", strfmt("uuid", "does not match the UUID format")],
  ["byte", strfmt("byte", "invalid base64")],
  ["date", strfmt("date", "invalid date")],
  ["datetime", strfmt("date-time", "invalid datetime")],
]);
