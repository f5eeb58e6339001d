// A deliberately tiny template language for asset files such as containerfile.tmpl. No expressions,
// no code: only
//   {{#flag}} … {{/flag}}  on lines of their own: the lines between are kept when flags[flag] is true;
//   {{name}}               a value that must be a single safe token (image refs, names, paths);
//   {{name|quoted}}        a value as a Containerfile double-quoted string ($, " and \ escaped);
//   {{name|words}}         a list of safe tokens or options joined by spaces (shell words needing no quoting).
// Unknown names, flags or filters and unsafe values throw TemplateError, so a template and its caller
// cannot drift apart silently and no value can inject an instruction, a shell word or a variable.

export type TemplateValue = string | readonly string[];

export interface TemplateInputs {
  values: Readonly<Record<string, TemplateValue>>;
  flags: Readonly<Record<string, boolean>>;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

/** Characters a bare token may hold: enough for image references, names, hashes and package names. */
const SAFE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]*$/;
/** A shell word may also be an option (`--install`); a bare token may not, as FROM would read it as a flag. */
const SAFE_WORD = /^-{0,2}[A-Za-z0-9][A-Za-z0-9._:@/+=-]*$/;

const SECTION = /^\{\{#(\w+)\}\}\n([\s\S]*?)^\{\{\/\1\}\}\n/m;
const PLACEHOLDER = /\{\{\s*(\w+)\s*(?:\|\s*(\w+)\s*)?\}\}/g;

export function renderTemplate(template: string, inputs: TemplateInputs): string {
  return substitute(expandSections(template, inputs.flags), inputs.values);
}

function expandSections(text: string, flags: TemplateInputs["flags"]): string {
  let out = text;
  for (let match = SECTION.exec(out); match !== null; match = SECTION.exec(out)) {
    const [whole, flag = "", body = ""] = match;
    const on = flags[flag];
    if (on === undefined) throw new TemplateError(`template uses unknown flag "${flag}"`);
    out =
      out.slice(0, match.index) +
      (on ? expandSections(body, flags) : "") +
      out.slice(match.index + whole.length);
  }
  const stray = /\{\{[#/]\w*\}\}/.exec(out);
  if (stray !== null) throw new TemplateError(`unbalanced or inline section tag ${stray[0]}`);
  return out;
}

function substitute(text: string, values: TemplateInputs["values"]): string {
  return text.replace(PLACEHOLDER, (_whole, name: string, filter: string | undefined) => {
    const value = values[name];
    if (value === undefined) throw new TemplateError(`template uses unknown value "${name}"`);
    switch (filter) {
      case undefined:
        return token(name, single(name, value));
      case "quoted":
        return quoted(name, single(name, value));
      case "words":
        if (typeof value === "string") throw new TemplateError(`value "${name}" must be a list for |words`);
        return value.map((word) => token(name, word, SAFE_WORD)).join(" ");
      default:
        throw new TemplateError(`template uses unknown filter "${filter}"`);
    }
  });
}

function single(name: string, value: TemplateValue): string {
  if (typeof value !== "string") throw new TemplateError(`value "${name}" is a list; use |words`);
  return value;
}

function token(name: string, value: string, pattern = SAFE_TOKEN): string {
  if (!pattern.test(value)) {
    throw new TemplateError(`value "${name}" (${JSON.stringify(value)}) is not a safe token`);
  }
  return value;
}

/** A Containerfile double-quoted string; LABEL and ENV expand `$`, so it is escaped too. */
export function quoted(name: string, value: string): string {
  if (/[\r\n\0]/.test(value)) throw new TemplateError(`value "${name}" must be a single line`);
  return `"${value.replace(/[\\"$]/g, (char) => `\\${char}`)}"`;
}
