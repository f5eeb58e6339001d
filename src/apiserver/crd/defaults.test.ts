import { describe, expect, it } from "vitest";
import type { OpenAPISchema } from "../registry/resource.ts";
import { readCRDSpec } from "./crd-spec.ts";
import { applyDefaults } from "./defaults.ts";
import { loadUpstreamCRD } from "./upstream-crds.fixture.ts";

function storageSchema(plural: string): OpenAPISchema {
  const schema = readCRDSpec(loadUpstreamCRD(plural)).versions.find((v) => v.storage)?.schema;
  if (schema === undefined) throw new Error("no schema");
  return schema;
}

describe("applyDefaults", () => {
  it("defaults MachineOSConfig containerFile[].containerfileArch to NoArch", () => {
    const mosc = {
      spec: { containerFile: [{ content: "FROM a" }, { content: "FROM b", containerfileArch: "AMD64" }] },
    };
    applyDefaults(mosc, storageSchema("machineosconfigs"));
    expect(mosc.spec.containerFile).toEqual([
      { content: "FROM a", containerfileArch: "NoArch" },
      { content: "FROM b", containerfileArch: "AMD64" },
    ]);
  });

  it("applies defaults recursively, in maps, and never creates missing parents", () => {
    const schema: OpenAPISchema = {
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: {
            mode: { type: "string", default: "Auto" },
            limits: { type: "object", default: {}, properties: { cpu: { type: "string", default: "1" } } },
            byName: {
              type: "object",
              additionalProperties: {
                type: "object",
                properties: { on: { type: "boolean", default: true } },
              },
            },
            absent: { type: "object", properties: { x: { type: "string", default: "x" } } },
          },
        },
      },
    };
    const value = { spec: { byName: { a: {}, b: { on: false } } } };
    applyDefaults(value, schema);
    expect(value).toEqual({
      spec: { mode: "Auto", limits: { cpu: "1" }, byName: { a: { on: true }, b: { on: false } } },
    });
  });

  it("drops non-nullable nulls and replaces them with the default when there is one", () => {
    const schema: OpenAPISchema = {
      type: "object",
      properties: {
        a: { type: "string" },
        b: { type: "string", default: "b" },
        c: { type: "string", nullable: true },
      },
    };
    const value = { a: null, b: null, c: null };
    applyDefaults(value, schema);
    expect(value).toEqual({ b: "b", c: null });
  });

  it("copies defaults instead of sharing them", () => {
    const schema: OpenAPISchema = { type: "object", properties: { list: { type: "array", default: ["a"] } } };
    const first: { list?: string[] } = {};
    applyDefaults(first, schema);
    first.list?.push("b");
    const second: { list?: string[] } = {};
    applyDefaults(second, schema);
    expect(second.list).toEqual(["a"]);
  });
});
