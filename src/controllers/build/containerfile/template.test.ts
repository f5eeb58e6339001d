import { describe, expect, it } from "vitest";
import { renderTemplate, TemplateError } from "./template.ts";

const render = (
  template: string,
  values: Record<string, string | string[]> = {},
  flags: Record<string, boolean> = {},
) => renderTemplate(template, { values, flags });

describe("renderTemplate", () => {
  it("substitutes tokens, quoted strings and word lists", () => {
    expect(render("FROM {{image}} AS x\n", { image: "q.io/a@sha256:00" })).toBe(
      "FROM q.io/a@sha256:00 AS x\n",
    );
    expect(render("LABEL a={{v|quoted}}\n", { v: 'x "y" \\ $Z' })).toBe('LABEL a="x \\"y\\" \\\\ \\$Z"\n');
    expect(render("RUN install {{p|words}}\n", { p: ["a", "--install", "b-c.x86_64"] })).toBe(
      "RUN install a --install b-c.x86_64\n",
    );
  });

  it("keeps or drops whole-line sections, nested too", () => {
    const template = "a\n{{#x}}\nb\n{{#y}}\nc\n{{/y}}\n{{/x}}\nd\n";
    expect(render(template, {}, { x: true, y: false })).toBe("a\nb\nd\n");
    expect(render(template, {}, { x: true, y: true })).toBe("a\nb\nc\nd\n");
    expect(render(template, {}, { x: false, y: true })).toBe("a\nd\n");
  });

  it("throws on unknown names, flags and filters, and on unsafe values", () => {
    expect(() => render("{{nope}}")).toThrow(TemplateError);
    expect(() => render("{{#nope}}\nx\n{{/nope}}\n")).toThrow(/unknown flag/);
    expect(() => render("{{v|shout}}", { v: "a" })).toThrow(/unknown filter/);
    expect(() => render("{{#x}} inline {{/x}}\n", {}, { x: true })).toThrow(/section tag/);
    for (const bad of ["a b", "a\nRUN x", "$HOME", "--flag", "a'b", ""]) {
      expect(() => render("FROM {{v}}", { v: bad })).toThrow(TemplateError);
    }
    expect(() => render("{{v|words}}", { v: ["ok", "not ok"] })).toThrow(TemplateError);
    expect(() => render("{{v|quoted}}", { v: "two\nlines" })).toThrow(/single line/);
  });
});
