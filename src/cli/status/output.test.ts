import { describe, expect, it } from "vitest";
import { BufferOutput, type Output, progressOn } from "./output.ts";

class TerminalOutput implements Output {
  readonly isTTY = true;
  text = "";
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

describe("progressOn", () => {
  it("prints a plain line per change of key off a terminal", () => {
    const out = new BufferOutput();
    const progress = progressOn(out);
    progress.update("building (1s)", "building");
    progress.update("building (2s)", "building");
    progress.update("pushing (3s)", "pushing");
    progress.update("pushing (3s)", "pushing");
    progress.done();
    expect(out.text).toBe("building (1s)\npushing (3s)\n");
  });

  it("redraws one spinner line in place on a terminal and clears it when done", () => {
    const out = new TerminalOutput();
    const progress = progressOn(out);
    progress.update("building (1s)", "building");
    progress.update("building (2s)", "building");
    progress.done();
    expect(out.text).toBe("\r\x1b[2K/ building (1s)\r\x1b[2K- building (2s)\r\x1b[2K");
  });
});
