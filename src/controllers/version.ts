// The version string mob's controllers stamp on what they generate (the MCO's
// `generated-by-controller-version` annotation). One place, so every controller agrees.

export const CONTROLLER_VERSION = "mob-0.1.0";
