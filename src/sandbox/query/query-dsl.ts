/**
 * The `query` list parameter of the DCI API: `op(field,value)`, `null(field)`
 * and `and(...)`/`or(...)`/`not(...)` nesting, read like the server's pyparsing grammar (leading
 * whitespace skipped, trailing text ignored, only the first of several top-level filters used).
 * Pure.
 */
import { type CompareOp, type Condition, castError, normaliseValue } from "./list-condition.js";
import type { ListColumns, ListQueryError } from "./list-types.js";

type DslNode =
  | { readonly op: string; readonly field: string; readonly value?: string }
  | { readonly logical: "and" | "or" | "not"; readonly operands: readonly DslNode[] };

const BINARY_OPS = [
  "not_contains",
  "contains",
  "ilike",
  "like",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
] as const;
const COMPARE_OPS: readonly CompareOp[] = ["eq", "ne", "lt", "le", "gt", "ge"];
const LOGICAL_OPS = ["and", "or", "not"] as const;
const FIELD = /^[A-Za-z0-9_]+/;
const VALUE = /^[A-Za-z0-9_ %.:/-]+/;

class DslSyntaxError extends Error {
  override name = "DslSyntaxError";
}

/** A recursive-descent reader over the query text; throws DslSyntaxError at the first mismatch. */
class DslReader {
  #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  #skipSpace(): void {
    while (/^[ \t\n\r]/.test(this.#text.slice(this.#at, this.#at + 1))) this.#at++;
  }

  #take(pattern: RegExp, what: string): string {
    this.#skipSpace();
    const match = pattern.exec(this.#text.slice(this.#at));
    if (!match) throw new DslSyntaxError(`Expected ${what} (at char ${this.#at})`);
    this.#at += match[0].length;
    return match[0];
  }

  #peekWord(words: readonly string[]): string | undefined {
    this.#skipSpace();
    const rest = this.#text.slice(this.#at);
    return words.find((word) => rest.startsWith(word) && /^\s*\(/.test(rest.slice(word.length)));
  }

  #filter(): DslNode | undefined {
    if (this.#peekWord(["null"]) !== undefined) {
      this.#take(/^null/, "null");
      this.#take(/^\(/, '"("');
      const field = this.#take(FIELD, "field");
      this.#take(/^\)/, '")"');
      return { op: "null", field };
    }
    const op = this.#peekWord(BINARY_OPS);
    if (op === undefined) return undefined;
    this.#take(new RegExp(`^${op}`), op);
    this.#take(/^\(/, '"("');
    const field = this.#take(FIELD, "field");
    this.#take(/^,/, '","');
    const value = this.#take(VALUE, "value");
    this.#take(/^\)/, '")"');
    return { op, field, value };
  }

  /** One operand: a filter, or a nested logical expression. */
  #operand(): DslNode {
    const filter = this.#filter();
    if (filter !== undefined) return filter;
    const logical = LOGICAL_OPS.find((word) => this.#peekWord([word]) === word);
    if (logical === undefined)
      throw new DslSyntaxError(`Expected an operation (at char ${this.#at})`);
    this.#take(new RegExp(`^${logical}`), logical);
    this.#take(/^\(/, '"("');
    const operands = [this.#operand()];
    while (this.#peekChar(",")) {
      this.#take(/^,/, '","');
      operands.push(this.#operand());
    }
    this.#take(/^\)/, '")"');
    return { logical, operands };
  }

  #peekChar(char: string): boolean {
    this.#skipSpace();
    return this.#text.startsWith(char, this.#at);
  }

  /** The whole query; like pyparsing's `parseString`, text after the first expression is ignored. */
  read(): DslNode {
    return this.#operand();
  }
}

function compile(node: DslNode, columns: ListColumns): Condition | ListQueryError {
  if ("logical" in node) {
    const conditions: Condition[] = [];
    for (const operand of node.operands) {
      const condition = compile(operand, columns);
      if ("status" in condition) return condition;
      conditions.push(condition);
    }
    const [first] = conditions;
    if (node.logical !== "not") return { kind: node.logical, conditions };
    // sqlalchemy's not_() takes exactly one clause; anything else is an unhandled TypeError.
    if (first === undefined || conditions.length !== 1) return serverError();
    return { kind: "not", condition: first };
  }
  const columnKind = Object.hasOwn(columns, node.field) ? columns[node.field] : undefined;
  if (columnKind === undefined) {
    return { status: 400, message: `Invalid field: ${node.field}`, payload: {} };
  }
  const value = node.value ?? "";
  switch (node.op) {
    case "null":
      return { kind: "null", column: node.field, orEmpty: true };
    case "like":
    case "ilike":
      return { kind: "like", column: node.field, pattern: value, ignoreCase: node.op === "ilike" };
    case "contains":
      return { kind: "contains", column: node.field, element: value };
    case "not_contains":
      // Broken on the server: `not` applied to a SQL expression raises, an HTML 500.
      return serverError();
    default: {
      const normalised = columnKind === "text" ? value : normaliseValue(columnKind, value);
      if (normalised === undefined) return castError(columnKind, value);
      const op = COMPARE_OPS.find((known) => known === node.op) ?? "eq";
      return {
        kind: "compare",
        column: node.field,
        columnKind,
        op,
        value: normalised,
        ignoreCase: false,
      };
    }
  }
}

function serverError(): ListQueryError {
  return { status: 500, message: "Internal Server Error", payload: {} };
}

/** Parses and compiles a `query` value into one condition, or the error the server answers. */
export function compileQueryDsl(text: string, columns: ListColumns): Condition | ListQueryError {
  let node: DslNode;
  try {
    node = new DslReader(text).read();
  } catch (error) {
    if (!(error instanceof DslSyntaxError)) throw error;
    return { status: 400, message: `error while parsing the query ${error.message}`, payload: {} };
  }
  return compile(node, columns);
}
