/**
 * The names dci-mirror keeps for itself inside a component (and topic) folder: they are never part
 * of a mirror, a files list may not use them, and scans and prune leave them alone. Pure.
 */

/** Every bookkeeping name starts with this: the folder, the lock file, temp files. */
export const BOOKKEEPING_PREFIX = ".dci-mirror";
