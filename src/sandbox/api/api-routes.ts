/**
 * Route matching of the sandbox API, like werkzeug's: the path is percent-decoded once, ids must be
 * UUIDs, trailing slashes are tolerated, and a path that matches nothing (or a malformed UUID) is a
 * 404 before any authentication. Pure.
 */
import { percentDecodeLenient } from "../../signing/canonical.js";

export type ApiRoute =
  | { readonly name: "health"; readonly version: 1 | 2 }
  | { readonly name: "identity" }
  | { readonly name: "topics" }
  | { readonly name: "topic"; readonly topicId: string }
  | { readonly name: "topic-components"; readonly topicId: string }
  | { readonly name: "component"; readonly componentId: string }
  | {
      readonly name: "component-file";
      readonly version: 1 | 2;
      readonly componentId: string;
      /** Decoded once (the HTTP decode), exactly as it followed `/files/`. */
      readonly filePath: string;
    }
  | { readonly name: "component-file-legacy"; readonly componentId: string }
  | { readonly name: "jobs" }
  | { readonly name: "job"; readonly jobId: string };

export type RouteMatch =
  | { readonly kind: "route"; readonly route: ApiRoute }
  | { readonly kind: "not-found" }
  | { readonly kind: "method-not-allowed" };

const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const FILE_ROUTE =
  /^\/api\/v([12])\/components\/([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\/files\/([^/][\s\S]*)$/;
const READ_METHODS = ["GET", "HEAD"] as const;

/** Splits a request target into its raw path and raw query (without `?`). */
export function splitTarget(target: string): { readonly path: string; readonly query: string } {
  const questionAt = target.indexOf("?");
  return questionAt === -1
    ? { path: target, query: "" }
    : { path: target.slice(0, questionAt), query: target.slice(questionAt + 1) };
}

function allow(method: string, methods: readonly string[], route: ApiRoute): RouteMatch {
  return methods.includes(method) ? { kind: "route", route } : { kind: "method-not-allowed" };
}

/** The file gateway: werkzeug's `path` converter needs a first character other than `/`. */
function matchFileRoute(method: string, decodedPath: string): RouteMatch | undefined {
  const match = FILE_ROUTE.exec(decodedPath);
  const [, version, componentId = "", filePath = ""] = match ?? [];
  if (version === undefined) return undefined;
  const id = componentId.toLowerCase();
  // A bare UUID is routed to the legacy component-file handler, a quirk of the DCI server's routes.
  const route: ApiRoute =
    version === "1" && UUID.test(filePath)
      ? { name: "component-file-legacy", componentId: id }
      : { name: "component-file", version: version === "1" ? 1 : 2, componentId: id, filePath };
  return allow(method, READ_METHODS, route);
}

function matchSegments(method: string, segments: readonly string[]): RouteMatch {
  const [version, collection, id, sub, ...rest] = segments;
  if (rest.length > 0) return { kind: "not-found" };
  if (collection === undefined) {
    return version === "v1" || version === "v2"
      ? allow(method, READ_METHODS, { name: "health", version: version === "v1" ? 1 : 2 })
      : { kind: "not-found" };
  }
  if (version !== "v1" || (id !== undefined && !UUID.test(id))) return { kind: "not-found" };
  const lowerId = id?.toLowerCase();
  if (lowerId === undefined) {
    if (collection === "identity") return allow(method, READ_METHODS, { name: "identity" });
    if (collection === "topics") return allow(method, READ_METHODS, { name: "topics" });
    if (collection === "jobs") return allow(method, ["POST"], { name: "jobs" });
    return { kind: "not-found" };
  }
  if (collection === "topics" && sub === undefined) {
    return allow(method, READ_METHODS, { name: "topic", topicId: lowerId });
  }
  if (collection === "topics" && sub === "components") {
    return allow(method, READ_METHODS, { name: "topic-components", topicId: lowerId });
  }
  if (collection === "components" && sub === undefined) {
    return allow(method, READ_METHODS, { name: "component", componentId: lowerId });
  }
  if (collection === "jobs" && sub === undefined) {
    return allow(method, [...READ_METHODS, "DELETE"], { name: "job", jobId: lowerId });
  }
  return { kind: "not-found" };
}

/** Matches a method and raw (still percent-encoded) path against the sandbox's routes. */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const decodedPath = percentDecodeLenient(rawPath);
  const fileMatch = matchFileRoute(method, decodedPath);
  if (fileMatch !== undefined) return fileMatch;
  if (!decodedPath.startsWith("/api/")) return { kind: "not-found" };
  // Trailing slashes are tolerated: `/api/v1/topics/` is `/api/v1/topics`.
  const segments = decodedPath.slice("/api/".length).replace(/\/$/, "").split("/");
  if (segments.some((segment) => segment === "")) return { kind: "not-found" };
  return matchSegments(method, segments);
}
