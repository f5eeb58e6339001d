// The client side of the machine-config-server, what Ignition does on a booting node: GET
// `/config/<pool>` asking for spec 3.4.0, trusting `caPem` for https.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { IGNITION_MEDIA_TYPE } from "./accept.ts";

export class ServerFetchError extends Error {
  override readonly name = "ServerFetchError";
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface FetchPoolConfigOptions {
  /** `https://host:port` or `http://host:port`. */
  serverUrl: string;
  pool: string;
  /** CA certificate(s) to trust for https (PEM). */
  caPem?: string | undefined;
  /** Default: Ignition 3.4.0's own header. */
  accept?: string;
  signal: AbortSignal;
}

/** The pool's Ignition as JSON; a non-200 answer throws ServerFetchError with the server's message. */
export async function fetchPoolConfig(options: FetchPoolConfigOptions): Promise<unknown> {
  const url = new URL(`/config/${encodeURIComponent(options.pool)}`, options.serverUrl);
  const headers = { Accept: options.accept ?? `${IGNITION_MEDIA_TYPE};version=3.4.0, */*;q=0.1` };
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const done = (res: import("node:http").IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    };
    const req =
      url.protocol === "https:"
        ? httpsRequest(
            url,
            { headers, signal: options.signal, ...(options.caPem ? { ca: options.caPem } : {}) },
            done,
          )
        : httpRequest(url, { headers, signal: options.signal }, done);
    req.on("error", reject);
    req.end();
  });
  if (status !== 200) {
    throw new ServerFetchError(status, `${url.href}: HTTP ${status}: ${body.trim() || "no message"}`);
  }
  return JSON.parse(body) as unknown;
}
