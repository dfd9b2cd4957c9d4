/**
 * The shapes the sandbox's list machinery shares: a row, the columns of a list endpoint and how each
 * compares, an endpoint's schema (columns and default sort), and the error a refused list parameter
 * answers. Types only.
 */
/** How a column compares: text, array membership, UUID, boolean or timestamp. */
export type ColumnKind = "text" | "array" | "uuid" | "boolean" | "timestamp";

export type ListRow = Readonly<Record<string, unknown>>;

/** The filterable (and sortable) columns of one list endpoint, with how each compares. */
export type ListColumns = Readonly<Record<string, ColumnKind>>;

/** A refusal of the list parameters: the status and error body the DCI server answers. */
export interface ListQueryError {
  readonly status: 400 | 500;
  readonly message: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface ListSchema {
  /** Filterable and sortable columns of the serialised records. */
  readonly columns: ListColumns;
  /** Applied when `sort` is absent: `-created_at` for topics, `-released_at` for components. */
  readonly defaultSort: string;
}
