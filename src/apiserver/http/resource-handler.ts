// Serves `/api(s)/.../<resource>[/<name>[/<subresource>]]`: picks the verb from method and path and
// hands it to the store, answering in JSON or as a Table.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { KubeObject } from "../../api/object.ts";
import { ApiError, badRequest, methodNotAllowed } from "../errors.ts";
import type { ResolvedResource } from "../registry/catalog.ts";
import { resourceKey } from "../registry/resource.ts";
import type { FieldValidation, Scope, Store, WriteOptions } from "../registry/store.ts";
import { type DeleteOptions, parsePropagationPolicy } from "../registry/store-delete.ts";
import type { ListQuery } from "../registry/store-list.ts";
import { acceptedPatchTypes, PATCH_CONTENT_TYPES, patchObject } from "../registry/store-patch.ts";
import { decodeBody, mediaType, readBody } from "./body.ts";
import type { SubresourceHandlers } from "./handlers.ts";
import { negotiate } from "./negotiate.ts";
import type { ResourceRequest } from "./request-info.ts";
import { successStatus, writeJson } from "./respond.ts";
import { type IncludeObject, tableContentType, tableConvertor, toTable } from "./table.ts";
import { serveWatch } from "./watch-stream.ts";

export interface ResourceHandlerContext {
  store: Store;
  handlers: SubresourceHandlers;
  bookmarkIntervalMs: number;
}

interface Call {
  ctx: ResourceHandlerContext;
  info: ResourceRequest;
  resolved: ResolvedResource;
  scope: Scope;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  signal: AbortSignal;
}

function notServed(): ApiError {
  return new ApiError(404, "NotFound", "the server could not find the requested resource");
}

function isTrue(value: string | null): boolean {
  return value === "true" || value === "1";
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw badRequest(`invalid value for ${name}: ${raw}`);
  return value;
}

function writeOptions(query: URLSearchParams, subresource: string | undefined): WriteOptions {
  const options: WriteOptions = {};
  if (query.getAll("dryRun").includes("All")) options.dryRun = true;
  const validation = query.get("fieldValidation");
  if (validation === "Strict" || validation === "Warn" || validation === "Ignore") {
    options.fieldValidation = validation as FieldValidation;
  }
  if (subresource !== undefined) options.subresource = subresource;
  return options;
}

