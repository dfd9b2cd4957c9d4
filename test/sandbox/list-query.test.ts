import { describe, expect, it } from "vitest";
import { applyListQuery, parseListQuery } from "../../src/sandbox/query/list-query.js";
import { COMPONENT_LIST_SCHEMA, TOPIC_LIST_SCHEMA } from "../../src/sandbox/query/list-schemas.js";
import type { ListRow, ListSchema } from "../../src/sandbox/query/list-types.js";
import { likeToRegExp } from "../../src/sandbox/query/sql-like.js";
import { parseCsvRecord } from "../../src/sandbox/query/where-clause.js";

const TOPIC_ID = "f7bbea42-996b-46c6-aa71-fc655b7fcd38";
const TEAM_ID = "1e917fe7-0ceb-4685-9b3a-d49093c24a1c";

function component(name: string, fields: Partial<Record<string, unknown>> = {}): ListRow {
  return {
    id: `7f6b200d-5ebc-4d4a-ba36-f29aba2535${String(name.length).padStart(2, "0")}`,
    name,
    type: "compose",
    display_name: name,
    version: "9.4",
    title: null,
    state: "active",
    tags: [],
    team_id: null,
    topic_id: TOPIC_ID,
    created_at: "2024-04-19T05:12:33.512301",
    released_at: "2024-04-19T05:12:33.512301",
    updated_at: "2024-04-19T05:12:33.512301",
    ...fields,
  };
}

const COMPONENTS: readonly ListRow[] = [
  component("RHEL-9.4.0-20240419.5", {
    tags: ["milestone", "build:RC"],
    released_at: "2024-04-19T05:12:33.5",
  }),
  component("RHEL-9.4.0-20240420.1", {
    tags: ["nightly"],
    released_at: "2024-04-20T01:00:00",
    created_at: "2024-04-18T00:00:00",
  }),
  component("Foo-RHEL-9", {
    type: "Compose-NoInstall",
    state: "inactive",
    title: "hello",
    released_at: "2024-04-10T00:00:00",
  }),
  component("RHEL-8.10.0", {
    tags: ["Nightly"],
    team_id: TEAM_ID,
    released_at: "2024-03-01T00:00:00",
  }),
  component("rhel_9%x", {
    type: "tool",
    released_at: "2024-01-01T00:00:00",
    created_at: "2025-01-01T00:00:00",
  }),
];

function namesFor(rawQuery: string, schema: ListSchema = COMPONENT_LIST_SCHEMA, rows = COMPONENTS) {
  const parsed = parseListQuery(rawQuery, schema);
  if (!parsed.ok) throw new Error(`unexpected refusal: ${parsed.error.message}`);
  return applyListQuery(rows, parsed.query, schema).rows.map((row) => row["name"]);
}

function refusalOf(rawQuery: string, schema: ListSchema = COMPONENT_LIST_SCHEMA) {
  const parsed = parseListQuery(rawQuery, schema);
  if (parsed.ok) throw new Error(`expected a refusal for ${rawQuery}`);
  return parsed.error;
}

describe("list parameter validation", () => {
  it.each([
    ["limit without offset", "limit=1", "'offset' is a dependency of 'limit'"],
    ["offset without limit", "offset=0", "'limit' is a dependency of 'offset'"],
    ["a zero limit", "limit=0&offset=0", "limit: '0' does not match '^[1-9][0-9]*$'"],
    ["a negative offset", "limit=1&offset=-1", "offset: '-1' does not match '^[0-9]+$'"],
    [
      "an unknown parameter",
      "page=2",
      "Additional properties are not allowed ('page' was unexpected)",
    ],
    ["a where piece without a colon", "where=name", "where: 'name' is not a 'key value csv'"],
    ["a blank limit", "limit=&offset=0", "limit: '' does not match '^[1-9][0-9]*$'"],
  ])("refuses %s with 400 Request malformed", (_case, rawQuery, detail) => {
    const error = refusalOf(rawQuery);
    expect(error).toMatchObject({ status: 400, message: "Request malformed" });
    expect(error.payload["errors"]).toContain(detail);
    expect(error.payload["error"]).toBe(detail);
  });

  it("accepts embed and ignores it", () => {
    expect(namesFor("embed=topic&where=name:Foo-RHEL-9")).toEqual(["Foo-RHEL-9"]);
  });

  it("refuses an unknown sort key naming it without its minus sign", () => {
    const error = refusalOf("sort=-flavour");
    expect(error).toMatchObject({ status: 400, message: 'Invalid sort key: "flavour"' });
    expect(error.payload["Valid sort keys"]).toContain("released_at");
  });

  it.each([
    ["an unknown key", "where=flavour:vanilla", 'Invalid where key: "flavour:vanilla"'],
    ["the refused data key", "where=data:x", 'Invalid where key: "data:x"'],
    [
      "a key with a leading space after a comma",
      "where=name:a, type:b",
      'Invalid where key: " type:b"',
    ],
  ])("refuses %s in where with the valid keys in the payload", (_case, rawQuery, message) => {
    const error = refusalOf(rawQuery);
    expect(error).toMatchObject({ status: 400, message });
    expect(error.payload["Valid where keys"]).toEqual(
      Object.keys(COMPONENT_LIST_SCHEMA.columns).sort(),
    );
  });

  it("refuses a non-UUID value for a UUID column like PostgreSQL does", () => {
    expect(refusalOf("where=team_id:acme").message).toContain("invalid input syntax for type uuid");
  });

  it("keeps the first of repeated keys, as the server's parameter map does", () => {
    expect(namesFor("where=type:tool&where=type:compose")).toEqual(["rhel_9%x"]);
  });
});

