/**
 * Row filters of the sandbox's list endpoints, as a small data tree evaluated with SQL's
 * three-valued logic, so `ne(title,x)` and `not(...)` skip NULL columns the way PostgreSQL does.
 * Pure: both `where` and the `query` DSL compile into these conditions.
 */
import type { ColumnKind, ListQueryError, ListRow } from "./list-types.js";
import { likeToRegExp } from "./sql-like.js";

export type CompareOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

export type Condition =
  | { readonly kind: "and" | "or"; readonly conditions: readonly Condition[] }
  | { readonly kind: "not"; readonly condition: Condition }
  | {
      readonly kind: "compare";
      readonly column: string;
      readonly columnKind: ColumnKind;
      readonly op: CompareOp;
      /** Already normalised for the column kind (see `normaliseValue`). */
      readonly value: string;
      readonly ignoreCase: boolean;
    }
  | {
      readonly kind: "like";
      readonly column: string;
      readonly pattern: string;
      readonly ignoreCase: boolean;
    }
  | { readonly kind: "contains"; readonly column: string; readonly element: string }
  | { readonly kind: "null"; readonly column: string; readonly orEmpty: boolean };

type LeafCondition = Exclude<Condition, { readonly kind: "and" | "or" | "not" }>;

/** SQL truth: `null` is UNKNOWN, which filters a row out just like false. */
type Truth = boolean | null;

const BOOLEAN_WORDS: Readonly<Record<string, string>> = {
  true: "true",
  t: "true",
  yes: "true",
  y: "true",
  on: "true",
  "1": "true",
  false: "false",
  f: "false",
  no: "false",
  n: "false",
  off: "false",
  "0": "false",
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/;

/**
 * Normalises a literal for comparison with a column of `columnKind`, as PostgreSQL would cast it;
 * returns undefined when the cast fails (the caller answers PostgreSQL's 400).
 */
export function normaliseValue(columnKind: ColumnKind, value: string): string | undefined {
  switch (columnKind) {
    case "uuid":
      return UUID.test(value) ? value.toLowerCase() : undefined;
    case "boolean":
      return BOOLEAN_WORDS[value.trim().toLowerCase()];
    case "timestamp": {
      const match = TIMESTAMP.exec(value.trim());
      if (!match) return undefined;
      return `${match[1]}T${match[2]}.${(match[3] ?? "").padEnd(6, "0")}`;
    }
    case "array":
      // No text literal equals an array: PostgreSQL refuses `tags = 'x'`.
      return undefined;
    case "text":
      return value;
  }
}

function sqlTypeName(columnKind: ColumnKind): string {
  return columnKind === "timestamp" ? "timestamp without time zone" : columnKind;
}

/** A row value as comparable text, or null for SQL NULL (and for values no literal can equal). */
function cellText(row: ListRow, column: string, columnKind: ColumnKind): string | null {
  const cell = row[column];
  if (cell === null || cell === undefined) return null;
  if (typeof cell === "boolean") return String(cell);
  if (typeof cell !== "string") return null;
  return columnKind === "text" ? cell : (normaliseValue(columnKind, cell) ?? null);
}

/** One compiled pattern per condition, not one per row. */
const compiledLikes = new WeakMap<Condition, RegExp>();

function likeRegExpOf(condition: Extract<Condition, { readonly kind: "like" }>): RegExp {
  const cached = compiledLikes.get(condition);
  if (cached !== undefined) return cached;
  const compiled = likeToRegExp(condition.pattern, condition.ignoreCase);
  compiledLikes.set(condition, compiled);
  return compiled;
}

function compareTexts(op: CompareOp, left: string, right: string): boolean {
  switch (op) {
    case "eq":
      return left === right;
    case "ne":
      return left !== right;
    case "lt":
      return left < right;
    case "le":
      return left <= right;
    case "gt":
      return left > right;
    case "ge":
      return left >= right;
  }
}

function evaluateLeaf(row: ListRow, condition: LeafCondition): Truth {
  switch (condition.kind) {
    case "compare": {
      const cell = cellText(row, condition.column, condition.columnKind);
      if (cell === null) return null;
      const left = condition.ignoreCase ? cell.toLowerCase() : cell;
      const right = condition.ignoreCase ? condition.value.toLowerCase() : condition.value;
      return compareTexts(condition.op, left, right);
    }
    case "like": {
      const cell = row[condition.column];
      if (cell === null || cell === undefined) return null;
      const text = typeof cell === "string" ? cell : JSON.stringify(cell);
      return likeRegExpOf(condition).test(text);
    }
    case "contains": {
      const cell = row[condition.column];
      if (cell === null || cell === undefined) return null;
      if (Array.isArray(cell)) return cell.includes(condition.element);
      return typeof cell === "string" && cell.includes(condition.element);
    }
    case "null": {
      const cell = row[condition.column];
      return cell === null || cell === undefined || (condition.orEmpty && cell === "");
    }
  }
}

function evaluate(row: ListRow, condition: Condition): Truth {
  switch (condition.kind) {
    case "not": {
      const inner = evaluate(row, condition.condition);
      return inner === null ? null : !inner;
    }
    case "and":
    case "or":
      return evaluateJunction(row, condition.kind, condition.conditions);
    default:
      return evaluateLeaf(row, condition);
  }
}

function evaluateJunction(
  row: ListRow,
  kind: "and" | "or",
  conditions: readonly Condition[],
): Truth {
  const decisive = kind === "or";
  let sawUnknown = false;
  for (const child of conditions) {
    const truth = evaluate(row, child);
    if (truth === decisive) return decisive;
    if (truth === null) sawUnknown = true;
  }
  return sawUnknown ? null : !decisive;
}

/** True when the row passes the condition (UNKNOWN counts as not passing, as in SQL WHERE). */
export function matchesCondition(row: ListRow, condition: Condition): boolean {
  return evaluate(row, condition) === true;
}

/** PostgreSQL's refusal of a literal that does not cast to the column's type (a 400 in DCI). */
export function castError(columnKind: ColumnKind, value: string): ListQueryError {
  const message =
    columnKind === "array"
      ? `(psycopg2.errors.InvalidTextRepresentation) malformed array literal: "${value}"`
      : `(psycopg2.errors.InvalidTextRepresentation) invalid input syntax for type ${sqlTypeName(columnKind)}: "${value}"`;
  return { status: 400, message, payload: {} };
}
