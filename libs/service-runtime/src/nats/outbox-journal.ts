import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** One message kept on disk until JetStream acknowledged it. */
export interface JournalEntry {
  /** Its file's name: the order it was added in. */
  readonly key: string;
  readonly subject: string;
  readonly msgId: string;
  readonly data: Uint8Array;
}

/** The journal's folder cannot be made or written: a setting to fix, named by the caller. */
export class OutboxJournalError extends Error {
  override readonly name = 'OutboxJournalError';
}

const ENTRY = /^(\d{12})-[0-9a-f]{8}\.json$/;
/** A temporary file older than this was left by a process that died mid-write. */
const STALE_TEMPORARY_MS = 60_000;

/**
 * The on-disk half of a durable outbox: one small file per waiting message in a folder of
 * its own, so a process that dies while JetStream is unreachable leaves its messages for
 * the next one to send. A file is written whole to a temporary name, flushed to disk and
 * renamed, so a crash leaves either the whole message or none of it; it is deleted once
 * JetStream has acknowledged the message (the stream's deduplication by message id makes
 * a message sent twice, once before a crash and once after, count once).
 */
export class OutboxJournal {
  private next: number;
  private readonly boot = randomBytes(4).toString('hex');

  constructor(readonly folder: string) {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      this.next =
        this.keys().reduce((high, key) => Math.max(high, Number(key.slice(0, 12))), 0) + 1;
      // Proves the folder writable now, not at the first result.
      const probe = join(folder, '.write-check');
      closeSync(openSync(probe, 'w', 0o600));
      rmSync(probe);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new OutboxJournalError(`cannot keep an outbox in ${folder} (${code})`, {
        cause: error,
      });
    }
  }

  /**
   * What an earlier process left, oldest first. A file that cannot be read as an entry (not
   * ours, or damaged on disk) is moved aside as `<name>.bad` and named in `unreadable`.
   */
  load(): { entries: JournalEntry[]; unreadable: string[] } {
    const entries: JournalEntry[] = [];
    const unreadable: string[] = [];
    for (const name of readdirSync(this.folder)) {
      const path = join(this.folder, name);
      if (name.endsWith('.tmp') && Date.now() - statSync(path).mtimeMs > STALE_TEMPORARY_MS) {
        rmSync(path, { force: true });
      }
    }
    for (const key of this.keys()) {
      const path = join(this.folder, key);
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
        if (
          typeof parsed.subject !== 'string' ||
          typeof parsed.msgId !== 'string' ||
          typeof parsed.data !== 'string'
        ) {
          throw new Error('not an outbox entry');
        }
        entries.push({
          key,
          subject: parsed.subject,
          msgId: parsed.msgId,
          data: Buffer.from(parsed.data, 'base64'),
        });
      } catch {
        renameSync(path, `${path}.bad`);
        unreadable.push(`${path}.bad`);
      }
    }
    return { entries, unreadable };
  }

  /**
   * Writes the message to disk before it is sent; returns its entry. Throws when the disk
   * refuses (full, read-only), leaving no partial file behind.
   */
  append(subject: string, msgId: string, data: Uint8Array): JournalEntry {
    // The boot tag keeps two processes of one node (a restart overlapping the old one's
    // drain) from ever writing or deleting each other's files.
    const key = `${String(this.next).padStart(12, '0')}-${this.boot}.json`;
    this.next += 1;
    const path = join(this.folder, key);
    const text = JSON.stringify({ subject, msgId, data: Buffer.from(data).toString('base64') });
    const temporary = `${path}.tmp`;
    try {
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    return { key, subject, msgId, data };
  }

  /** A message this process will not send (another cluster's): kept aside, named. */
  setAside(entry: JournalEntry): string {
    const path = join(this.folder, `${entry.key}.other`);
    renameSync(join(this.folder, entry.key), path);
    return path;
  }

  /** The message was acknowledged (or given up): its file goes. */
  remove(entry: JournalEntry): void {
    rmSync(join(this.folder, entry.key), { force: true });
  }

  private keys(): string[] {
    return readdirSync(this.folder)
      .filter((name) => ENTRY.test(name))
      .sort();
  }
}
