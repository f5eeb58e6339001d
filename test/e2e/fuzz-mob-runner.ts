// Sends fuzz steps and judges the answers: raw HTTP with a per-request time limit, kubectl with a
// time limit, and for every accepted write a re-read of the stored object checked against
// upstream's CRD and against what was sent. Failures are collected, never thrown, so one run
// reports all of them with the seed and step that reproduce each.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KubeObject } from "../../src/api/object.ts";
import type { ResourceDefinition } from "../../src/apiserver/registry/resource.ts";
import type { ApiClient, ApiResponse } from "../../src/testing/api-client.ts";
import type { Kubectl } from "../../src/testing/kubectl.ts";
import { type FuzzKind, GROUP } from "./fuzz-mob-objects.ts";
import { answerProblem, objectPath, sentVersusStored, upstreamIssues } from "./fuzz-mob-oracle.ts";
import type { JsonObject } from "./fuzz-mob-random.ts";
import type { HttpStep, KubectlStep } from "./fuzz-mob-requests.ts";

const REQUEST_TIMEOUT_MS = 20_000;
/** What kubectl prints when the server failed or the connection did. */
const KUBECTL_SERVER_FAILURE = /InternalError|Internal error|connection refused|EOF|timeout|\bunavailable\b/i;

export interface RunnerOptions {
  client: ApiClient;
  kubectl: Kubectl;
  definitions: Map<string, ResourceDefinition>;
  /** A directory for kubectl patch files. */
  scratch: string;
}

export class FuzzRunner {
  readonly failures: string[] = [];
  /** Answers by HTTP status, `kubectl <outcome>` and `hostile refused`. */
  readonly outcomes = new Map<string, number>();
  /** Paths (at v1) of objects seeded before the fuzz that a request changed. */
  readonly modified = new Set<string>();
  readonly #o: RunnerOptions;
  #files = 0;

  constructor(options: RunnerOptions) {
    this.#o = options;
  }

  #count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  async #send(step: HttpStep): Promise<ApiResponse | string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((done) => {
      timer = setTimeout(() => done(`no answer within ${REQUEST_TIMEOUT_MS} ms`), REQUEST_TIMEOUT_MS);
    });
    const request = this.#o.client
      .request(step.method, step.path, {
        ...(step.body !== undefined ? { body: step.body } : {}),
        ...(step.contentType !== undefined ? { contentType: step.contentType } : {}),
      })
      .catch((error: unknown) => `connection error: ${String(error)}`);
    try {
      return await Promise.race([request, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async http(step: HttpStep, kind: FuzzKind, name: string, where: string): Promise<void> {
    const res = await this.#send(step);
    if (typeof res === "string") {
      this.failures.push(`${where}: ${res}`);
      return;
    }
    this.#count(String(res.status));
    const problem = answerProblem(res, kind.kind);
    if (problem !== undefined) {
      this.failures.push(
        `${where}: ${problem}: ${res.text.slice(0, 300)} (sent ${String(step.body).slice(0, 200)})`,
      );
    }
    if (res.status >= 300 || step.dryRun || step.method === "DELETE") return;
    const storedName = String(res.json?.metadata?.name ?? name);
    const sent = step.method === "PATCH" ? undefined : step.sentObject;
    await this.#checkStored(kind, storedName, sent, where);
  }

  /** A request against a seeded object: anything but a refusal (or a dry run) is a failure. */
  async hostile(step: HttpStep, kind: FuzzKind, path: string, where: string): Promise<void> {
    const res = await this.#send(step);
    if (typeof res === "string") {
      this.failures.push(`${where}: ${res}`);
    } else if (res.status < 300 && !step.dryRun) {
      this.failures.push(`${where}: accepted with ${res.status}`);
      this.modified.add(path);
    } else {
      const problem = answerProblem(res, kind.kind);
      if (problem !== undefined) this.failures.push(`${where}: ${problem}: ${res.text.slice(0, 300)}`);
      if (res.status >= 400) this.#count("hostile refused");
    }
  }

  async kubectl(step: KubectlStep, kind: FuzzKind, name: string, where: string): Promise<void> {
    const args = [...step.args];
    if (step.patchFile !== undefined) {
      const file = join(this.#o.scratch, `patch-${this.#files++}.json`);
      await writeFile(file, step.patchFile);
      args.push("--patch-file", file);
    }
    const run = await this.#o.kubectl.run(args, {
      timeoutMs: REQUEST_TIMEOUT_MS,
      ...(step.stdin !== undefined ? { stdin: step.stdin } : {}),
    });
    if (run.code === 0) {
      this.#count("kubectl ok");
      await this.#checkStored(kind, name, undefined, where);
      return;
    }
    const reason = /\(([A-Za-z]+)\)|^(error):|is (invalid)/m.exec(run.stderr)?.slice(1).find(Boolean);
    this.#count(`kubectl ${reason ?? "other"}`);
    if (run.code < 0 || run.stderr === "" || KUBECTL_SERVER_FAILURE.test(run.stderr)) {
      this.failures.push(`${where}: kubectl exited ${run.code}: ${run.stderr.slice(0, 300)}`);
    }
  }

  async #get(kind: FuzzKind, name: string, version: string): Promise<KubeObject | undefined> {
    const res = await this.#o.client.get(objectPath(kind, name, version));
    return res.status === 200 ? (res.json as KubeObject) : undefined;
  }

  /** The stored object (read at v1) passes upstream's v1 CRD; a whole-object write stored what it sent. */
  async #checkStored(
    kind: FuzzKind,
    name: string,
    sent: JsonObject | undefined,
    where: string,
  ): Promise<void> {
    const v1 = this.#o.definitions.get(`${kind.kind}/v1`);
    const own = this.#o.definitions.get(`${kind.kind}/${kind.version}`);
    const atV1 = await this.#get(kind, name, "v1");
    if (v1 === undefined || own === undefined || atV1 === undefined) return;
    for (const issue of upstreamIssues(v1, atV1)) {
      this.failures.push(`${where}: the stored ${GROUP}/v1 object fails upstream's CRD: ${issue}`);
    }
    const atSent = sent === undefined ? undefined : await this.#get(kind, name, kind.version);
    if (sent === undefined || atSent === undefined) return;
    for (const difference of sentVersusStored(own, sent, atSent))
      this.failures.push(`${where}: ${difference}`);
  }
}
