// The daemon's own names: where it records state on the node's disk, and its component name.

/** Upstream's daemon name: the events' source and the fieldManager of its writes. */
export const DAEMON_COMPONENT = "machine-config-daemon";

/** On-disk state; disk beats annotations (see disk-state.ts). */
export const DiskPaths = {
  /** The rendered MachineConfig (JSON) the node runs; a layered image carries its own copy. */
  currentConfig: "/etc/machine-config-daemon/currentconfig",
  /** The image the node runs; empty when the node is not layered. mob writes it beside currentconfig. */
  currentImage: "/etc/machine-config-daemon/currentimage",
} as const;

/** Where ControllerConfig spec.additionalTrustBundle is written, as upstream does. */
export const USER_CA_BUNDLE_PATH = "/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt";

/** How long the daemon waits for the drain controller to uncordon (upstream: 10 minutes). */
export const DEFAULT_UNCORDON_TIMEOUT_MS = 10 * 60_000;
/** Wait between attempts after a failed update (upstream's MCD retries on its resync, about a minute). */
export const DEFAULT_RETRY_DELAY_MS = 60_000;
/** How often the drain handshake looks at the node (the informer cache, no API calls). */
export const DEFAULT_POLL_INTERVAL_MS = 200;
