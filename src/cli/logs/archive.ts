// The archived build log `build-log-<mosb>` is every container's log of every build pod, each
// section headed `==> pod P container C (exit code N) <==` (see controllers/build/build-pods.ts).
// Splitting it lets `mob logs build` print only what it could not read live. Pure.

export interface LogSection {
  pod: string;
  container: string;
  /** The header line and the section's text, as archived. */
  text: string;
}

const HEADER = /^==> pod (\S+) container (\S+) \(exit code [^)]*\) <==$/;

export function archiveSections(archive: string): LogSection[] {
  const sections: LogSection[] = [];
  let current: LogSection | undefined;
  for (const line of archive.split("\n")) {
    const match = HEADER.exec(line);
    if (match !== null) {
      current = { pod: match[1] ?? "", container: match[2] ?? "", text: `${line}\n` };
      sections.push(current);
    } else if (current !== undefined) {
      current.text += `${line}\n`;
    }
  }
  for (const section of sections) section.text = `${section.text.replace(/\n+$/, "")}\n`;
  return sections;
}

export const sectionKey = (pod: string, container: string): string => `${pod}/${container}`;
