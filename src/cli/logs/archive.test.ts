import { describe, expect, it } from "vitest";
import { archiveSections } from "./archive.ts";

describe("archiveSections", () => {
  it("splits the archive the build controller writes into pod/container sections", () => {
    const archive = [
      "==> pod build-x-1 container image-build (exit code 0) <==\nSTEP 1/2: FROM base\nSTEP 2/2: RUN true\n",
      "==> pod build-x-1 container image-push (exit code 0) <==\nWriting manifest to image destination\n",
      "==> pod build-x-1 container report-digest (exit code ?) <==\n",
    ].join("\n");
    expect(archiveSections(archive)).toEqual([
      {
        pod: "build-x-1",
        container: "image-build",
        text: "==> pod build-x-1 container image-build (exit code 0) <==\nSTEP 1/2: FROM base\nSTEP 2/2: RUN true\n",
      },
      {
        pod: "build-x-1",
        container: "image-push",
        text: "==> pod build-x-1 container image-push (exit code 0) <==\nWriting manifest to image destination\n",
      },
      {
        pod: "build-x-1",
        container: "report-digest",
        text: "==> pod build-x-1 container report-digest (exit code ?) <==\n",
      },
    ]);
  });

  it("finds no sections in text without headers", () => {
    expect(archiveSections("plain text\n")).toEqual([]);
  });
});
