// Validates a (rendered or user) Containerfile as upstream OCL does before it creates a build Job:
// an empty or comment-only file passes; otherwise it needs a FROM, must parse, every instruction must
// be known and those that need arguments must have them (`HEALTHCHECK NONE` is fine). LABEL and ENV
// must use key=value: upstream rejects them without "=", so mob rejects Docker's legacy
// `ENV key value` form as well.

import { type Instruction, parseContainerfile } from "./parse.ts";

export type ContainerfileIssueCode =
  | "NoFrom"
  | "ParseError"
  | "UnknownInstruction"
  | "MissingArgument"
  | "InvalidArgument"
  | "BeforeFrom";

export interface ContainerfileIssue {
  /** 1-based; absent for issues about the whole file. */
  line?: number;
  /** The instruction keyword, upper-cased. */
  instruction?: string;
  code: ContainerfileIssueCode;
  /** A sentence the user can act on, starting with "line N:" when there is a line. */
  message: string;
}

export const KNOWN_INSTRUCTIONS: ReadonlySet<string> = new Set([
  "FROM",
  "RUN",
  "CMD",
  "LABEL",
  "MAINTAINER",
  "EXPOSE",
  "ENV",
  "ADD",
  "COPY",
  "ENTRYPOINT",
  "VOLUME",
  "USER",
  "WORKDIR",
  "ARG",
  "ONBUILD",
  "STOPSIGNAL",
  "HEALTHCHECK",
  "SHELL",
]);

export function validateContainerfile(text: string): ContainerfileIssue[] {
  const { instructions, problems } = parseContainerfile(text);
  const issues: ContainerfileIssue[] = problems.map((problem) =>
    issue(problem.line, problem.keyword.toUpperCase(), "ParseError", problem.message),
  );
  if (instructions.length === 0) return issues;
  let seenFrom = false;
  for (const instruction of instructions) {
    const name = instruction.keyword.toUpperCase();
    if (name === "FROM") seenFrom = true;
    else if (!seenFrom && name !== "ARG" && KNOWN_INSTRUCTIONS.has(name)) {
      issues.push(
        issue(instruction.line, name, "BeforeFrom", `${name} comes before the first FROM (only ARG may)`),
      );
    }
    issues.push(...checkInstruction(instruction, name));
  }
  if (!seenFrom) {
    issues.push({ code: "NoFrom", message: "the Containerfile has no FROM instruction" });
  }
  return issues;
}

/** One line per issue, for condition messages and CLI output. */
export function formatContainerfileIssues(issues: readonly ContainerfileIssue[]): string {
  return issues.map((entry) => entry.message).join("; ");
}

function checkInstruction(instruction: Instruction, name: string): ContainerfileIssue[] {
  const { line, args } = instruction;
  if (!KNOWN_INSTRUCTIONS.has(name)) {
    return [issue(line, name, "UnknownInstruction", `unknown instruction "${instruction.keyword}"`)];
  }
  if (args === "" && instruction.heredocs.length === 0) {
    return [issue(line, name, "MissingArgument", `${name} requires an argument`)];
  }
  const problem = argumentProblem(name, args);
  return problem === undefined ? [] : [issue(line, name, "InvalidArgument", problem)];
}

function argumentProblem(name: string, args: string): string | undefined {
  switch (name) {
    case "FROM": {
      const words = withoutFlags(args);
      const ok = words.length === 1 || (words.length === 3 && words[1]?.toUpperCase() === "AS");
      return ok ? undefined : `FROM takes an image and optionally "AS <name>", got "${args}"`;
    }
    case "LABEL":
    case "ENV":
      return firstWord(args).includes("=")
        ? undefined
        : `${name} needs key=value pairs, e.g. ${name} ${firstWord(args)}=<value> (the form without "=" is not accepted)`;
    case "HEALTHCHECK": {
      const [mode, ...rest] = withoutFlags(args);
      if (mode?.toUpperCase() === "NONE" && rest.length === 0) return undefined;
      if (mode?.toUpperCase() === "CMD" && rest.length > 0) return undefined;
      return `HEALTHCHECK takes NONE or CMD <command>, got "${args}"`;
    }
    case "ONBUILD": {
      const [inner = "", ...rest] = args.split(/\s+/);
      const innerName = inner.toUpperCase();
      if (["ONBUILD", "FROM", "MAINTAINER"].includes(innerName)) return `ONBUILD cannot trigger ${innerName}`;
      if (!KNOWN_INSTRUCTIONS.has(innerName)) return `ONBUILD names unknown instruction "${inner}"`;
      return rest.length > 0 ? undefined : `ONBUILD ${innerName} requires an argument`;
    }
    default:
      return undefined;
  }
}

/** Whitespace-separated words after leading `--flag[=value]` options. */
function withoutFlags(args: string): string[] {
  const words = args.split(/\s+/).filter((word) => word !== "");
  const first = words.findIndex((word) => !word.startsWith("--"));
  return first < 0 ? [] : words.slice(first);
}

/** The first word, where quoted parts may contain whitespace (`a="b c"` is one word). */
function firstWord(args: string): string {
  let quote: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const char = args[i] ?? "";
    if (quote !== undefined) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (/\s/.test(char)) return args.slice(0, i);
  }
  return args;
}

function issue(
  line: number,
  instruction: string,
  code: ContainerfileIssueCode,
  message: string,
): ContainerfileIssue {
  return { line, instruction, code, message: `line ${line}: ${message}` };
}
