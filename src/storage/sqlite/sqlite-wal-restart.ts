import type { Checkpointer, CheckpointResult } from './sqlite-checkpointer.js'

/** WAL frames (4 KiB pages) past which the writer pauses between groups so the log can start over. */
export const RESTART_AFTER_FRAMES = 4_096

/**
 * Keeps a busy WAL from growing without end. SQLite writes the log from its start again only when a
 * writer begins while every frame is already in the database file and no reader holds a snapshot in
 * the log. Under steady writes with snapshot readers that moment never comes by itself: the log grew by
 * tens of MB a second, every fsync of it had to extend the file, and past `wal_autocheckpoint` each
 * COMMIT ran a checkpoint on the event loop. So once a periodic checkpoint reports a long log, the next
 * group of writes waits (every earlier commit is durable by then and no snapshot is pinned) for one more
 * checkpoint, which can now copy every frame, and for the turn's read snapshot to end; its BEGIN then
 * finds the log fully copied and starts it over. Reads keep running meanwhile.
 */
export function createWalRestart(threshold = RESTART_AFTER_FRAMES) {
  let wanted = false
  return {
    /** For the checkpointer: hears each periodic checkpoint's outcome. */
    heard(result: CheckpointResult): void {
      wanted = result.frames >= threshold
    },
    /** For the group commit, between groups with everything durable: what the next group waits for, if anything. */
    beforeGroup(worker: Checkpointer): Promise<void> | null {
      if (!wanted) return null
      wanted = false
      // The turn's read snapshot (opened before the copy finished) ends at setImmediate; one opened after
      // it reads the database file alone and does not hold the log.
      return worker.checkpoint().then(() => new Promise<void>((resolve) => setImmediate(resolve)))
    },
  }
}

export type WalRestart = ReturnType<typeof createWalRestart>
