// Starts `bin/mob apiserver` as a child process on a free port and reads back where it listens.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";

export interface ServerProcess {
  url: string;
  token: string;
  ca: string;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, "..");

export async function startServerProcess(dir?: string): Promise<ServerProcess> {
  const stateDir = dir ?? (await mkdtemp(join(tmpdir(), "mob-bench-")));
  const child: ChildProcess = spawn(
    join(ROOT, "bin/mob"),
    ["apiserver", "--dir", stateDir, "--listen", "127.0.0.1:0", "--log-level", "warn"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready at (\S+)/.exec(out);
      if (match?.[1]) resolveUrl(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`apiserver exited with ${code}: ${out}`)));
  });
  const kubeconfig = parse(await readFile(join(stateDir, "kubeconfig"), "utf8"));
  const token: string = kubeconfig.users[0].user.token;
  const ca = Buffer.from(kubeconfig.clusters[0].cluster["certificate-authority-data"], "base64").toString();
  return {
    url,
    token,
    ca,
    pid: child.pid ?? 0,
    dir: stateDir,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      if (!dir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Resident memory of a process in MiB, from /proc. */
export async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0");
  return kb / 1024;
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}
