/**
 * The sandbox's active fault rules: which rules hit a request, and how many uses each has left.
 * A rule belongs to the gateway stage, the store stage, or both (by the switches it sets); each
 * stage counts its own uses, so a `times: 1` rule with a gateway and a store switch hits once in each.
 */
import { Minimatch } from "minimatch";
import type { FaultRule } from "./fault-types.js";

export type FaultStage = "gateway" | "store";

export interface FaultQuery {
  readonly componentId: string;
  /** Path relative to the component root, without a leading `/`. */
  readonly filePath: string;
  readonly stage: FaultStage;
}

const STAGE_SWITCHES: Readonly<Record<FaultStage, readonly (keyof FaultRule)[]>> = {
  gateway: ["gatewayStatus", "expireUrls"],
  store: [
    "storeStatus",
    "cutAfterBytes",
    "truncateAfterBytes",
    "corrupt",
    "bytesPerSecond",
    "stallAfterBytes",
    "ignoreRange",
    "storedBytes",
  ],
};

interface ActiveRule {
  readonly rule: FaultRule;
  readonly matcher: Minimatch;
  readonly usesLeft: Record<FaultStage, number>;
}

/** Holds the fault rules shared by the API gateway and the object store. */
export class FaultBook {
  #active: ActiveRule[] = [];

  /** Replaces every rule (and resets their use counts); throws RangeError on a bad `times`. */
  set(rules: readonly FaultRule[]): void {
    this.#active = rules.map((rule) => {
      const times = rule.times ?? Number.POSITIVE_INFINITY;
      if (!(times >= 0)) throw new RangeError(`fault rule ${rule.match}: bad times ${rule.times}`);
      return {
        rule,
        matcher: new Minimatch(rule.match, { dot: true }),
        usesLeft: { gateway: times, store: times },
      };
    });
  }

  /** Removes every rule. */
  clear(): void {
    this.#active = [];
  }

  /** The rules as set, with their remaining uses per stage. */
  list(): readonly {
    readonly rule: FaultRule;
    readonly usesLeft: Readonly<Record<FaultStage, number>>;
  }[] {
    return this.#active.map(({ rule, usesLeft }) => ({ rule, usesLeft: { ...usesLeft } }));
  }

  /** The rules that hit this request, in the order they were set; each one uses up one of its `times`. */
  take(query: FaultQuery): FaultRule[] {
    const hits: FaultRule[] = [];
    for (const active of this.#active) {
      if (!appliesTo(active, query)) continue;
      active.usesLeft[query.stage] -= 1;
      hits.push(active.rule);
    }
    return hits;
  }
}

function appliesTo(active: ActiveRule, query: FaultQuery): boolean {
  const { rule } = active;
  if (active.usesLeft[query.stage] <= 0) return false;
  if (rule.componentId !== undefined && rule.componentId !== query.componentId) return false;
  if (!STAGE_SWITCHES[query.stage].some((key) => rule[key] !== undefined && rule[key] !== false)) {
    return false;
  }
  return active.matcher.match(query.filePath);
}
