/**
 * What a sandbox API handler answers, as data: JSON bodies, the DCI error body
 * `{"status_code", "message", "payload"}`, werkzeug's HTML error pages, or an empty response
 * (302, 204). The server writes them; handlers stay free of sockets.
 */

export type ApiResponse =
  | {
      readonly kind: "json";
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: "html";
      readonly status: 404 | 405 | 500;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: "empty";
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
    };

/** A JSON answer with optional extra headers (ETag, Retry-After). */
export function jsonResponse(
  status: number,
  body: unknown,
  headers?: Readonly<Record<string, string>>,
): ApiResponse {
  return headers === undefined
    ? { kind: "json", status, body }
    : { kind: "json", status, body, headers };
}

/** The DCI error body; HTTP 500 becomes werkzeug's HTML page, as on the real server. */
export function errorResponse(
  status: number,
  message: string,
  payload: Readonly<Record<string, unknown>> = {},
  headers?: Readonly<Record<string, string>>,
): ApiResponse {
  if (status === 500) {
    return headers === undefined ? { kind: "html", status } : { kind: "html", status, headers };
  }
  return jsonResponse(status, { status_code: status, message, payload }, headers);
}

/** werkzeug 0.16's default error pages, byte for byte, so clients meet real non-JSON bodies. */
export const HTML_PAGES: Readonly<Record<404 | 405 | 500, string>> = {
  404: htmlPage(
    "404 Not Found",
    "Not Found",
    "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
  ),
  405: htmlPage(
    "405 Method Not Allowed",
    "Method Not Allowed",
    "The method is not allowed for the requested URL.",
  ),
  500: htmlPage(
    "500 Internal Server Error",
    "Internal Server Error",
    "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.",
  ),
};

function htmlPage(title: string, heading: string, text: string): string {
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>${title}</title>\n<h1>${heading}</h1>\n<p>${text}</p>\n`;
}
