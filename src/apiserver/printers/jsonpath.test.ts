import { describe, expect, it } from "vitest";
import { evaluateJsonPath, formatJsonPathValue, parseJsonPath } from "./jsonpath.ts";

const pool = {
  metadata: {
    name: "worker",
    annotations: { "machineconfiguration.openshift.io/generated-by-controller-version": "4.18.0" },
  },
  spec: {
    containers: [
      { name: "a", image: "img-a", ports: [{ containerPort: 80 }, { containerPort: 443 }] },
      { name: "b", image: "img-b", ports: [] },
      { name: "c", image: "img-c" },
    ],
  },
  status: {
    configuration: { name: "rendered-worker-abc" },
    machineCount: 3,
    conditions: [
      { type: "Updated", status: "True", priority: 2 },
      { type: "Updating", status: "False", priority: 5 },
      { type: "Degraded", status: "False", reason: "" },
    ],
  },
};

describe("evaluateJsonPath", () => {
  it.each([
    [".status.configuration.name", ["rendered-worker-abc"]],
    ["{.status.configuration.name}", ["rendered-worker-abc"]],
    ["$.status.machineCount", [3]],
    ['.status.conditions[?(@.type=="Updated")].status', ["True"]],
    [".status.conditions[?(@.type=='Degraded')].status", ["False"]],
    ['.status.conditions[?(@.type == "Degraded")].status', ["False"]],
    ['.status.conditions[?(@.type!="Updated")].type', ["Updating", "Degraded"]],
    [".status.conditions[?(@.priority>2)].type", ["Updating"]],
    [".status.conditions[?(@.priority<5)].type", ["Updated"]],
    [".status.conditions[?(@.priority>=2)].type", ["Updated", "Updating"]],
    [".status.conditions[?(@.priority<=2)].type", ["Updated"]],
    [".status.conditions[?(@.reason)].type", ["Degraded"]],
    ['.status.conditions[?(@.type=="Missing")].status', []],
    [
      ".metadata.annotations.machineconfiguration\\.openshift\\.io/generated-by-controller-version",
      ["4.18.0"],
    ],
    [
      ".metadata.annotations['machineconfiguration.openshift.io/generated-by-controller-version']",
      ["4.18.0"],
    ],
    [".spec.containers[0].image", ["img-a"]],
    [".spec.containers[-1].name", ["c"]],
    [".spec.containers[5].name", []],
    [".spec.containers[*].name", ["a", "b", "c"]],
    [".spec.containers.*.name", ["a", "b", "c"]],
    [".spec.containers[0,2].name", ["a", "c"]],
    [".spec.containers[1:].name", ["b", "c"]],
    [".spec.containers[:2].name", ["a", "b"]],
    [".spec.containers[::2].name", ["a", "c"]],
    [".spec.containers[-2:].name", ["b", "c"]],
    [".spec.containers[*].ports[*].containerPort", [80, 443]],
    [".spec.containers[?(@.ports)].name", ["a", "b"]],
    ["..containerPort", [80, 443]],
    ["..configuration.name", ["rendered-worker-abc"]],
    [".status.missing.deeper", []],
    [".status.machineCount.name", []],
    [".status.configuration[0]", []],
    [".metadata.name[?(@.x)]", []],
  ])("%s", (path, expected) => {
    expect(evaluateJsonPath(pool, path)).toEqual(expected);
  });

  it("returns the current value for {.} and accepts a parsed path", () => {
    expect(evaluateJsonPath(42, "{.}")).toEqual([42]);
    expect(evaluateJsonPath(pool, parseJsonPath(".metadata.name"))).toEqual(["worker"]);
  });

  it("keeps null and false values as results", () => {
    expect(evaluateJsonPath({ a: null, b: false }, ".a")).toEqual([null]);
    expect(evaluateJsonPath({ a: null, b: false }, ".b")).toEqual([false]);
  });

  it("compares filter literals by type", () => {
    const list = { items: [{ v: 1 }, { v: "1" }, { v: true }, { v: null }] };
    expect(evaluateJsonPath(list, ".items[?(@.v==1)].v")).toEqual([1]);
    expect(evaluateJsonPath(list, '.items[?(@.v=="1")].v')).toEqual(["1"]);
    expect(evaluateJsonPath(list, ".items[?(@.v==true)].v")).toEqual([true]);
    expect(evaluateJsonPath(list, ".items[?(@.v==null)].v")).toEqual([null]);
    expect(evaluateJsonPath(list, ".items[?(@.v!=1)].v")).toEqual(["1", true, null]);
  });

  it("compares two paths of the same element", () => {
    const list = {
      items: [
        { a: 1, b: 1 },
        { a: 1, b: 2 },
      ],
    };
    expect(evaluateJsonPath(list, ".items[?(@.a==@.b)].b")).toEqual([1]);
  });

  it("does not read inherited properties", () => {
    expect(evaluateJsonPath({}, ".constructor")).toEqual([]);
    expect(evaluateJsonPath([], ".length")).toEqual([]);
  });
});

describe("parseJsonPath", () => {
  it("parses segments", () => {
    expect(parseJsonPath('.a\\.b[?(@.t=="x")][0]').segments).toEqual([
      { kind: "field", name: "a.b" },
      {
        kind: "filter",
        left: { kind: "path", segments: [{ kind: "field", name: "t" }] },
        operator: "==",
        right: { kind: "literal", value: "x" },
      },
      { kind: "union", members: [0] },
    ]);
  });

  it.each([
    ["", "empty path"],
    ["{.a", "unclosed action"],
    [".a[0", "unterminated array"],
    [".a[x]", "invalid array index x"],
    [".a[]", "invalid array index []"],
    [".a[?(@.b==1]", "unterminated filter"],
    [".a[?(@.b==1)", "unclosed array expect ]"],
    [".a[?(@.b=1)]", "unrecognized filter operator ="],
    [".a[?(@.b==)]", "empty filter operand"],
    [".a[?(@.b==foo)]", "invalid filter operand foo"],
    [".a[?(@.b=='x)]", "unterminated"],
    [".a[::0]", "step must be > 0"],
    ["a.b", "unexpected character 'a' at position 0"],
    [".a}{.b", "unexpected character '}'"],
    ["{.a}{.b}", "unexpected character '}'"],
    [".a..", "expected a field name or '[' after '..'"],
    [".a\\", "trailing backslash"],
  ])("rejects %j", (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(message);
    expect(() => parseJsonPath(path)).toThrow(`invalid JSONPath ${JSON.stringify(path)}`);
  });
});

describe("formatJsonPathValue", () => {
  it("prints like kubectl -o jsonpath", () => {
    expect(formatJsonPathValue("x")).toBe("x");
    expect(formatJsonPathValue(3)).toBe("3");
    expect(formatJsonPathValue(1.5)).toBe("1.5");
    expect(formatJsonPathValue(true)).toBe("true");
    expect(formatJsonPathValue(null)).toBe("null");
    expect(formatJsonPathValue({ a: [1, "b"] })).toBe('{"a":[1,"b"]}');
  });
});
