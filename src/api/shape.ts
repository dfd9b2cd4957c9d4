/**
 * Small readers that narrow `unknown` JSON into typed values, throwing `ApiShapeError` that names the
 * endpoint and the field when the server sent something else.
 */
import { ApiShapeError } from "../errors.js";

export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads fields of one JSON object received from `endpoint`. */
export class ShapeReader {
  readonly #object: JsonObject;
  readonly #endpoint: string;
  readonly #field: string;

  constructor(value: unknown, endpoint: string, field = "response") {
    if (!isJsonObject(value)) throw shapeError(endpoint, field, "an object");
    this.#object = value;
    this.#endpoint = endpoint;
    this.#field = field;
  }

  /** Throws the shape error for `key`, for checks beyond the type (ranges, formats). */
  fail(key: string, expected: string): never {
    throw shapeError(this.#endpoint, `${this.#field}.${key}`, expected);
  }

  has(key: string): boolean {
    return this.#object[key] !== undefined;
  }

  string(key: string): string {
    const value = this.#object[key];
    return typeof value === "string" ? value : this.fail(key, "a string");
  }

  optionalString(key: string): string | null {
    const value = this.#object[key];
    if (value === undefined || value === null) return null;
    return typeof value === "string" ? value : this.fail(key, "a string or null");
  }

  number(key: string): number {
    const value = this.#object[key];
    return typeof value === "number" && Number.isFinite(value) ? value : this.fail(key, "a number");
  }

  boolean(key: string, fallback?: boolean): boolean {
    const value = this.#object[key];
    if (value === undefined && fallback !== undefined) return fallback;
    return typeof value === "boolean" ? value : this.fail(key, "a boolean");
  }

  strings(key: string): readonly string[] {
    const value = this.#object[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
      return value.filter((item): item is string => typeof item === "string");
    }
    return this.fail(key, "a list of strings");
  }

  /** A list the answer must have: missing or null is a shape error, as is any other type. */
  requiredArray(key: string): readonly unknown[] {
    const value = this.#object[key];
    return Array.isArray(value) ? value : this.fail(key, "a list");
  }

  /** An optional list: missing or null reads as empty. */
  array(key: string): readonly unknown[] {
    const value = this.#object[key];
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : this.fail(key, "a list");
  }

  object(key: string): JsonObject {
    const value = this.#object[key];
    if (value === undefined || value === null) return {};
    return isJsonObject(value) ? value : this.fail(key, "an object");
  }

  /** A nested object as its own reader, for required sub-objects such as `{"topic": {...}}`. */
  reader(key: string): ShapeReader {
    return new ShapeReader(this.#object[key], this.#endpoint, `${this.#field}.${key}`);
  }
}

function shapeError(endpoint: string, field: string, expected: string): ApiShapeError {
  return new ApiShapeError(`Unexpected answer from ${endpoint}: ${field} is not ${expected}.`, {
    code: "API_SHAPE",
    hint: "The DCI server answered in a shape dci-mirror does not know; check DCI_CS_URL points at a DCI control server, and report it with --verbose output if it does.",
  });
}
