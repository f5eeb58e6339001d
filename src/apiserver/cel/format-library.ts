// Kubernetes' CEL format library: `format.<name>()` returns a Format, `format.named(name)` an
// optional Format, and `<Format>.validate(string)` optional.none() when the string is valid, else
// optional.of(<list of messages>). `format` is a constant of an opaque namespace type, which is how
// cel-js spells namespaced functions (its own `optional.of()` works the same way).

import { type Environment, Optional } from "@marcbachmann/cel-js";
import { FORMATS, type FormatCheck } from "./format-checks.ts";

/** The opaque value of `format.dns1123Label()` and friends. */
export class Format {
  readonly name: string;
  readonly check: FormatCheck;

  constructor(name: string, check: FormatCheck) {
    this.name = name;
    this.check = check;
  }
}

class FormatNamespace {}

function validate(format: Format, value: string): Optional<string[]> {
  const problems = format.check(value);
  return problems.length === 0 ? Optional.none() : Optional.of(problems);
}

export function registerFormatLibrary(env: Environment): void {
  env.registerType("KubernetesFormat", Format);
  env.registerType("KubernetesFormatNamespace", FormatNamespace);
  env.registerConstant("format", "KubernetesFormatNamespace", new FormatNamespace());
  for (const [name, check] of FORMATS) {
    const format = new Format(name, check);
    env.registerFunction(`KubernetesFormatNamespace.${name}(): KubernetesFormat`, () => format);
  }
  env.registerFunction(
    "KubernetesFormatNamespace.named(string): optional<KubernetesFormat>",
    (_namespace: FormatNamespace, name: string) => {
      const check = FORMATS.get(name);
      return check === undefined ? Optional.none() : Optional.of(new Format(name, check));
    },
  );
  env.registerFunction("KubernetesFormat.validate(string): optional<list<string>>", validate);
}
