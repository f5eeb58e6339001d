// Kubernetes protobuf request bodies: the "k8s\0" prefix, a runtime.Unknown envelope naming the
// apiVersion and kind, and the k8s.io/api message as its raw bytes, decoded into the JSON object a
// JSON request for the same object would carry.

import protobuf from "protobufjs";
import { ApiError, badRequest } from "../../errors.ts";
import { PROTOBUF_KINDS, UNKNOWN } from "./schema.ts";
import { type Json, messageToJson, UnknownFieldError } from "./to-json.ts";

export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

const MAGIC = Buffer.from("k8s\0", "latin1");
const JSON_TYPES = "application/json, application/yaml";

export function decodeProtobuf(buffer: Buffer): { [key: string]: Json } {
  if (!buffer.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest(`the protobuf body does not start with the Kubernetes prefix "k8s\\x00"`);
  }
  const envelope = decodeMessage(
    () => UNKNOWN.decode(buffer.subarray(MAGIC.length)),
    "runtime.Unknown envelope",
  );
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const apiVersion = typeof typeMeta.apiVersion === "string" ? typeMeta.apiVersion : "";
  const kind = typeof typeMeta.kind === "string" ? typeMeta.kind : "";
  const type = PROTOBUF_KINDS.get(`${apiVersion}/${kind}`);
  if (type === undefined) {
    throw unsupported(`protobuf bodies of kind "${kind}" in "${apiVersion}" are not decoded`);
  }
  const encoding = envelope.contentEncoding;
  if (typeof encoding === "string" && encoding !== "") {
    throw unsupported(`the protobuf ${kind} has content encoding "${encoding}", which is not decoded`);
  }
  const raw = envelope.raw instanceof Uint8Array ? envelope.raw : new Uint8Array();
  const message = decodeMessage(() => type.decode(keepingUnknownFields(raw)), kind);
  let object: Json | undefined;
  try {
    object = messageToJson(type, message);
  } catch (error) {
    if (error instanceof UnknownFieldError) {
      throw unsupported(
        `the protobuf ${kind} sets ${error.message}, which mob's protobuf decoder does not read`,
      );
    }
    throw badRequest(`the protobuf ${kind} is malformed: ${(error as Error).message}`);
  }
  return { apiVersion, kind, ...(object as { [key: string]: Json }) };
}

/** A reader that leaves fields mob does not define in $unknowns, for messageToJson to check. */
function keepingUnknownFields(bytes: Uint8Array): protobuf.Reader {
  const reader = protobuf.Reader.create(bytes);
  reader.discardUnknown = false;
  return reader;
}

function decodeMessage<T>(decode: () => T, what: string): T & Record<string, unknown> {
  try {
    return decode() as T & Record<string, unknown>;
  } catch (error) {
    throw badRequest(`the protobuf ${what} is malformed: ${(error as Error).message}`);
  }
}

/** "v1 Namespace, …, batch/v1 Job" */
function supportedKinds(): string {
  return [...PROTOBUF_KINDS.keys()].map((key) => key.replace(/\/(?=[^/]*$)/, " ")).join(", ");
}

function unsupported(reason: string): ApiError {
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - ${reason}; accepted media types include: ${JSON_TYPES}, ${PROTOBUF_MEDIA_TYPE} (for ${supportedKinds()})`,
    {
      causes: [
        { reason: "UnexpectedServerResponse", message: `unsupported media type ${PROTOBUF_MEDIA_TYPE}` },
      ],
    },
  );
}
