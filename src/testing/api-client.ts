// A raw HTTPS client for tests that need exact requests and responses (status codes, headers,
// streaming watch lines), as kubectl and client-node send them.

import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { request } from "node:https";

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  json: any;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is when a string; JSON-encoded otherwise. */
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  token?: string | null;
}

export interface WatchStream {
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  next(timeoutMs?: number): Promise<any>;
  status: number;
  headers: IncomingHttpHeaders;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export class ApiClient {
  readonly #base: URL;
  readonly #ca: string;
  readonly #token: string;

  constructor(url: string, caCertPem: string, token: string) {
    this.#base = new URL(url);
    this.#ca = caCertPem;
    this.#token = token;
  }

  #open(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== null) headers.authorization = `Bearer ${options.token ?? this.#token}`;
    if (options.accept) headers.accept = options.accept;
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] = options.contentType ?? "application/json";
      // Node sends a DELETE body unframed unless told its length (kubectl always sends one).
      headers["content-length"] ??= String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#base.hostname,
          port: this.#base.port,
          path,
          method,
          headers,
          ca: this.#ca,
          agent: false,
        },
        resolve,
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const res = await this.#open(method, path, options);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode ?? 0, headers: res.headers, text, json };
  }

  get(path: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("GET", path, options);
  }
  post(path: string, body: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("POST", path, { ...options, body });
  }
  put(path: string, body: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("PUT", path, { ...options, body });
  }
  patch(path: string, body: unknown, contentType: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("PATCH", path, { ...options, body, contentType });
  }
  delete(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("DELETE", path, { ...options, ...(body !== undefined ? { body } : {}) });
  }

  /** Opens a watch and hands out its events one line at a time. */
  async watch(path: string, options: RequestOptions = {}): Promise<WatchStream> {
    const res = await this.#open("GET", path, options);
    const queue: unknown[] = [];
    const waiters: ((value: unknown) => void)[] = [];
    let buffer = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.trim()) {
          const event = JSON.parse(line);
          const waiter = waiters.shift();
          if (waiter) waiter(event);
          else queue.push(event);
        }
        newline = buffer.indexOf("\n");
      }
    });
    const ended = new Promise<void>((resolve) => {
      res.on("end", resolve);
      res.on("close", resolve);
    });
    return {
      status: res.statusCode ?? 0,
      headers: res.headers,
      ended,
      close: () => res.destroy(),
      next: (timeoutMs = 5000) => {
        if (queue.length > 0) return Promise.resolve(queue.shift());
        return new Promise((resolve, reject) => {
          const waiter = (event: unknown): void => {
            clearTimeout(timer);
            resolve(event);
          };
          // A timed-out waiter leaves the queue, so the next event goes to the next caller.
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(new Error(`no watch event within ${timeoutMs} ms`));
          }, timeoutMs);
          waiters.push(waiter);
        });
      },
    };
  }
}
