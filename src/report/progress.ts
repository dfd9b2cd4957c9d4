/**
 * Draws a run's progress from its events. On a TTY: a cli-progress block on stderr naming the
 * component being mirrored, one line per phase (check: hashing present files; fetch) with its
 * files, bytes, recent rate and ETA, and one line per active large file, with log lines printed
 * above it; every line fits the terminal's width. Elsewhere (cron, systemd, pipes): sparse plain
 * lines, no ANSI codes, a progress line at most every 30 s.
 */
import { MultiBar, type SingleBar } from "cli-progress";
import type { MirrorEvent } from "../events.js";
import type { Outcome } from "../model.js";
import { formatBytes } from "../units.js";
import {
  DEFAULT_COLUMNS,
  plainProgressLine,
  progressLineCount,
  progressLines,
  wrapText,
} from "./progress-lines.js";
import { ProgressState } from "./progress-state.js";
import { visibleText } from "./visible-text.js";

export interface ProgressOptions {
  readonly isTty: boolean;
  /** Draw nothing but failures (`--quiet`, `--json`). */
  readonly quiet: boolean;
  /** `--no-progress` turns the TTY block into plain lines. */
  readonly showBar: boolean;
  readonly write: (line: string) => void;
  /** A file failed: always shown, above the bars when there are some. */
  readonly fail: (failure: Extract<Outcome, { kind: "failed" }>) => void;
  readonly now: () => number;
  /** The terminal's width, read at each redraw (it may be resized); DEFAULT_COLUMNS if absent. */
  readonly columns?: () => number | undefined;
  readonly plainIntervalMs?: number;
  /** Detail for --verbose (retries); a no-op otherwise. */
  readonly debug?: (line: string) => void;
}

/** Turns MirrorEvents into output; call `stop()` before printing the summary. */
export class ProgressReporter {
  readonly #options: ProgressOptions;
  readonly #state = new ProgressState();
  #block: MultiBar | undefined;
  /** One cli-progress bar per display line; each draws its line of `#lines`. */
  readonly #slots: SingleBar[] = [];
  #lines: string[] = [];
  #lastPlainMs: number;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#lastPlainMs = options.now();
  }

  get #drawsBar(): boolean {
    return this.#options.isTty && this.#options.showBar && !this.#options.quiet;
  }

  #columns(): number {
    const columns = this.#options.columns?.();
    return columns !== undefined && columns > 0 ? columns : DEFAULT_COLUMNS;
  }

  /** A log line: its server text (names, messages) can hold control characters, shown escaped. */
  #log(line: string): void {
    const text = visibleText(line);
    // Line wrap is off while the block is up: a log line is broken to the width instead.
    const lines = this.#drawsBar ? wrapText(text, this.#columns()) : [text];
    if (this.#block !== undefined) this.#block.log(`${lines.join("\n")}\n`);
    else for (const part of lines) this.#options.write(part);
  }

  handle(event: MirrorEvent): void {
    this.#state.handle(event, this.#options.now());
    switch (event.type) {
      case "lock-wait":
        this.#log(
          `waiting for ${event.lockPath}: held by pid ${event.owner.pid} on ${event.owner.host} since ${event.owner.startedAt}`,
        );
        return;
      case "warning":
        this.#log(`warning: ${event.message}`);
        return;
      case "images":
        if (!this.#options.quiet)
          this.#log(
            `${event.componentName}: ${event.imageCount} container image(s) copied to ${event.registry}`,
          );
        return;
      case "prune":
        this.#options.debug?.(visibleText(`removed ${event.path}`));
        return;
      case "skopeo":
        this.#options.debug?.(visibleText(`skopeo: ${event.line}`));
        return;
      case "file-retry":
        this.#options.debug?.(
          visibleText(
            `retrying ${event.path} in ${event.delayMs} ms (attempt ${event.attempt}: ${event.reason})`,
          ),
        );
        return;
      case "plan":
        this.#onPlan(event);
        return;
      case "file-done":
        this.#onFileDone(event.outcome);
        return;
      case "file-progress":
      case "check-progress":
        this.#maybePlainLine();
        return;
      default:
        this.#syncSlots();
        return;
    }
  }

  #onPlan(event: Extract<MirrorEvent, { type: "plan" }>): void {
    const counts = event.counts;
    const transfers = counts.fetchFiles + counts.resumeFiles + counts.checkFiles;
    const checkBytes = counts.checkFiles > 0 ? ` (${formatBytes(counts.bytesToCheck)})` : "";
    if (!this.#options.quiet) {
      this.#log(
        `${event.componentName}: ${counts.totalFiles} files (${formatBytes(counts.totalBytes)}); ` +
          `${counts.fetchFiles + counts.resumeFiles} to fetch (${formatBytes(counts.bytesToFetch)}), ` +
          `${counts.checkFiles} to check${checkBytes}, ${counts.skipFiles} up to date, ${counts.pruneEntries} to remove`,
      );
    }
    if (this.#drawsBar && transfers > 0) this.#startBlock();
    this.#syncSlots();
  }

  #startBlock(): void {
    if (this.#block !== undefined) return;
    this.#block = new MultiBar({
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    });
    // Each redraw lays out the whole display once, at the width of the moment.
    this.#block.on("update-pre", () => {
      this.#lines = progressLines(this.#state, {
        columns: this.#columns(),
        nowMs: this.#options.now(),
      });
    });
  }

  /** As many slots as the display has lines: added at the bottom, removed from it. */
  #syncSlots(): void {
    const block = this.#block;
    if (block === undefined) return;
    const wanted = progressLineCount(this.#state);
    while (this.#slots.length < wanted) {
      const index = this.#slots.length;
      const format = () => this.#lines[index] ?? "";
      this.#slots.push(block.create(1, 0, {}, { format }));
    }
    while (this.#slots.length > wanted) {
      const slot = this.#slots.pop();
      if (slot !== undefined) block.remove(slot);
    }
  }

  #onFileDone(outcome: Outcome): void {
    this.#syncSlots();
    if (outcome.kind !== "failed") return;
    if (this.#block !== undefined) this.#log(`failed ${outcome.path}: ${outcome.message}`);
    else this.#options.fail(outcome);
  }

  #maybePlainLine(): void {
    if (this.#block !== undefined || this.#options.quiet) return;
    const nowMs = this.#options.now();
    if (nowMs - this.#lastPlainMs < (this.#options.plainIntervalMs ?? 30_000)) return;
    this.#lastPlainMs = nowMs;
    this.#options.write(plainProgressLine(this.#state, nowMs));
  }

  stop(): void {
    // cli-progress holds log lines until its next redraw (every 200 ms) and stop() drops them:
    // one last redraw prints a failure that came just before the end of the run.
    this.#block?.update();
    this.#block?.stop();
    this.#block = undefined;
    this.#slots.length = 0;
  }
}
