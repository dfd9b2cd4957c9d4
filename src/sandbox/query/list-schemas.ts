/**
 * The columns the DCI server lets a caller filter (`where`, `query`) and sort on, per list
 * endpoint, with each column's comparison kind.
 */
import type { ListSchema } from "./list-types.js";

export const TOPIC_LIST_SCHEMA: ListSchema = {
  columns: {
    id: "uuid",
    created_at: "timestamp",
    updated_at: "timestamp",
    etag: "text",
    name: "text",
    product_id: "uuid",
    next_topic_id: "uuid",
    export_control: "boolean",
    state: "text",
  },
  defaultSort: "-created_at",
};

const COMPONENT_TEXT_COLUMNS = [
  "etag",
  "name",
  "type",
  "canonical_project_name",
  "display_name",
  "version",
  "uid",
  "title",
  "message",
  "url",
  "state",
] as const;

export const COMPONENT_LIST_SCHEMA: ListSchema = {
  columns: {
    id: "uuid",
    created_at: "timestamp",
    updated_at: "timestamp",
    released_at: "timestamp",
    ...Object.fromEntries(COMPONENT_TEXT_COLUMNS.map((column) => [column, "text"] as const)),
    topic_id: "uuid",
    team_id: "uuid",
    tags: "array",
  },
  defaultSort: "-released_at",
};
