/**
 * The `where` list parameter of the DCI API: `key:value` clauses separated by
 * commas and ANDed, case-insensitive text, a single trailing `*` for "contains", array membership
 * for `tags`, and an empty value for NULL. Pure.
 */
import { type Condition, castError, normaliseValue } from "./list-condition.js";
import type { ListColumns, ListQueryError } from "./list-types.js";

/**
 * The schema check the server runs first: every comma-separated piece must hold a `:`. Returns the
 * JSON-schema error text, or undefined when the value is acceptable.
 */
export function whereSyntaxError(rawValue: string): string | undefined {
  // An empty `where=` filters nothing: the server only parses the value when it is non-empty.
  if (rawValue === "") return undefined;
  const isKeyValueCsv = rawValue.split(",").every((piece) => piece.includes(":"));
  return isKeyValueCsv ? undefined : `where: '${rawValue}' is not a 'key value csv'`;
}

/**
 * Splits one CSV record the way Python's `csv.reader` does with its default dialect: a field that
 * starts with `"` is quoted (`""` is a literal quote, text after the closing quote is kept), other
 * quotes are literal. An empty record has no fields.
 */
export function parseCsvRecord(record: string): string[] {
  if (record === "") return [];
  const fields: string[] = [];
  let field = "";
  let state: "start" | "plain" | "quoted" | "after-quote" = "start";
  for (const char of record) {
    if (state === "quoted") {
      if (char === '"') state = "after-quote";
      else field += char;
    } else if (char === ",") {
      fields.push(field);
      field = "";
      state = "start";
    } else if (state === "start" && char === '"') {
      state = "quoted";
    } else if (state === "after-quote" && char === '"') {
      // A doubled quote inside a quoted field stands for one quote.
      field += char;
      state = "quoted";
    } else {
      field += char;
      state = "plain";
    }
  }
  fields.push(field);
  return fields;
}

function invalidKey(clause: string, columns: ListColumns): ListQueryError {
  return {
    status: 400,
    message: `Invalid where key: "${clause}"`,
    payload: { "Valid where keys": Object.keys(columns).sort() },
  };
}

function clauseCondition(clause: string, columns: ListColumns): Condition | ListQueryError {
  const colonAt = clause.indexOf(":");
  const key = clause.slice(0, colonAt);
  const value = clause.slice(colonAt + 1);
  const columnKind = Object.hasOwn(columns, key) ? columns[key] : undefined;
  if (colonAt === -1 || columnKind === undefined) return invalidKey(clause, columns);
  if (value === "") return { kind: "null", column: key, orEmpty: false };
  if (columnKind === "array") return { kind: "contains", column: key, element: value };
  if (columnKind === "text") {
    const isContains = value.endsWith("*") && value.indexOf("*") === value.length - 1;
    return isContains
      ? { kind: "like", column: key, pattern: `%${value.slice(0, -1)}%`, ignoreCase: true }
      : { kind: "compare", column: key, columnKind, op: "eq", value, ignoreCase: true };
  }
  const normalised = normaliseValue(columnKind, value);
  if (normalised === undefined) return castError(columnKind, value);
  return {
    kind: "compare",
    column: key,
    columnKind,
    op: "eq",
    value: normalised,
    ignoreCase: false,
  };
}

/**
 * Compiles a `where` value (already syntax-checked) into ANDed conditions, or the 400 the server
 * answers for an unknown key or a value of the wrong type.
 */
export function compileWhere(rawValue: string, columns: ListColumns): Condition[] | ListQueryError {
  const record = rawValue.replace(/[\n\t]/g, "").trim();
  const conditions: Condition[] = [];
  for (const clause of parseCsvRecord(record)) {
    const condition = clauseCondition(clause, columns);
    if ("status" in condition) return condition;
    conditions.push(condition);
  }
  return conditions;
}
