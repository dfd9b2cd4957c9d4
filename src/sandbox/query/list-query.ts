/**
 * The list parameters of the DCI API: strict validation of `limit`, `offset`,
 * `sort`, `where`, `query`, `embed`, `created_after` and `updated_after`, then filtering, counting,
 * sorting and paging of serialised records. Pure: no I/O, no clock.
 */
import { parseQueryFirstWins } from "../../signing/canonical.js";
import { type Condition, matchesCondition, normaliseValue } from "./list-condition.js";
import { compareRows, parseSort, type SortKey } from "./list-sort.js";
import type { ListQueryError, ListRow, ListSchema } from "./list-types.js";
import { compileQueryDsl } from "./query-dsl.js";
import { compileWhere, whereSyntaxError } from "./where-clause.js";

export interface ListQuery {
  readonly limit: number;
  readonly offset: number;
  readonly sort: readonly SortKey[];
  /** ANDed. */
  readonly conditions: readonly Condition[];
}

export type ListQueryResult =
  | { readonly ok: true; readonly query: ListQuery }
  | { readonly ok: false; readonly error: ListQueryError };

const KNOWN_PARAMS = new Set([
  "limit",
  "offset",
  "sort",
  "where",
  "query",
  "embed",
  "created_after",
  "updated_after",
]);
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,6}$/;

/** The JSON-schema checks the server runs before anything else, as error texts. */
function schemaErrors(params: ReadonlyMap<string, string>): string[] {
  const errors: string[] = [];
  const unexpected = [...params.keys()].filter((key) => !KNOWN_PARAMS.has(key));
  if (unexpected.length > 0) {
    const names = unexpected.map((key) => `'${key}'`).join(", ");
    const verb = unexpected.length === 1 ? "was" : "were";
    errors.push(`Additional properties are not allowed (${names} ${verb} unexpected)`);
  }
  const limit = params.get("limit");
  const offset = params.get("offset");
  if (limit !== undefined && !/^[1-9][0-9]*$/.test(limit)) {
    errors.push(`limit: '${limit}' does not match '^[1-9][0-9]*$'`);
  }
  if (offset !== undefined && !/^[0-9]+$/.test(offset)) {
    errors.push(`offset: '${offset}' does not match '^[0-9]+$'`);
  }
  if (limit !== undefined && offset === undefined)
    errors.push("'offset' is a dependency of 'limit'");
  if (offset !== undefined && limit === undefined)
    errors.push("'limit' is a dependency of 'offset'");
  const where = params.get("where");
  const whereError = where === undefined ? undefined : whereSyntaxError(where);
  if (whereError !== undefined) errors.push(whereError);
  return errors;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` or epoch milliseconds; anything else is ignored, as by DCI. */
function afterCondition(column: string, value: string | undefined): Condition | undefined {
  if (value === undefined) return undefined;
  let timestamp: string | undefined;
  if (DATETIME.test(value)) timestamp = normaliseValue("timestamp", value);
  else if (/^-?\d+$/.test(value)) {
    const instant = new Date(Number(value));
    if (!Number.isNaN(instant.getTime())) {
      timestamp = normaliseValue("timestamp", instant.toISOString().replace(/Z$/, ""));
    }
  }
  if (timestamp === undefined) return undefined;
  return {
    kind: "compare",
    column,
    columnKind: "timestamp",
    op: "ge",
    value: timestamp,
    ignoreCase: false,
  };
}

function filterConditions(
  params: ReadonlyMap<string, string>,
  schema: ListSchema,
): Condition[] | ListQueryError {
  const where = params.get("where") ?? "";
  const query = params.get("query");
  let conditions: Condition[] = [];
  if (where !== "") {
    const compiled = compileWhere(where, schema.columns);
    if ("status" in compiled) return compiled;
    conditions = compiled;
  } else if (query !== undefined) {
    // `where` wins: the server only reads `query` when there is no `where` filter.
    const compiled = compileQueryDsl(query, schema.columns);
    if ("status" in compiled) return compiled;
    conditions = [compiled];
  }
  for (const [param, column] of [
    ["created_after", "created_at"],
    ["updated_after", "updated_at"],
  ] as const) {
    const condition = afterCondition(column, params.get(param));
    if (condition !== undefined) conditions.push(condition);
  }
  return conditions;
}

/**
 * Reads the raw query string of a list request (first value per key, blanks kept) and checks it
 * like the DCI server: schema errors, then sort keys, then where keys, then the `query` DSL.
 */
export function parseListQuery(rawQuery: string, schema: ListSchema): ListQueryResult {
  const params = new Map(parseQueryFirstWins(rawQuery));
  const errors = schemaErrors(params);
  if (errors.length > 0) {
    const payload = { errors, error: errors[0] };
    return { ok: false, error: { status: 400, message: "Request malformed", payload } };
  }
  const sort = parseSort(params.get("sort"), schema);
  if ("status" in sort) return { ok: false, error: sort };
  const conditions = filterConditions(params, schema);
  if ("status" in conditions) return { ok: false, error: conditions };
  const limit = Math.min(Number(params.get("limit") ?? DEFAULT_LIMIT), MAX_LIMIT);
  const offset = Number(params.get("offset") ?? 0);
  return { ok: true, query: { limit, offset, sort, conditions } };
}

/**
 * Filters, counts, sorts and pages rows. `count` is the number of matching rows before paging,
 * as `_meta.count` reports it. The sort is stable, so ties keep the input order.
 */
export function applyListQuery<Row extends ListRow>(
  rows: readonly Row[],
  query: ListQuery,
  schema: ListSchema,
): { readonly rows: Row[]; readonly count: number } {
  const matching = rows.filter((row) =>
    query.conditions.every((condition) => matchesCondition(row, condition)),
  );
  const sorted = matching.toSorted((left, right) => compareRows(left, right, query.sort, schema));
  return { rows: sorted.slice(query.offset, query.offset + query.limit), count: matching.length };
}
