import type Database from 'better-sqlite3';
import type { Db } from '../db/connection';

/**
 * Multi-row INSERT: binding N rows per statement call cuts the per-call overhead that
 * dominates single-row inserts when loading millions of rows.
 */
export class BatchInserter {
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private buffer: unknown[] = [];
  private rowsInBuffer = 0;
  count = 0;

  constructor(
    db: Db,
    table: string,
    private readonly columns: readonly string[],
    private readonly rowsPerStatement = 200,
  ) {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    const head = `INSERT INTO ${table} (${columns.join(',')}) VALUES `;
    this.many = db.prepare(head + Array.from({ length: rowsPerStatement }, () => tuple).join(','));
    this.one = db.prepare(head + tuple);
  }

  add(values: unknown[]): void {
    if (values.length !== this.columns.length) throw new Error('column count mismatch');
    for (const v of values) this.buffer.push(v);
    this.rowsInBuffer += 1;
    this.count += 1;
    if (this.rowsInBuffer === this.rowsPerStatement) {
      this.many.run(this.buffer);
      this.buffer = [];
      this.rowsInBuffer = 0;
    }
  }

  flush(): void {
    const width = this.columns.length;
    for (let i = 0; i < this.rowsInBuffer; i++) this.one.run(this.buffer.slice(i * width, (i + 1) * width));
    this.buffer = [];
    this.rowsInBuffer = 0;
  }
}
