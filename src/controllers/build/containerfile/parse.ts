// Splits Containerfile text into instructions the way Docker's parser does: parser directives at the
// top (`# escape=` changes the line-continuation character), comments, line continuations (comment
// and blank lines inside one are skipped), and heredoc bodies after RUN/COPY/ADD. Nothing is
// interpreted beyond that; validate.ts checks the instructions.

export interface Instruction {
  /** 1-based line where the instruction starts. */
  line: number;
  /** The keyword as written. */
  keyword: string;
  /** Everything after the keyword, continuation lines joined, heredoc bodies excluded. */
  args: string;
  heredocs: string[];
}

export interface ParseProblem {
  line: number;
  keyword: string;
  message: string;
}

export interface ParsedContainerfile {
  instructions: Instruction[];
  problems: ParseProblem[];
}

const HEREDOC_INSTRUCTIONS = new Set(["RUN", "COPY", "ADD"]);
const HEREDOC_MARKER = /(?<!<)<<(?!<)(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

export function parseContainerfile(text: string): ParsedContainerfile {
  const lines = text.split(/\r?\n/);
  const problems: ParseProblem[] = [];
  const { escapeChar, next } = readDirectives(lines, problems);
  const continuation = new RegExp(`${escapeChar === "`" ? "`" : "\\\\"}[ \\t]*$`);
  const instructions: Instruction[] = [];
  let i = next;
  while (i < lines.length) {
    const first = lines[i] ?? "";
    if (isBlank(first) || isComment(first)) {
      i++;
      continue;
    }
    const start = i;
    let joined = "";
    while (i < lines.length) {
      const current = lines[i] ?? "";
      i++;
      if (i - 1 > start && (isBlank(current) || isComment(current))) continue;
      const cont = continuation.exec(current);
      if (cont === null) {
        joined += current;
        break;
      }
      joined += current.slice(0, cont.index);
    }
    const match = /^\s*(\S+)\s*([\s\S]*?)\s*$/.exec(joined);
    const keyword = match?.[1] ?? "";
    const args = match?.[2] ?? "";
    const heredocs: string[] = [];
    if (HEREDOC_INSTRUCTIONS.has(keyword.toUpperCase())) {
      for (const marker of args.matchAll(HEREDOC_MARKER)) {
        const word = marker[3] ?? "";
        const stripTabs = marker[1] === "-";
        const end = lines.findIndex(
          (line, index) => index >= i && (stripTabs ? line.replace(/^\t+/, "") : line) === word,
        );
        if (end < 0) {
          problems.push({
            line: start + 1,
            keyword,
            message: `heredoc <<${word} is never terminated by a "${word}" line`,
          });
          i = lines.length;
          break;
        }
        heredocs.push(lines.slice(i, end).join("\n"));
        i = end + 1;
      }
    }
    instructions.push({ line: start + 1, keyword, args, heredocs });
  }
  return { instructions, problems };
}

function readDirectives(
  lines: readonly string[],
  problems: ParseProblem[],
): { escapeChar: string; next: number } {
  let escapeChar = "\\";
  let index = 0;
  const seen = new Set<string>();
  for (; index < lines.length; index++) {
    const match = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/.exec(lines[index] ?? "");
    if (match === null) break;
    const name = (match[1] ?? "").toLowerCase();
    // Unknown directives are comments, as in Docker, and end the directive block.
    if (!["syntax", "escape", "check"].includes(name) || seen.has(name)) break;
    seen.add(name);
    if (name !== "escape") continue;
    const value = match[2] ?? "";
    if (value === "\\" || value === "`") escapeChar = value;
    else
      problems.push({
        line: index + 1,
        keyword: "#",
        message: `invalid escape directive "${value}"; use \\ or \``,
      });
  }
  return { escapeChar, next: index };
}

function isBlank(line: string): boolean {
  return line.trim() === "";
}

function isComment(line: string): boolean {
  return /^\s*#/.test(line);
}
