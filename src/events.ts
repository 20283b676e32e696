// Reads the runner's events file: facts (phases, connection, errors) as JSON lines. The user's
// script runs as the same user and can reach the file, so it is read defensively: each line must
// carry an HMAC made with the per-run key that only the runner was given (over stdin), lines that
// fail are ignored and counted, and neither a huge line nor a huge file is ever read into memory.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';

/** A line longer than this is not the runner's (it cuts long messages), and is skipped. */
export const MAX_EVENT_LINE_BYTES = 256 * 1024;
/** The runner writes a few KB of events in a normal run; beyond this, reading stops. */
export const MAX_EVENTS_BYTES = 16 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** A fresh key for one runner. It travels to PowerShell only inside the stdin configuration. */
export function newEventKey(): string {
  return randomBytes(32).toString('base64');
}

/** The MAC the runner puts before each line: HMAC-SHA256 of the JSON text, hex. */
export function eventMac(key: string, json: string): string {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(json, 'utf8').digest('hex');
}

/**
 * Opens a file of the run directory to read, only when it is a regular file, and without blocking:
 * the script can put something else at the path, and a read of a named pipe would wait for good.
 * Null when the path holds no regular file.
 */
export function openRegularFile(file: string): number | null {
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);
  let fd: number;
  try {
    fd = fs.openSync(file, flags);
  } catch {
    return null;
  }
  if (fs.fstatSync(fd).isFile()) return fd;
  fs.closeSync(fd);
  return null;
}

/**
 * Reads the lines appended since the last call. The file only grows. It stays open from the first
 * read on, as the runner's handle does: what the script puts at the path later is not read.
 */
export class EventReader<T> {
  /** Lines ignored: without a valid MAC, not JSON, or too long. */
  rejected = 0;
  /** Signed JSON lines ignored because they are not events of the contract (accept said no). */
  invalid = 0;
  /** Set once the file passed MAX_EVENTS_BYTES; nothing after that point is read. */
  overflowed = false;
  private offset = 0;
  private fd: number | null = null;
  private partial = Buffer.alloc(0);
  private skippingLongLine = false;

  /**
   * With key null, lines carry no MAC (the post step's own short-lived runner never shares its file).
   * accept: whether a value is an event of the contract, with every field it must have.
   */
  constructor(
    private readonly file: string,
    private readonly key: string | null,
    private readonly accept: (value: unknown) => value is T,
  ) {}

  /** New complete lines as events. A last line without its newline waits for the next call. */
  read(): T[] {
    const events: T[] = [];
    this.fd ??= openRegularFile(this.file);
    if (this.fd === null) return events; // not written yet
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      if (this.offset >= MAX_EVENTS_BYTES) {
        this.overflowed = true;
        break;
      }
      const n = fs.readSync(this.fd, buffer, 0, Math.min(CHUNK, MAX_EVENTS_BYTES - this.offset), this.offset);
      if (n === 0) break;
      this.offset += n;
      this.take(buffer.subarray(0, n), events);
    }
    return events;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private take(chunk: Buffer, events: T[]): void {
    let data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
    for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a)) {
      const line = data.subarray(0, newline);
      data = data.subarray(newline + 1);
      if (this.skippingLongLine) {
        this.skippingLongLine = false; // the rest of a line already counted as rejected
        continue;
      }
      const event = this.parse(line.toString('utf8'));
      if (event !== null) events.push(event);
    }
    if (data.length > MAX_EVENT_LINE_BYTES) {
      if (!this.skippingLongLine) this.rejected++;
      this.skippingLongLine = true;
      data = Buffer.alloc(0);
    }
    this.partial = Buffer.from(data);
  }

  private parse(line: string): T | null {
    const text = line.replace(/\r$/, '');
    if (text.trim() === '') return null;
    let json = text;
    if (this.key !== null) {
      const space = text.indexOf(' ');
      const mac = Buffer.from(text.slice(0, Math.max(space, 0)), 'utf8');
      json = text.slice(space + 1);
      const expected = Buffer.from(eventMac(this.key, json), 'utf8');
      if (space < 0 || mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
        this.rejected++;
        return null;
      }
    }
    try {
      const value: unknown = JSON.parse(json);
      if (this.accept(value)) return value;
      this.invalid++;
      return null;
    } catch {
      // a line cut short by a kill
    }
    this.rejected++;
    return null;
  }
}
