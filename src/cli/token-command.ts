// `mob token --kubeconfig FILE (--service-account NS/NAME | --node NAME) [--audience A]... [--duration 1h]`:
// request a bound token (TokenRequest) and print it as the last line of output.

import { parseArgs } from "node:util";
import { CliError } from "./cli-error.ts";
import { apiFailure, connect } from "./status/cluster.ts";

const USAGE =
  "usage: mob token --kubeconfig FILE (--service-account NS/NAME | --node NAME) [--audience A]... [--duration 1h]";
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `10m`, `1h30m`, `2d` or plain seconds. */
export function parseDuration(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new CliError(`invalid --duration "${text}" (use e.g. 600s, 30m, 1h, 2d)`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2] ?? "s"] ?? 1), 0);
}

function tokenPath(serviceAccount: string | undefined, node: string | undefined): string {
  if ((serviceAccount === undefined) === (node === undefined)) throw new CliError(USAGE);
  if (node !== undefined) return `/api/v1/nodes/${encodeURIComponent(node)}/token`;
  const [namespace, name, ...extra] = (serviceAccount ?? "").split("/");
  if (!namespace || !name || extra.length > 0) {
    throw new CliError(`--service-account wants NAMESPACE/NAME, got "${serviceAccount}"`);
  }
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`;
}

export async function runTokenCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: "string" },
      "service-account": { type: "string" },
      node: { type: "string" },
      audience: { type: "string", multiple: true },
      duration: { type: "string" },
    },
    strict: true,
  });
  const path = tokenPath(values["service-account"], values.node);
  const spec: Record<string, unknown> = {};
  if (values.audience !== undefined && values.audience.length > 0) spec.audiences = values.audience;
  if (values.duration !== undefined) spec.expirationSeconds = parseDuration(values.duration);
  const clients = connect(values.kubeconfig, process.env);
  try {
    const response = await clients.rest.request<{ status?: { token?: string } }>({
      method: "POST",
      path,
      body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec },
      signal: AbortSignal.timeout(30_000),
    });
    const token = response.status?.token;
    if (token === undefined) throw new CliError("the API server answered without a token");
    console.log(token);
    return 0;
  } catch (error) {
    throw apiFailure(error, clients);
  }
}