describe("where semantics", () => {
  it.each([
    ["case-insensitive equality", "where=name:rhel-9.4.0-20240419.5", ["RHEL-9.4.0-20240419.5"]],
    [
      "a trailing * as contains, not prefix",
      "where=name:RHEL-9*",
      ["RHEL-9.4.0-20240420.1", "RHEL-9.4.0-20240419.5", "Foo-RHEL-9"],
    ],
    ["a * elsewhere as a literal", "where=name:RHEL*9*", []],
    [
      "_ as a LIKE wildcard in contains form",
      "where=name:rhel_9*",
      ["RHEL-9.4.0-20240420.1", "RHEL-9.4.0-20240419.5", "Foo-RHEL-9", "rhel_9%x"],
    ],
    ["% as a LIKE wildcard in contains form", "where=name:9%25x*", ["rhel_9%x"]],
    ["% as a literal in equality form", "where=name:rhel_9%25x", ["rhel_9%x"]],
    [
      "an empty value as IS NULL",
      "where=title:",
      ["RHEL-9.4.0-20240420.1", "RHEL-9.4.0-20240419.5", "RHEL-8.10.0", "rhel_9%x"],
    ],
    ["tags as case-sensitive array membership", "where=tags:nightly", ["RHEL-9.4.0-20240420.1"]],
    [
      "several tags clauses that must all hold",
      "where=tags:milestone,tags:build:RC",
      ["RHEL-9.4.0-20240419.5"],
    ],
    ["the value split at the first colon only", "where=tags:build:RC", ["RHEL-9.4.0-20240419.5"]],
    ["clauses ANDed", "where=type:compose,state:active,tags:nightly", ["RHEL-9.4.0-20240420.1"]],
    ["type lower-cased on both sides", "where=type:compose-noinstall", ["Foo-RHEL-9"]],
    ["a UUID column by equality", `where=team_id:${TEAM_ID.toUpperCase()}`, ["RHEL-8.10.0"]],
    [
      "newlines and tabs removed from the value",
      "where=name:RHEL-9.4.0-%0A20240420.1",
      ["RHEL-9.4.0-20240420.1"],
    ],
    [
      "an empty where as no filter",
      "where=",
      ["RHEL-9.4.0-20240420.1", "RHEL-9.4.0-20240419.5", "Foo-RHEL-9", "RHEL-8.10.0", "rhel_9%x"],
    ],
  ])("applies %s", (_case, rawQuery, names) => {
    expect(namesFor(rawQuery)).toEqual(names);
  });

  it("compares booleans of topics after a PostgreSQL-style cast", () => {
    const topics: ListRow[] = [
      { name: "A", export_control: true, created_at: "2024-01-01T00:00:00" },
      { name: "B", export_control: false, created_at: "2024-01-02T00:00:00" },
    ];
    expect(namesFor("where=export_control:True", TOPIC_LIST_SCHEMA, topics)).toEqual(["A"]);
    expect(namesFor("where=export_control:f", TOPIC_LIST_SCHEMA, topics)).toEqual(["B"]);
  });
});

