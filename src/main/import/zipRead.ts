/**
 * Reading the entries of a ZIP file (an XLSX workbook) from its central directory, with the
 * limits a file from outside needs: the declared sizes are checked before anything is
 * inflated, and inflating never produces more than was declared, so a "zip bomb" is refused
 * rather than unpacked.
 */
import zlib from 'node:zlib';
import { AppError } from '../../shared/errors';

export interface ZipLimits {
  /** Total uncompressed bytes of the entries read. */
  maxUncompressedBytes: number;
  /** Uncompressed ÷ compressed for any entry larger than 1 MB. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxUncompressedBytes: 1024 * 1024 * 1024, maxRatio: 200 };

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

const notXlsx = (why: string) => new AppError('INVALID_INPUT', `the file is not a readable XLSX workbook (${why})`);

export class ZipReader {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly buf: Buffer,
    limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  ) {
    let end = -1;
    for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_558); i--) {
      if (buf.readUInt32LE(i) === 0x06054b50) {
        end = i;
        break;
      }
    }
    if (end < 0) throw notXlsx('no ZIP directory');
    const count = buf.readUInt16LE(end + 10);
    let at = buf.readUInt32LE(end + 16);
    for (let k = 0; k < count; k++) {
      if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw notXlsx('a damaged ZIP directory');
      const nameLength = buf.readUInt16LE(at + 28);
      const entry: Entry = {
        method: buf.readUInt16LE(at + 10),
        compressedSize: buf.readUInt32LE(at + 20),
        size: buf.readUInt32LE(at + 24),
        name: buf.toString('utf8', at + 46, at + 46 + nameLength),
        offset: buf.readUInt32LE(at + 42),
      };
      this.entries.set(entry.name, entry);
      at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    }
    let total = 0;
    for (const e of this.entries.values()) {
      total += e.size;
      if (e.size > 1024 * 1024 && e.size / Math.max(1, e.compressedSize) > limits.maxRatio) {
        throw new AppError('INVALID_INPUT', `the workbook part ${e.name} would unpack to ${Math.round(e.size / Math.max(1, e.compressedSize))} times its size; such files are refused (a "zip bomb" guard)`);
      }
    }
    if (total > limits.maxUncompressedBytes) {
      throw new AppError('INVALID_INPUT', `the workbook would unpack to ${(total / 1048576).toFixed(0)} MB; imports are limited to ${(limits.maxUncompressedBytes / 1048576).toFixed(0)} MB`);
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  text(name: string): string {
    const e = this.entries.get(name);
    if (!e) throw notXlsx(`no ${name}`);
    const local = e.offset;
    if (this.buf.readUInt32LE(local) !== 0x04034b50) throw notXlsx(`a damaged entry ${name}`);
    const start = local + 30 + this.buf.readUInt16LE(local + 26) + this.buf.readUInt16LE(local + 28);
    const data = this.buf.subarray(start, start + e.compressedSize);
    if (e.method === 0) return data.toString('utf8');
    if (e.method !== 8) throw notXlsx(`entry ${name} uses an unknown compression`);
    try {
      return zlib.inflateRawSync(data, { maxOutputLength: Math.max(e.size, 1) }).toString('utf8');
    } catch (err) {
      throw notXlsx(`entry ${name} does not unpack: ${(err as Error).message}`);
    }
  }
}
