// @peculiar/x509 registers its algorithms through tsyringe, which needs the Reflect metadata API at
// import time; `reflect-metadata` must therefore be evaluated before @peculiar/x509 is imported.

import type * as X509 from "@peculiar/x509";

let loaded: Promise<typeof X509> | undefined;

export function loadX509(): Promise<typeof X509> {
  loaded ??= (async () => {
    await import("reflect-metadata");
    return await import("@peculiar/x509");
  })();
  return loaded;
}