describe("query DSL", () => {
  it.each([
    [
      "eq, case-sensitive",
      "query=eq(type,compose)",
      ["RHEL-9.4.0-20240420.1", "RHEL-9.4.0-20240419.5", "RHEL-8.10.0"],
    ],
    ["ne skipping nothing non-null", "query=ne(state,active)", ["Foo-RHEL-9"]],
    ["ne skipping NULL columns like SQL", "query=ne(title,bye)", ["Foo-RHEL-9"]],
    [
      "like with %",
      "query=like(name,RHEL-9%25)",
      ["RHEL-9.4.0-20240420.1", "RHEL-9.4.0-20240419.5"],
    ],
    ["ilike", "query=ilike(name,rhel-8%25)", ["RHEL-8.10.0"]],
    ["contains on tags", "query=contains(tags,Nightly)", ["RHEL-8.10.0"]],
    [
      "null matching NULL and empty strings",
      "query=null(title)",
      ["RHEL-9.4.0-20240420.1", "RHEL-9.4.0-20240419.5", "RHEL-8.10.0", "rhel_9%x"],
    ],
    [
      "and/or/not nesting",
      "query=and(eq(type,compose),or(contains(tags,nightly),not(eq(state,active))))",
      ["RHEL-9.4.0-20240420.1"],
    ],
    [
      "spaces after commas",
      "query=or(eq(name,%20Foo-RHEL-9), eq(name,rhel_9%25x))",
      ["Foo-RHEL-9", "rhel_9%x"],
    ],
    [
      "only the first of several top-level filters",
      "query=eq(type,tool),eq(type,compose)",
      ["rhel_9%x"],
    ],
    ["where winning over query", "where=type:tool&query=eq(type,compose)", ["rhel_9%x"]],
  ])("applies %s", (_case, rawQuery, names) => {
    expect(namesFor(rawQuery)).toEqual(names);
  });

  it.each([
    ["a parse error", "query=eq(name", 400, "error while parsing the query"],
    ["an unknown field", "query=eq(flavour,x)", 400, "Invalid field: flavour"],
    ["the broken not_contains", "query=not_contains(tags,x)", 500, "Internal Server Error"],
  ])("refuses %s", (_case, rawQuery, status, message) => {
    const error = refusalOf(rawQuery);
    expect(error.status).toBe(status);
    expect(error.message).toContain(message);
  });
});

describe("sorting, counting and paging", () => {
  it("sorts components by -released_at by default, comparing timestamps at full width", () => {
    expect(namesFor("")).toEqual([
      "RHEL-9.4.0-20240420.1",
      "RHEL-9.4.0-20240419.5",
      "Foo-RHEL-9",
      "RHEL-8.10.0",
      "rhel_9%x",
    ]);
  });

  it("sorts by several keys in order, each with its own direction", () => {
    expect(namesFor("sort=type,-name")).toEqual([
      "Foo-RHEL-9",
      "RHEL-9.4.0-20240420.1",
      "RHEL-9.4.0-20240419.5",
      "RHEL-8.10.0",
      "rhel_9%x",
    ]);
  });

  it("puts NULLs last ascending and first descending", () => {
    expect(namesFor("sort=title,name").at(0)).toBe("Foo-RHEL-9");
    expect(namesFor("sort=-title,name").at(-1)).toBe("Foo-RHEL-9");
  });

  it("counts the matching rows before limit and offset", () => {
    const parsed = parseListQuery(
      "where=type:compose&sort=name&limit=1&offset=1",
      COMPONENT_LIST_SCHEMA,
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    const page = applyListQuery(COMPONENTS, parsed.query, COMPONENT_LIST_SCHEMA);
    expect(page.count).toBe(3);
    expect(page.rows.map((row) => row["name"])).toEqual(["RHEL-9.4.0-20240419.5"]);
  });

  it("caps the limit at 200 and defaults it to 20", () => {
    const capped = parseListQuery("limit=5000&offset=0", COMPONENT_LIST_SCHEMA);
    const defaulted = parseListQuery("", COMPONENT_LIST_SCHEMA);
    expect(capped.ok && capped.query.limit).toBe(200);
    expect(defaulted.ok && defaulted.query).toMatchObject({ limit: 20, offset: 0 });
  });

  it("filters by created_after in both accepted forms and ignores other forms", () => {
    expect(namesFor("created_after=2024-12-31T00:00:00.0")).toEqual(["rhel_9%x"]);
    expect(namesFor(`created_after=${Date.UTC(2024, 11, 31)}`)).toEqual(["rhel_9%x"]);
    expect(namesFor("created_after=yesterday")).toHaveLength(5);
  });

  it("sorts topics by -created_at by default", () => {
    const topics: ListRow[] = [
      { name: "old", created_at: "2023-01-01T00:00:00" },
      { name: "new", created_at: "2024-01-01T00:00:00" },
    ];
    expect(namesFor("", TOPIC_LIST_SCHEMA, topics)).toEqual(["new", "old"]);
  });
});

describe("helpers", () => {
  it.each([
    ['"a,b":x,y:z', ["a,b:x", "y:z"]],
    ['a"b"c,d', ['a"b"c', "d"]],
    ['"a""b"c,d', ['a"bc', "d"]],
    ['"abc', ["abc"]],
    ["", []],
  ])("reads the CSV record %j like Python's csv module", (record, fields) => {
    expect(parseCsvRecord(record)).toEqual(fields);
  });

  it("treats a backslash in a LIKE pattern as an escape", () => {
    expect(likeToRegExp("100\\%", false).test("100%")).toBe(true);
    expect(likeToRegExp("100\\%", false).test("1000")).toBe(false);
  });
});
