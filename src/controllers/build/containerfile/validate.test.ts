import { describe, expect, it } from "vitest";
import { type ContainerfileIssue, formatContainerfileIssues, validateContainerfile } from "./validate.ts";

const messages = (text: string): string[] => validateContainerfile(text).map((issue) => issue.message);

describe("validateContainerfile", () => {
  const valid: [string, string][] = [
    ["empty", ""],
    ["comments only", "# nothing\n\n   # here\n"],
    ["final stage", "FROM configs AS final\nRUN echo custom > /etc/custom-content\n"],
    ["continuation lines", "FROM configs AS final\nRUN echo a && \\\n    echo b \\\n    && echo c\n"],
    ["comment and blank inside continuation", "FROM configs\nRUN echo a && \\\n# a comment\n\n    echo b\n"],
    [
      "heredoc",
      "FROM configs\nRUN <<EOF\nset -e\nFROBNICATE this is shell\nEOF\nCOPY <<-'END' /etc/x\n\thello\n\tEND\n",
    ],
    ["two heredocs", "FROM configs\nRUN cat <<A <<B\na\nA\nb\nB\nLABEL x=y\n"],
    ["JSON exec form", 'FROM configs\nCMD ["/bin/sh", "-c", "echo hi"]\nENTRYPOINT ["/bin/true"]\n'],
    ["HEALTHCHECK NONE", "FROM configs\nHEALTHCHECK NONE\n"],
    ["HEALTHCHECK CMD with flags", "FROM configs\nHEALTHCHECK --interval=5s CMD true\n"],
    ["unquoted LABEL/ENV values", 'FROM configs\nLABEL a=b c="d e"\nENV PATH=/usr/bin:/bin X=1\n'],
    ["ARG before FROM, lower-case keywords", "ARG BASE=configs\nfrom $BASE as final\nrun true\n"],
    ["escape directive", "# escape=`\nFROM configs\nRUN echo a `\n  && echo b\n"],
    ["FROM with platform flag", "FROM --platform=linux/amd64 configs AS final\n"],
    ["ONBUILD", "FROM configs\nONBUILD RUN echo later\n"],
  ];
  it.each(valid)("accepts %s", (_name, text) => {
    expect(validateContainerfile(text)).toEqual([]);
  });

  const invalid: [string, string, string[]][] = [
    [
      "no FROM",
      "RUN echo hi\n",
      ["line 1: RUN comes before the first FROM (only ARG may)", "the Containerfile has no FROM instruction"],
    ],
    ["only ARG", "ARG X=1\n", ["the Containerfile has no FROM instruction"]],
    ["unknown instruction", "FROM configs\n\nRUNN echo hi\n", ['line 3: unknown instruction "RUNN"']],
    ["bare RUN", "FROM configs\nRUN\n", ["line 2: RUN requires an argument"]],
    ["bare FROM", "FROM\n", ["line 1: FROM requires an argument"]],
    ["bare RUN ending in a continuation", "FROM configs\nRUN \\\n\n", ["line 2: RUN requires an argument"]],
    [
      "FROM with extra words",
      "FROM a b\n",
      ['line 1: FROM takes an image and optionally "AS <name>", got "a b"'],
    ],
    [
      "ENV without =",
      "FROM configs\nENV PATH /bin\n",
      ['line 2: ENV needs key=value pairs, e.g. ENV PATH=<value> (the form without "=" is not accepted)'],
    ],
    [
      "LABEL without =",
      "FROM configs\nLABEL foo\n",
      ['line 2: LABEL needs key=value pairs, e.g. LABEL foo=<value> (the form without "=" is not accepted)'],
    ],
    [
      "HEALTHCHECK without a command",
      "FROM configs\nHEALTHCHECK --interval=5s\n",
      ['line 2: HEALTHCHECK takes NONE or CMD <command>, got "--interval=5s"'],
    ],
    [
      "unterminated heredoc",
      "FROM configs\nRUN <<EOF\necho hi\n",
      ['line 2: heredoc <<EOF is never terminated by a "EOF" line'],
    ],
    ["ONBUILD FROM", "FROM configs\nONBUILD FROM x\n", ["line 2: ONBUILD cannot trigger FROM"]],
  ];
  it.each(invalid)("rejects %s", (_name, text, expected) => {
    expect(messages(text)).toEqual(expected);
  });

  it("reports line, instruction and code for each issue", () => {
    const issues = validateContainerfile("FROM configs\nCOPY\nBOGUS x\n");
    expect(issues).toEqual<ContainerfileIssue[]>([
      { line: 2, instruction: "COPY", code: "MissingArgument", message: "line 2: COPY requires an argument" },
      {
        line: 3,
        instruction: "BOGUS",
        code: "UnknownInstruction",
        message: 'line 3: unknown instruction "BOGUS"',
      },
    ]);
    expect(formatContainerfileIssues(issues)).toBe(
      'line 2: COPY requires an argument; line 3: unknown instruction "BOGUS"',
    );
  });

  it("does not read heredoc bodies or comments as instructions", () => {
    expect(messages("FROM configs\nRUN <<EOF\nNOT_AN_INSTRUCTION\nEOF\n# BOGUS\n")).toEqual([]);
  });
});
