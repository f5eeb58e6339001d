// Files the machine-config-server adds to a pool's Ignition, at upstream's paths.

export const ServedPaths = {
  /**
   * The annotations a new Node starts with (JSON object): currentConfig, desiredConfig and state
   * Done, plus currentImage and desiredImage when the node boots a layered image. The daemon
   * (or `mob node add`) registers the Node with them.
   */
  nodeAnnotations: "/etc/machine-config-daemon/node-annotations.json",
  /**
   * The served MachineConfig (JSON), its osImageURL replaced by the layered image when there is
   * one: first boot reads the OS image from it and records the config as the node's current one.
   */
  encapsulatedConfig: "/etc/ignition-machine-config-encapsulated.json",
} as const;
