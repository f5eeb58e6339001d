// The real kubectl, run against a test API server with its own fresh discovery cache.

import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const KUBECTL = process.env.MOB_KUBECTL ?? "/usr/bin/kubectl";

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  /** Runs kubectl to completion; never rejects (the exit code is in the result). */
  run(args: readonly string[], options?: { timeoutMs?: number; stdin?: string }): Promise<KubectlRun>;
  /** Runs kubectl and expects success; returns stdout. */
  ok(...args: string[]): Promise<string>;
  cacheDir: string;
  close(): Promise<void>;
}

export async function kubectlFor(kubeconfigPath: string): Promise<Kubectl> {
  const cacheDir = await mkdtemp(join(tmpdir(), "mob-kube-cache-"));
  const env = { ...process.env, KUBECONFIG: kubeconfigPath };
  const run: Kubectl["run"] = (args, options = {}) =>
    new Promise((done) => {
      const child = execFile(
        KUBECTL,
        [...args, "--cache-dir", cacheDir],
        { env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
          done({ code, stdout, stderr });
        },
      );
      // kubectl may exit without reading its input (a usage error): the EPIPE is not the test's failure.
      child.stdin?.on("error", () => {});
      child.stdin?.end(options.stdin ?? "");
    });
  return {
    run,
    cacheDir,
    ok: async (...args) => {
      const result = await run(args);
      if (result.code !== 0) {
        throw new Error(
          `kubectl ${args.join(" ")} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
        );
      }
      return result.stdout;
    },
    close: () => rm(cacheDir, { recursive: true, force: true }),
  };
}
