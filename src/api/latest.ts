/**
 * "Latest" as dci-downloader means it: the active component of a
 * type, with a tag if asked, that has the newest `created_at`. Pure: components in, one out.
 */

import type { Component, ComponentFilter } from "../model.js";

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A key that sorts timestamps by time as plain strings: UTC `YYYY-MM-DDTHH:MM:SS`, a dot, then
 * the fraction without trailing zeros (`.5` and `.500000` are one instant, `.5` after `.41`).
 * Undefined when the text is not an ISO timestamp.
 */
export function timestampKey(text: string): string | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (match === null) return undefined;
  const [, year, month, day, hours, minutes, seconds, fraction = "", offset = "Z"] = match;
  const utcMs = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
  const offsetMinutes =
    offset === "Z"
      ? 0
      : (offset.startsWith("-") ? -1 : 1) *
        (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(-2)));
  const wholeSeconds = new Date(utcMs - offsetMinutes * 60_000).toISOString().slice(0, 19);
  return `${wholeSeconds}.${fraction.replace(/0+$/, "")}`;
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Positive when `left` is the later pick: newer `created_at` (unreadable ones oldest), then id. */
function compareLatest(left: Component, right: Component): number {
  const leftKey = timestampKey(left.createdAt);
  const rightKey = timestampKey(right.createdAt);
  if (leftKey !== rightKey) {
    if (leftKey === undefined) return -1;
    if (rightKey === undefined) return 1;
    return compareText(leftKey, rightKey);
  }
  // Same instant: the server's order is then arbitrary; the greater id wins, every run.
  return compareText(left.id, right.id);
}

/**
 * The newest active component of `selector.type` (with `selector.tag` among its tags when given),
 * ties broken by the greater id; undefined when none. The client runs it on the candidates the
 * server lists newest first, so the same component wins whatever order the server gives ties.
 */
export function pickLatest(
  components: readonly Component[],
  selector: ComponentFilter,
): Component | undefined {
  const type = selector.type.trim().toLowerCase();
  const tag = selector.tag === "" ? undefined : selector.tag;
  let latest: Component | undefined;
  for (const component of components) {
    if (component.state !== "active" || component.type.toLowerCase() !== type) continue;
    if (tag !== undefined && !component.tags.includes(tag)) continue;
    if (latest === undefined || compareLatest(component, latest) > 0) latest = component;
  }
  return latest;
}
