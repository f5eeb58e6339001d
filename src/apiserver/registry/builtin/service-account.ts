// core/v1 ServiceAccount.

import { SERVICEACCOUNT_TABLE } from "../../printers/builtin-tables.ts";
import { builtinResource } from "./definition.ts";
import { arrayOf, bool, obj, str } from "./openapi.ts";
import { builtinStrategy } from "./strategy.ts";

const reference = obj("A reference to an object in the same namespace.", {
  name: str("Name of the referent."),
});

export const SERVICEACCOUNT_RESOURCE = builtinResource({
  group: "",
  version: "v1",
  kind: "ServiceAccount",
  plural: "serviceaccounts",
  namespaced: true,
  shortNames: ["sa"],
  // Served by auth/token-request.ts.
  subresources: [
    { name: "token", kind: "TokenRequest", group: "authentication.k8s.io", version: "v1", verbs: ["create"] },
  ],
  description: "ServiceAccount binds a name, understood by users and systems, to an identity for pods.",
  properties: {
    secrets: arrayOf("Secrets pods running as this account may use.", reference),
    imagePullSecrets: arrayOf("Secrets for pulling images of pods using this account.", reference),
    automountServiceAccountToken: bool("Whether pods using this account get an API token mounted."),
  },
  strategy: builtinStrategy({
    meta: { namespaced: true, nameRule: "subdomain" },
    table: SERVICEACCOUNT_TABLE,
  }),
});
