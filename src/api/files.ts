/**
 * Component files: the gateway's presigned object-store URL of a file (v1, or RHDL v2), and the
 * small objects read through it (the files list, the images list).
 */
import { ApiShapeError, UsageError } from "../errors.js";
import { firstHeader } from "../http/headers.js";
import type { FilesList } from "../model.js";
import { encodeUnreserved } from "../signing/canonical.js";
import type { ApiContext } from "./context.js";
import type { StoreReader } from "./store-reader.js";

export interface FileUrlOptions {
  readonly method?: "GET" | "HEAD";
  /** Use the RHDL (v2) gateway, as `--tech-preview rhdl` does. */
  readonly rhdl?: boolean;
  readonly signal?: AbortSignal;
}

export interface StoreReadOptions {
  rhdl?: boolean;
  signal?: AbortSignal;
}

/**
 * Encodes a component file path for the gateway URL, segment by segment. Refuses empty, `.` and
 * `..` segments: URL parsers would silently rewrite them, and the server refuses them anyway.
 */
export function encodeFilePath(filePath: string): string {
  const segments = filePath.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new UsageError(`Refusing the file path "${filePath}": empty, "." or ".." segment.`, {
      code: "UNSAFE_PATH",
      hint: "File paths must be relative paths inside the component.",
    });
  }
  return segments.map(encodeUnreserved).join("/");
}

/**
 * The object-store URL of a component file: the `Location` of the gateway's 302. It is a
 * credential (presigned): never log it. Expires 10 minutes after it is issued.
 */
export async function fileUrl(
  api: ApiContext,
  componentId: string,
  filePath: string,
  options: FileUrlOptions = {},
): Promise<string> {
  const path = `/components/${encodeUnreserved(componentId)}/files/${encodeFilePath(filePath)}`;
  const url = api.url(path, {}, options.rhdl === true ? "v2" : "v1");
  const answer = await api.http.send({
    method: options.method ?? "GET",
    url,
    context: { what: `file ${filePath}`, componentId },
    acceptStatuses: [301, 302, 303, 307, 308],
    signal: options.signal,
  });
  const target = firstHeader(answer.headers, "location");
  if (answer.status < 300 || target === undefined) {
    throw new ApiShapeError(
      `The files gateway did not redirect for ${filePath} (HTTP ${answer.status}).`,
      {
        code: "API_NO_REDIRECT",
        hint: "Check DCI_CS_URL points at a DCI control server.",
      },
    );
  }
  return new URL(target, url).toString();
}

/** The component's manifest (`dci_files_list.json`, or `rhdl_files_list.json` through RHDL). */
export function filesList(
  store: StoreReader,
  componentId: string,
  options: StoreReadOptions = {},
): Promise<FilesList> {
  return store.filesList(componentId, options);
}

/** The component's `images_list.yaml` text, or undefined when it has none. */
export function imagesList(
  store: StoreReader,
  componentId: string,
  options: StoreReadOptions = {},
): Promise<string | undefined> {
  return store.optionalText(componentId, "images_list.yaml", options);
}
