// Shared inputs of the prepare-context tests: a rendered MachineConfig touching every kind of entry.

import type { IgnitionConfig } from "../ignition/index.ts";

export const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMobTestKeyForCoreUser core@mob";
export const PASSWORD_HASH = "$6$mobsalt$Xq0mob.test.hash/only";

export const TEST_IGNITION: IgnitionConfig = {
  ignition: { version: "3.4.0" },
  storage: {
    files: [
      { path: "/etc/mob/hello.conf", mode: 0o644, contents: { source: "data:,hello%20from%20mob%0A" } },
      {
        path: "/usr/local/bin/mob-hello",
        mode: 0o755,
        contents: { source: "data:;base64,IyEvYmluL3NoCmVjaG8gaGVsbG8K" },
      },
    ],
  },
  systemd: {
    units: [
      {
        name: "mob-hello.service",
        enabled: true,
        contents:
          "[Unit]\nDescription=mob hello\n[Service]\nExecStart=/usr/local/bin/mob-hello\n[Install]\nWantedBy=multi-user.target\n",
        dropins: [{ name: "10-env.conf", contents: "[Service]\nEnvironment=GREETING=hi\n" }],
      },
    ],
  },
  passwd: { users: [{ name: "core", sshAuthorizedKeys: [SSH_KEY], passwordHash: PASSWORD_HASH }] },
};

export function testMachineConfig(config: IgnitionConfig = TEST_IGNITION): Record<string, unknown> {
  return {
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineConfig",
    metadata: { name: "rendered-worker-0123456789abcdef0123456789abcdef" },
    spec: { config, extensions: [], kernelType: "default" },
  };
}
