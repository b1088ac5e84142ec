/**
 * JSON export (schema in docs/EXPORT-FORMATS.md): `{ "format": "sitereport.table/1", "meta": …,
 * "columns": […], "rows": [[…], …], "rowCount": N }`, streamed row by row.
 */
import { BufferedFile } from './csvFormat';
import { forEachRow, type ExportOptions, type ExportTable, type FormatWriter } from './exporter';

export const JSON_EXPORT_FORMAT = 'sitereport.table/1';

export const jsonFormat: FormatWriter = {
  extension: '.json',
  async write(table: ExportTable, tempFile: string, options: ExportOptions): Promise<number> {
    const out = new BufferedFile(tempFile);
    let n = 0;
    try {
      out.write(`{"format":${JSON.stringify(JSON_EXPORT_FORMAT)},"meta":${JSON.stringify(table.meta)},"columns":${JSON.stringify(table.columns)},"rows":[`);
      n = await forEachRow(table, options, (row, i) => out.write(`${i === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`));
      out.write(`\n],"rowCount":${n}}\n`);
      out.close();
    } catch (err) {
      out.abandon();
      throw err;
    }
    options.onProgress?.({ rowsWritten: n, totalRows: table.totalRows });
    return n;
  },
};
