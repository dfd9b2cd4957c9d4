/**
 * The JSON body of `POST /jobs`, read as `unknown` and checked field by field with JSON-schema-like
 * error texts, as the DCI server reports them in a 400 `Request malformed`. Pure.
 */

export type JobBody =
  | {
      readonly ok: true;
      readonly topicId: string;
      readonly componentIds: readonly string[];
      readonly name: string | null;
      readonly comment: string | null;
    }
  | { readonly ok: false; readonly payload: Readonly<Record<string, unknown>> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KNOWN_FIELDS = new Set(["topic_id", "components", "name", "comment", "data", "url"]);

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(bytes: Uint8Array): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    // Not JSON at all: reported as a malformed request, like any schema error.
    return undefined;
  }
}

function optionalText(body: Readonly<Record<string, unknown>>, key: string, errors: string[]) {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  errors.push(`${key}: ${JSON.stringify(value)} is not of type 'string', 'null'`);
  return null;
}

function componentIdsOf(value: unknown, errors: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push(`components: ${JSON.stringify(value)} is not of type 'array'`);
    return [];
  }
  const ids: string[] = [];
  for (const item of value) {
    if (typeof item === "string" && UUID.test(item)) ids.push(item.toLowerCase());
    else errors.push(`components: ${JSON.stringify(item)} is not a 'uuid'`);
  }
  return ids;
}

function failure(errors: readonly string[]): JobBody {
  return { ok: false, payload: { errors, error: errors[0] } };
}

/** Checks a job-creation body: `topic_id` (UUID) required, `components` a list of UUIDs. */
export function readJobBody(bytes: Uint8Array): JobBody {
  const parsed = parseJson(bytes);
  if (parsed === undefined) return failure(["request body is not valid JSON"]);
  const body = parsed.value;
  if (!isRecord(body)) return failure([`${JSON.stringify(body)} is not of type 'object'`]);
  const errors: string[] = [];
  const unexpected = Object.keys(body).filter((key) => !KNOWN_FIELDS.has(key));
  if (unexpected.length > 0) {
    const names = unexpected.map((key) => `'${key}'`).join(", ");
    errors.push(
      `Additional properties are not allowed (${names} ${unexpected.length === 1 ? "was" : "were"} unexpected)`,
    );
  }
  const topicId = body["topic_id"];
  if (topicId === undefined) errors.push("'topic_id' is a required property");
  else if (typeof topicId !== "string" || !UUID.test(topicId)) {
    errors.push(`topic_id: ${JSON.stringify(topicId)} is not a 'uuid'`);
  }
  const componentIds = componentIdsOf(body["components"], errors);
  const name = optionalText(body, "name", errors);
  const comment = optionalText(body, "comment", errors);
  if (errors.length > 0 || typeof topicId !== "string") return failure(errors);
  return { ok: true, topicId: topicId.toLowerCase(), componentIds, name, comment };
}
