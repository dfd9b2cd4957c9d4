/**
 * The partial of one download as it stands on disk: its path, the bytes it holds, their sha256 so
 * far (fed only with what a write really put there), and the ETag they belong to. Every disk call
 * goes through onDisk, so its failure is a LocalIOError naming the partial.
 */
import { createHash, type Hash } from "node:crypto";
import type { RemoteFile } from "../model.js";
import type { PlacedStats } from "../tree/place.js";
import { onDisk } from "./on-disk.js";
import { discardPartial, openPartial } from "./partial.js";
import { writePartialMeta } from "./partial-meta.js";
import { finishHeldPartial, openPartialWriter, PartialChangedError } from "./partial-writer.js";
import { hashFile } from "./verify.js";

export class HeldPartial {
  readonly #file: RemoteFile;
  readonly #componentFolder: string;
  readonly #signal: AbortSignal;
  #filePath = "";
  /** sha256 of the bytes on disk in the partial: fed only with what a write really put there. */
  #hash: Hash = createHash("sha256");
  /** Bytes on disk in the partial, counted as writes complete (never as they are received). */
  #heldBytes = 0;
  #etag: string | undefined;
  /** Size, mtime and inode of a partial its writer completed and fsynced. */
  #finished: PlacedStats | undefined;

  constructor(file: RemoteFile, componentFolder: string, signal: AbortSignal) {
    this.#file = file;
    this.#componentFolder = componentFolder;
    this.#signal = signal;
  }

  get filePath(): string {
    return this.#filePath;
  }

  get heldBytes(): number {
    return this.#heldBytes;
  }

  get etag(): string | undefined {
    return this.#etag;
  }

  /** Finds the file's partial and hashes the bytes it holds; with `mayExist` false none is looked for. */
  async open({ mayExist }: { mayExist: boolean }): Promise<void> {
    const componentFolder = this.#componentFolder;
    const partial = await onDisk("open the partial folder", componentFolder, this.#signal, () =>
      openPartial(componentFolder, this.#file, { mayExist }),
    );
    this.#filePath = partial.filePath;
    this.#heldBytes = partial.heldBytes;
    this.#etag = partial.etag;
    this.#hash = await onDisk("read", this.#filePath, this.#signal, () =>
      hashFile(this.#filePath, this.#signal, { byteCount: this.#heldBytes }),
    );
  }

  /** Range and If-Range request headers that continue the held bytes; none when it holds none. */
  rangeHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.#heldBytes > 0) {
      headers["range"] = `bytes=${this.#heldBytes}-`;
      if (this.#etag !== undefined) headers["if-range"] = this.#etag;
    }
    return headers;
  }

  /** The hex sha256 of the held bytes; the hash is used up (only a restart begins another). */
  digest(): string {
    return this.#hash.digest("hex");
  }

  /** Before a body written from byte 0: keeps its ETag, and records it in the meta file. */
  async startFresh(etag: string | undefined): Promise<void> {
    this.#etag = etag;
    await onDisk("write the meta file of", this.#filePath, this.#signal, () =>
      writePartialMeta(this.#componentFolder, this.#file, this.#etag),
    );
  }

  /** Drops the partial's bytes: the next body is written from byte 0. */
  async restart(): Promise<void> {
    const path = this.#filePath;
    this.#finished = undefined;
    await onDisk("remove", path, this.#signal, () => discardPartial(path));
    this.#hash = createHash("sha256");
    this.#heldBytes = 0;
    this.#etag = undefined;
  }

  /** A writer from the held bytes on; each piece it puts on disk is hashed and counted as held. */
  openWriter(): ReturnType<typeof openPartialWriter> {
    const path = this.#filePath;
    return onDisk("open", path, this.#signal, () =>
      openPartialWriter(path, this.#heldBytes, (written) => this.#onWritten(written)),
    );
  }

  /** Keeps the stats of the partial its writer just completed and fsynced. */
  markFinished(stats: PlacedStats): void {
    this.#finished = stats;
  }

  /**
   * The completed partial's size, mtime and inode, fsynced (by its writer, or here when a 416
   * answered its resume); undefined when the partial changed on disk (start again).
   */
  async finish(): Promise<PlacedStats | undefined> {
    const path = this.#filePath;
    try {
      return (
        this.#finished ??
        (await onDisk("fsync", path, this.#signal, () =>
          finishHeldPartial(path, this.#file.sizeBytes),
        ))
      );
    } catch (error) {
      if (error instanceof PartialChangedError) return undefined;
      throw error;
    }
  }

  /** Bytes a write really put on disk: only now are they hashed and counted as held. */
  #onWritten(written: Uint8Array): void {
    this.#hash.update(written);
    this.#heldBytes += written.length;
  }
}