export async function handleResource(
  ctx: ResourceHandlerContext,
  resolved: ResolvedResource,
  info: ResourceRequest,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  signal: AbortSignal,
): Promise<void> {
  const { definition } = resolved;
  if (!definition.namespaced && info.namespace !== "") throw notServed();
  const scope: Scope = { definition, version: resolved.version.name, namespace: info.namespace };
  const call: Call = { ctx, info, resolved, scope, query, req, res, signal };
  const sub = info.subresource;
  if (sub !== undefined && sub !== "status") return delegate(call, `${resourceKey(definition)}/${sub}`);
  if (sub === "status" && !definition.subresources.some((s) => s.name === "status")) throw notServed();
  const method = req.method ?? "GET";
  if (info.name === undefined) {
    if (method === "GET") return isTrue(query.get("watch")) ? watch(call) : list(call);
    if (method === "POST") {
      if (ctx.handlers.has(resourceKey(definition))) return delegate(call, resourceKey(definition));
      return create(call);
    }
    if (method === "DELETE") return deleteCollection(call);
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
  switch (method) {
    case "GET":
      return get(call, info.name);
    case "PUT":
      return update(call, info.name);
    case "PATCH":
      return patch(call, info.name);
    case "DELETE":
      return remove(call, info.name);
    default:
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
}

async function delegate(call: Call, key: string): Promise<void> {
  const handler = call.ctx.handlers.get(key);
  if (!handler) throw notServed();
  await handler({
    store: call.ctx.store,
    scope: call.scope,
    definition: call.resolved.definition,
    name: call.info.name,
    subresource: call.info.subresource,
    method: call.req.method ?? "GET",
    query: call.query,
    req: call.req,
    res: call.res,
    body: async () => decodeBody(await readBody(call.req), mediaType(call.req.headers["content-type"])),
    signal: call.signal,
  });
}

function respondObjects(call: Call, code: number, objects: KubeObject[], listObject?: KubeObject): void {
  const rendering = negotiate(call.req.headers.accept, { table: true, discovery: false });
  if (rendering.as === "table") {
    const include = (call.query.get("includeObject") ?? "Metadata") as IncludeObject;
    const table = toTable(tableConvertor(call.resolved.definition, call.resolved.version), objects, {
      tableVersion: rendering.version,
      include,
      withColumns: !isTrue(call.query.get("noHeaders")),
      now: call.ctx.store.now(),
      listMetadata: (listObject?.metadata as Record<string, unknown> | undefined) ?? {
        resourceVersion: objects[0]?.metadata.resourceVersion ?? "",
      },
    });
    writeJson(call.res, code, table, tableContentType(rendering.version));
    return;
  }
  writeJson(call.res, code, listObject ?? objects[0]);
}

function get(call: Call, name: string): void {
  const object = call.ctx.store.get(call.scope, name);
  respondObjects(call, 200, [object]);
}

function listQuery(query: URLSearchParams): ListQuery {
  const result: ListQuery = {};
  const copy = (
    key: "labelSelector" | "fieldSelector" | "continue" | "resourceVersion" | "resourceVersionMatch",
  ) => {
    const value = query.get(key);
    if (value) result[key] = value;
  };
  copy("labelSelector");
  copy("fieldSelector");
  copy("continue");
  copy("resourceVersion");
  copy("resourceVersionMatch");
  const limit = intParam(query, "limit");
  if (limit) result.limit = limit;
  return result;
}

function list(call: Call): void {
  if (isTrue(call.query.get("sendInitialEvents"))) {
    throw new ApiError(
      422,
      "Invalid",
      `ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list`,
    );
  }
  const listObject = call.ctx.store.list(call.scope, listQuery(call.query));
  respondObjects(call, 200, listObject.items as KubeObject[], listObject);
}

function watch(call: Call): void {
  const rendering = negotiate(call.req.headers.accept, { table: true, discovery: false });
  const q = listQuery(call.query);
  serveWatch(call.ctx.store, call.scope, call.res, {
    query: {
      ...(q.labelSelector ? { labelSelector: q.labelSelector } : {}),
      ...(q.fieldSelector ? { fieldSelector: q.fieldSelector } : {}),
      ...(q.resourceVersion ? { resourceVersion: q.resourceVersion } : {}),
      ...(q.resourceVersionMatch ? { resourceVersionMatch: q.resourceVersionMatch } : {}),
      ...(isTrue(call.query.get("sendInitialEvents")) ? { sendInitialEvents: true } : {}),
    },
    timeoutSeconds: intParam(call.query, "timeoutSeconds"),
    allowBookmarks: isTrue(call.query.get("allowWatchBookmarks")),
    bookmarkIntervalMs: call.ctx.bookmarkIntervalMs,
    table:
      rendering.as === "table"
        ? {
            convertor: tableConvertor(call.resolved.definition, call.resolved.version),
            version: rendering.version,
            include: (call.query.get("includeObject") ?? "Metadata") as IncludeObject,
          }
        : undefined,
  });
}

async function requestBody(call: Call): Promise<unknown> {
  return decodeBody(await readBody(call.req), mediaType(call.req.headers["content-type"]));
}

async function create(call: Call): Promise<void> {
  const body = await requestBody(call);
  const object = call.ctx.store.create(call.scope, body, writeOptions(call.query, undefined));
  respondObjects(call, 201, [object]);
}

async function update(call: Call, name: string): Promise<void> {
  const body = await requestBody(call);
  const object = call.ctx.store.update(
    call.scope,
    name,
    body,
    writeOptions(call.query, call.info.subresource),
  );
  respondObjects(call, 200, [object]);
}

async function patch(call: Call, name: string): Promise<void> {
  const type = mediaType(call.req.headers["content-type"]);
  const patchType = PATCH_CONTENT_TYPES[type];
  if (!patchType) throw unsupportedPatch(call, type);
  const body = decodeBody(await readBody(call.req), type);
  const fieldManager = call.query.get("fieldManager");
  const result = patchObject(call.ctx.store, call.scope, name, patchType, body, {
    ...writeOptions(call.query, call.info.subresource),
    ...(fieldManager ? { fieldManager } : {}),
    ...(isTrue(call.query.get("force")) ? { force: true } : {}),
  });
  respondObjects(call, result.created ? 201 : 200, [result.object]);
}

function unsupportedPatch(call: Call, type: string): ApiError {
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${acceptedPatchTypes(call.scope).join(", ")}`,
    { causes: [{ reason: "UnexpectedServerResponse", message: `unsupported media type ${type}` }] },
  );
}

async function deleteOptions(call: Call): Promise<DeleteOptions> {
  const raw = await readBody(call.req);
  const body = raw.length > 0 ? (decodeBody(raw, "application/json") as Record<string, unknown>) : {};
  const options: DeleteOptions = {};
  const policy = parsePropagationPolicy(
    body.propagationPolicy ?? call.query.get("propagationPolicy") ?? undefined,
  );
  if (policy) options.propagationPolicy = policy;
  if (body.orphanDependents === true || call.query.get("orphanDependents") === "true")
    options.propagationPolicy = "Orphan";
  const pre = body.preconditions as DeleteOptions["preconditions"] | undefined;
  if (pre && typeof pre === "object") options.preconditions = pre;
  const grace = body.gracePeriodSeconds ?? intParam(call.query, "gracePeriodSeconds");
  if (typeof grace === "number") options.gracePeriodSeconds = grace;
  const dryRun = body.dryRun;
  if ((Array.isArray(dryRun) && dryRun.includes("All")) || call.query.getAll("dryRun").includes("All"))
    options.dryRun = true;
  return options;
}

async function remove(call: Call, name: string): Promise<void> {
  const options = await deleteOptions(call);
  const { object, deleted } = call.ctx.store.delete(call.scope, name, options);
  const { definition } = call.resolved;
  if (deleted && !definition.strategy.deleteReturnsObject) {
    // Kubernetes' delete Status carries no code (the registry leaves it unset).
    const { code: _code, ...status } = successStatus(200, {
      name,
      group: definition.group,
      kind: definition.plural,
      uid: object.metadata.uid ?? "",
    });
    writeJson(call.res, 200, status);
    return;
  }
  writeJson(call.res, 200, object);
}

async function deleteCollection(call: Call): Promise<void> {
  const options = await deleteOptions(call);
  const listObject = call.ctx.store.list(call.scope, listQuery(call.query));
  const removed: KubeObject[] = [];
  for (const item of listObject.items as KubeObject[]) {
    const scope = { ...call.scope, namespace: item.metadata.namespace ?? "" };
    try {
      removed.push(call.ctx.store.delete(scope, item.metadata.name ?? "", options).object);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    }
  }
  writeJson(call.res, 200, { ...listObject, items: removed });
}
