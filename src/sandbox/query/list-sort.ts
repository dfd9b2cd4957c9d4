/**
 * The `sort` list parameter of the DCI API: comma-separated columns, `-` for descending,
 * applied in order, compared like PostgreSQL. Pure.
 */
import { normaliseValue } from "./list-condition.js";
import type { ListQueryError, ListRow, ListSchema } from "./list-types.js";
import { parseCsvRecord } from "./where-clause.js";

export interface SortKey {
  readonly column: string;
  readonly descending: boolean;
}

/** Reads `sort` (the schema default when absent or empty); 400 names the first unknown key. */
export function parseSort(
  value: string | undefined,
  schema: ListSchema,
): SortKey[] | ListQueryError {
  const pieces = value === undefined || value === "" ? [schema.defaultSort] : parseCsvRecord(value);
  const keys: SortKey[] = [];
  for (const piece of pieces) {
    const descending = piece.startsWith("-");
    const column = descending ? piece.slice(1) : piece;
    if (!Object.hasOwn(schema.columns, column)) {
      return {
        status: 400,
        message: `Invalid sort key: "${column}"`,
        payload: { "Valid sort keys": Object.keys(schema.columns).sort() },
      };
    }
    keys.push({ column, descending });
  }
  return keys;
}

/** Orders two cells like PostgreSQL: NULLs last ascending (first descending), text by code unit. */
function compareCells(left: unknown, right: unknown): number {
  const isLeftNull = left === null || left === undefined;
  const isRightNull = right === null || right === undefined;
  if (isLeftNull || isRightNull) return isLeftNull === isRightNull ? 0 : isLeftNull ? 1 : -1;
  const leftText = typeof left === "string" ? left : JSON.stringify(left);
  const rightText = typeof right === "string" ? right : JSON.stringify(right);
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
}

function sortCell(row: ListRow, column: string, schema: ListSchema): unknown {
  const cell = row[column];
  // Timestamps print microseconds only when non-zero; compare them at full width.
  if (schema.columns[column] === "timestamp" && typeof cell === "string") {
    return normaliseValue("timestamp", cell) ?? cell;
  }
  return cell;
}

/** Orders two rows by the sort keys in turn; equal rows keep their order (the sort is stable). */
export function compareRows(
  left: ListRow,
  right: ListRow,
  sort: readonly SortKey[],
  schema: ListSchema,
): number {
  for (const key of sort) {
    const order = compareCells(
      sortCell(left, key.column, schema),
      sortCell(right, key.column, schema),
    );
    if (order !== 0) return key.descending ? -order : order;
  }
  return 0;
}
