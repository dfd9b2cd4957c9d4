/**
 * The files gateway of the sandbox API: after the component access check and the path
 * normalisation check, a 302 to a presigned object-store URL. No existence check, as
 * on the real server; RHDL (v2, or v1 for `rhdl`-tagged components) renames the files list and
 * presigns HEAD requests for GET. Gateway faults replace the redirect with an error status.
 */
import { STATUS_CODES } from "node:http";
import type { SandboxComponent } from "../catalog/catalog-types.js";
import type { FaultRule } from "../faults/fault-types.js";
import { presignUrl } from "../store/presign.js";
import type { ApiContext } from "./api-context.js";
import { findComponent } from "./api-handlers.js";
import { type ApiResponse, errorResponse } from "./api-response.js";

/**
 * Finds the fault rules that hit this gateway request, consuming one of their `times`: one rule, a
 * list (as `FaultBook.take` returns), or none. The first `gatewayStatus` wins; any `expireUrls`
 * makes the URL expire at once. `filePath` is the decoded path relative to the component root,
 * before the RHDL rename.
 */
export type GatewayFaultLookup = (query: {
  readonly componentId: string;
  readonly filePath: string;
}) => FaultRule | readonly FaultRule[] | undefined;

export interface GatewayOptions {
  readonly storeOrigin: string;
  readonly storeSecret: string;
  readonly urlExpirySeconds: number;
  readonly takeGatewayFault?: GatewayFaultLookup;
}

export interface FileRequest {
  readonly version: 1 | 2;
  readonly componentId: string;
  /** Decoded once, as it followed `/files/` in the URL. */
  readonly filePath: string;
}

const INVALID_PATH = "Request malformed: filepath is invalid";

/** Python's `posixpath.normpath`: collapses `//`, drops `.`, resolves `..`, drops a trailing `/`. */
export function normalisePosixPath(path: string): string {
  if (path === "") return ".";
  const leadingSlashes =
    path.startsWith("//") && !path.startsWith("///") ? 2 : path.startsWith("/") ? 1 : 0;
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    const previous = parts.at(-1);
    if (part !== ".." || (leadingSlashes === 0 && (previous === undefined || previous === ".."))) {
      parts.push(part);
    } else if (previous !== undefined) {
      parts.pop();
    }
  }
  const normalised = "/".repeat(leadingSlashes) + parts.join("/");
  return normalised === "" ? "." : normalised;
}

/** The object key and presign method for a request, or undefined when the path is refused. */
function objectFor(
  component: SandboxComponent,
  request: FileRequest,
  method: string,
): { readonly objectKey: string; readonly method: "GET" | "HEAD" } | undefined {
  const isRhdl = request.version === 2 || component.tags.includes("rhdl");
  if (!isRhdl) {
    const checked = `${component.id}/${request.filePath}`;
    if (normalisePosixPath(checked) !== checked) return undefined;
    return { objectKey: checked, method: method === "HEAD" ? "HEAD" : "GET" };
  }
  const rhdlPath =
    request.filePath === "dci_files_list.json" ? "rhdl_files_list.json" : request.filePath;
  const checked = `${component.displayName}/files/${rhdlPath}`;
  if (normalisePosixPath(checked) !== checked) return undefined;
  // RHDL is asked with a GET even for a HEAD, so a HEAD client gets a GET URL (a quirk of the real
  // server).
  return { objectKey: `rhdl/${checked}`, method: "GET" };
}

function faultResponse(faults: readonly FaultRule[]): ApiResponse | undefined {
  const gatewayStatus = faults.find((fault) => fault.gatewayStatus !== undefined)?.gatewayStatus;
  if (gatewayStatus === undefined) return undefined;
  const headers: Record<string, string> =
    gatewayStatus.retryAfterSeconds === undefined
      ? {}
      : { "Retry-After": String(gatewayStatus.retryAfterSeconds) };
  const message = gatewayStatus.message ?? STATUS_CODES[gatewayStatus.status] ?? "Sandbox fault";
  return errorResponse(gatewayStatus.status, message, {}, headers);
}

/** `GET|HEAD /api/v{1,2}/components/{id}/files/{path}`: 302 to the object store, or an error. */
export function serveComponentFile(
  context: ApiContext,
  request: FileRequest,
  options: GatewayOptions,
): ApiResponse {
  const component = findComponent(context, request.componentId);
  if ("kind" in component) return component;
  const object = objectFor(component, request, context.request.method);
  if (object === undefined) return errorResponse(400, INVALID_PATH);
  const found = options.takeGatewayFault?.({
    componentId: component.id,
    filePath: request.filePath,
  });
  const faults: readonly FaultRule[] =
    found === undefined ? [] : "match" in found ? [found] : found;
  const faulted = faultResponse(faults);
  if (faulted !== undefined) return faulted;
  const location = presignUrl({
    storeOrigin: options.storeOrigin,
    objectKey: object.objectKey,
    method: object.method,
    issuedAtMs: context.nowMs,
    expiresInSeconds: faults.some((fault) => fault.expireUrls === true)
      ? 0
      : options.urlExpirySeconds,
    secret: options.storeSecret,
  });
  return {
    kind: "empty",
    status: 302,
    headers: { Location: location, "Content-Type": "application/json" },
  };
}

/** `GET /components/{id}/files/{uuid}`: the legacy metadata handler; the sandbox has no such files. */
export function serveLegacyComponentFile(context: ApiContext, componentId: string): ApiResponse {
  const component = findComponent(context, componentId);
  if ("kind" in component) return component;
  return errorResponse(404, "component_file not found");
}
