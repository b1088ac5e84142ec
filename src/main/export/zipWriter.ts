/**
 * A streaming ZIP writer for the XLSX exporter: entries are deflated through zlib while they
 * are produced, so a million-row sheet never sits in memory. Writes go through a file
 * descriptor from the caller's async flow (never from a stream event), so a full disk or a
 * permission error surfaces as a rejected promise, not an uncaught exception.
 * Sizes are limited to 4 GiB an entry (no ZIP64); the sheet writer starts a new sheet long
 * before that.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';

export const MAX_ENTRY_BYTES = 0xffff_fffe;

interface CentralRecord {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** One entry being written: feed it text or bytes, then end it. */
export interface ZipEntry {
  write(chunk: string | Buffer): Promise<void>;
  /** Uncompressed bytes written so far. */
  readonly size: number;
  end(): Promise<void>;
}

export class ZipWriter {
  private readonly fd: number;
  private offset = 0;
  private readonly records: CentralRecord[] = [];
  private readonly stamp: { time: number; date: number };
  private open = false;

  constructor(file: string, private readonly level = 1, when = new Date()) {
    this.fd = fs.openSync(file, 'w');
    this.stamp = dosDateTime(when);
  }

  private put(buf: Buffer): void {
    let done = 0;
    while (done < buf.length) done += fs.writeSync(this.fd, buf, done, buf.length - done);
    this.offset += buf.length;
  }

  private localHeader(name: Buffer): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4); // version needed
    h.writeUInt16LE(0x0808, 6); // data descriptor follows; names are UTF-8
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    h.writeUInt16LE(name.length, 26);
    return Buffer.concat([h, name]);
  }

  /** Starts an entry; only one may be open at a time. */
  entry(fileName: string): ZipEntry {
    if (this.open) throw new Error('zip: an entry is already open');
    this.open = true;
    const name = Buffer.from(fileName, 'utf8');
    const offset = this.offset;
    this.put(this.localHeader(name));
    const deflate = zlib.createDeflateRaw({ level: this.level, memLevel: 9 });
    const pending: Buffer[] = [];
    let crc = 0;
    let size = 0;
    let compressed = 0;
    let failure: Error | null = null;
    deflate.on('data', (c: Buffer) => pending.push(c));
    deflate.on('error', (e: Error) => (failure = e));
    const flush = () => {
      if (failure) throw failure;
      for (const c of pending.splice(0)) {
        this.put(c);
        compressed += c.length;
      }
    };
    const self = this;
    return {
      get size() {
        return size;
      },
      async write(chunk: string | Buffer) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        crc = zlib.crc32(buf, crc);
        size += buf.length;
        if (size > MAX_ENTRY_BYTES) throw new Error(`zip: ${fileName} is larger than 4 GiB`);
        if (!deflate.write(buf)) await new Promise<void>((resolve) => deflate.once('drain', resolve));
        // Give the event loop a turn so zlib's finished work is collected and the next chunk
        // starts compressing on the thread pool while the caller builds more.
        else await new Promise<void>((resolve) => setImmediate(resolve));
        flush();
      },
      async end() {
        await new Promise<void>((resolve, reject) => {
          deflate.once('end', resolve);
          deflate.once('error', reject);
          deflate.end();
        });
        flush();
        const dd = Buffer.alloc(16);
        dd.writeUInt32LE(0x08074b50, 0);
        dd.writeUInt32LE(crc >>> 0, 4);
        dd.writeUInt32LE(compressed, 8);
        dd.writeUInt32LE(size, 12);
        self.put(dd);
        self.records.push({ name, crc: crc >>> 0, compressed, size, offset });
        self.open = false;
      },
    };
  }

  async add(fileName: string, content: string | Buffer): Promise<void> {
    const e = this.entry(fileName);
    await e.write(content);
    await e.end();
  }

  /** Writes the central directory and closes the file. */
  finish(): void {
    const start = this.offset;
    for (const r of this.records) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4); // made by
      h.writeUInt16LE(20, 6); // needed
      h.writeUInt16LE(0x0808, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(r.crc, 16);
      h.writeUInt32LE(r.compressed, 20);
      h.writeUInt32LE(r.size, 24);
      h.writeUInt16LE(r.name.length, 28);
      h.writeUInt32LE(r.offset, 42);
      this.put(Buffer.concat([h, r.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.records.length, 8);
    end.writeUInt16LE(this.records.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    this.put(end);
    fs.closeSync(this.fd);
  }

  /** Closes the file without finishing it (the exporter removes it). */
  abandon(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
