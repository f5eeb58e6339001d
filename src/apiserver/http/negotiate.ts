// Accept-header negotiation: plain JSON, Table, or aggregated discovery.

import { ApiError } from "../errors.ts";

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: "*/*", params: {} }];
  return header.split(",").map((part) => {
    const [type = "", ...params] = part.split(";").map((s) => s.trim());
    const parsed: Record<string, string> = {};
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq > 0) parsed[param.slice(0, eq).trim()] = param.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params: parsed };
  });
}

export type Rendering =
  | { as: "json" }
  | { as: "table"; version: "v1" | "v1beta1" }
  | { as: "discovery"; version: "v2" | "v2beta1" };

const JSONISH = new Set(["application/json", "*/*", "application/*"]);

/** What to answer with; 406 when the client accepts nothing mob writes. */
export function negotiate(
  header: string | undefined,
  options: { table: boolean; discovery: boolean },
): Rendering {
  const ranges = parseAccept(header);
  let plain = false;
  for (const range of ranges) {
    if (!JSONISH.has(range.type)) continue;
    const { as, g, v } = range.params;
    if (as === undefined) {
      plain = true;
      break;
    }
    if (options.table && as === "Table" && g === "meta.k8s.io" && (v === "v1" || v === "v1beta1")) {
      return { as: "table", version: v };
    }
    if (
      options.discovery &&
      as === "APIGroupDiscoveryList" &&
      g === "apidiscovery.k8s.io" &&
      (v === "v2" || v === "v2beta1")
    ) {
      return { as: "discovery", version: v };
    }
  }
  if (plain || ranges.some((r) => r.type === "application/yaml")) return { as: "json" };
  throw new ApiError(
    406,
    "NotAcceptable",
    `only the following media types are accepted: application/json, application/yaml`,
  );
}
