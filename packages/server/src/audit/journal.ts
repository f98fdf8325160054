import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AppendRow } from './group-commit.js';

/**
 * The audit journal: an append-only file in the data directory where a call's audit row is written
 * (one `write(2)`, no fsync) before the call is answered, so the row survives a crash of this process
 * (the kernel holds the bytes) while its database commit happens behind the answer. Rows are shipped
 * to `audit_append` by the caller; once nothing is left to ship the file is cut back to empty. A
 * process that starts on the same data directory replays whatever the file still holds: `audit_append`
 * skips ids already stored, so rows that were shipped before the crash are not written twice.
 *
 * What it does not survive: losing the disk (or a container's ephemeral filesystem) before the rows
 * are shipped, or the machine crashing before the page cache reaches the disk. README.md states when
 * it is on.
 */
export class AuditJournal {
  readonly path: string;
  readonly #lockPath: string;
  #fd: number | undefined;
  /** Bytes appended since the file was last cut back to empty. */
  #bytes = 0;
  /** The last write was cut short (a full disk): the next one starts on a new line. */
  #torn = false;

  /** `database`: the id of the database the rows belong to (one journal per database, README.md). */
  private constructor(dir: string, database: string) {
    this.path = join(dir, `audit-journal-${database}.ndjson`);
    this.#lockPath = join(dir, `audit-journal-${database}.lock`);
  }

  /**
   * Opens the journal in `dir`, refusing a journal another live process on this host holds (two
   * writers would replay and cut each other's rows). Returns the rows a previous process left behind,
   * oldest first, to be shipped before any new call is answered.
   */
  static open(dir: string, database: string): { journal: AuditJournal; leftover: AppendRow[]; torn: number } {
    if (!/^[a-z0-9_-]{1,64}$/i.test(database)) throw new Error(`not a database id: ${database}`);
    mkdirSync(dir, { recursive: true });
    const journal = new AuditJournal(dir, database);
    journal.#lock();
    const { rows, torn } = readRows(journal.path);
    journal.#fd = openSync(journal.path, 'a');
    journal.#bytes = rows.length + torn > 0 ? 1 : 0; // leftovers (and a torn line) are cut once shipped
    return { journal, leftover: rows, torn };
  }

  /**
   * Appends rows in one `write(2)`; returns once the bytes are in the kernel (a crash of this process
   * keeps them). Throws when they are not all written: the caller must not count on any of them.
   */
  write(rows: readonly AppendRow[]): void {
    if (this.#fd === undefined) throw new Error('audit journal is closed');
    let text = this.#torn ? '\n' : '';
    for (const row of rows) text += `${JSON.stringify(row)}\n`;
    const bytes = Buffer.from(text, 'utf8');
    this.#bytes += bytes.length;
    this.#torn = true; // until the whole text is known to be written
    const written = writeSync(this.#fd, bytes);
    if (written < bytes.length) throw new Error(`audit journal: wrote ${written} of ${bytes.length} bytes`);
    this.#torn = false;
  }

  /** Bytes appended since the file was last cut back to empty. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Called when every row written so far is committed: the file goes back to empty. */
  shipped(): void {
    if (this.#fd === undefined || this.#bytes === 0) return;
    ftruncateSync(this.#fd, 0);
    this.#bytes = 0;
    this.#torn = false;
  }

  /** Closes the file and releases the lock; what was not shipped stays for the next start. */
  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
    rmSync(this.#lockPath, { force: true });
    HELD.delete(this.#lockPath);
  }

  #lock(): void {
    const mine = JSON.stringify({ pid: process.pid, host: hostname() });
    try {
      writeFileSync(this.#lockPath, mine, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (heldByLiveProcess(this.#lockPath))
        throw new Error(
          `the audit journal in ${this.#lockPath} is held by another running Gatehouse: give each replica its own GATEHOUSE_DATA_DIR`,
        );
      writeFileSync(this.#lockPath, mine); // left by a process that is gone
    }
    HELD.add(this.#lockPath);
  }
}

/** Locks this process holds (a second runtime in one process on the same directory is refused too). */
const HELD = new Set<string>();

function heldByLiveProcess(lockPath: string): boolean {
  if (HELD.has(lockPath)) return true;
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(readFileSync(lockPath, 'utf8')) as typeof holder;
  } catch {
    return false; // unreadable: a lock half-written by a process that died
  }
  if (holder.host !== hostname() || typeof holder.pid !== 'number' || holder.pid === process.pid)
    return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** Every whole line of the file; a torn last line (the machine stopped mid-write) is counted, not read. */
function readRows(path: string): { rows: AppendRow[]; torn: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { rows: [], torn: 0 };
    throw err;
  }
  const rows: AppendRow[] = [];
  let torn = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      rows.push(JSON.parse(line) as AppendRow);
    } catch {
      torn++;
    }
  }
  return { rows, torn };
}
