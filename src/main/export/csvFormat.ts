/** CSV (RFC 4180, UTF-8, optional BOM) through the exporter interface; see src/shared/csv.ts. */
import fs from 'node:fs';
import { csvLine, UTF8_BOM } from '../../shared/csv';
import { forEachRow, type ExportOptions, type ExportTable, type FormatWriter } from './exporter';

const CHUNK = 1 << 16;

export class BufferedFile {
  private readonly fd: number;
  private buffer = '';

  constructor(file: string) {
    this.fd = fs.openSync(file, 'wx');
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.buffer.length > 0) fs.writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    try {
      this.flush();
      fs.fsyncSync(this.fd);
    } finally {
      fs.closeSync(this.fd);
    }
  }

  abandon(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

/** Text formats: write through a buffered file, close it, report the final progress. */
export async function writeText(tempFile: string, table: ExportTable, options: ExportOptions, body: (out: BufferedFile) => Promise<number>): Promise<number> {
  const out = new BufferedFile(tempFile);
  let n: number;
  try {
    n = await body(out);
    out.close();
  } catch (err) {
    out.abandon();
    throw err;
  }
  options.onProgress?.({ rowsWritten: n, totalRows: table.totalRows });
  return n;
}

export const csvFormat: FormatWriter = {
  extension: '.csv',
  write: (table: ExportTable, tempFile: string, options: ExportOptions) =>
    writeText(tempFile, table, options, async (out) => {
      if (options.bom) out.write(UTF8_BOM);
      out.write(csvLine(table.columns.map((c) => c.key), options.rawCsv));
      return forEachRow(table, options, (row) => out.write(csvLine(row, options.rawCsv)));
    }),
};
