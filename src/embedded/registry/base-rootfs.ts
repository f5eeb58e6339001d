// The root filesystem of mob's base OS image: busybox-static with applet symlinks, os-release, the
// accounts `root` and `core`, and the directories the daemon and systemd units expect.

import { chmod, copyFile, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const BASE_OS_NAME = "mob base OS";
export const CORE_UID = 1000;

/** Busybox applets linked in /bin: a shell and the tools build scripts and tests reach for. */
export const APPLETS: readonly string[] = [
  "sh ash ls cat echo mkdir rm rmdir cp mv ln chmod chown test [ sed grep env true false sleep id printf",
  "uname head tail wc touch find xargs tar gzip gunzip zcat stat readlink dirname basename sort uniq cut",
  "tr date hostname whoami awk which diff md5sum sha256sum base64 install mktemp tee vi",
]
  .join(" ")
  .split(" ");

const DIRECTORIES: ReadonlyArray<[string, number]> = [
  ["bin", 0o755],
  ["dev", 0o755],
  ["etc/machine-config-daemon", 0o755],
  ["etc/systemd/system", 0o755],
  ["home/core", 0o700],
  ["proc", 0o555],
  ["root", 0o700],
  ["run", 0o755],
  ["sys", 0o555],
  ["tmp", 0o1777],
  ["usr/bin", 0o755],
  ["usr/lib/systemd/system", 0o755],
  ["usr/local/bin", 0o755],
  ["var/tmp", 0o1777],
];

export function osRelease(version: string): string {
  return [
    `NAME="${BASE_OS_NAME}"`,
    "ID=mob",
    `VERSION_ID=${version}`,
    `PRETTY_NAME="${BASE_OS_NAME} ${version}"`,
    'HOME_URL="https://github.com/mob/mob"',
    "",
  ].join("\n");
}

const FILES: ReadonlyArray<[string, number, (version: string) => string]> = [
  ["usr/lib/os-release", 0o644, osRelease],
  [
    "etc/passwd",
    0o644,
    () => `root:x:0:0:root:/root:/bin/sh\ncore:x:${CORE_UID}:${CORE_UID}:CoreOS Admin:/home/core:/bin/sh\n`,
  ],
  ["etc/group", 0o644, () => `root:x:0:\nwheel:x:10:core\ncore:x:${CORE_UID}:\n`],
  ["etc/shadow", 0o600, () => "root:*:19000:0:99999:7:::\ncore:*:19000:0:99999:7:::\n"],
  ["etc/hostname", 0o644, () => "localhost\n"],
  ["etc/motd", 0o644, (version) => `${BASE_OS_NAME} ${version}\n`],
];

/** Writes the tree into `root` (an empty directory); ownership is set later, inside the image. */
export async function writeBaseRootfs(
  root: string,
  version: string,
  busybox = "/bin/busybox",
): Promise<void> {
  for (const [path, mode] of DIRECTORIES) {
    await mkdir(join(root, path), { recursive: true });
    await chmod(join(root, path), mode);
  }
  await copyFile(busybox, join(root, "bin/busybox"));
  await chmod(join(root, "bin/busybox"), 0o755);
  for (const applet of APPLETS) await symlink("busybox", join(root, "bin", applet));
  for (const [path, mode, content] of FILES) {
    await writeFile(join(root, path), content(version));
    await chmod(join(root, path), mode);
  }
  await symlink("../usr/lib/os-release", join(root, "etc/os-release"));
}
