/**
 * JSON export (schema in docs/EXPORT-FORMATS.md): `{ "format": "sitereport.table/1", "meta": …,
 * "columns": […], "rows": [[…], …], "rowCount": N }`, streamed row by row.
 */
import { writeText } from './csvFormat';
import { forEachRow, type ExportOptions, type ExportTable, type FormatWriter } from './exporter';

export const JSON_EXPORT_FORMAT = 'sitereport.table/1';

export const jsonFormat: FormatWriter = {
  extension: '.json',
  write: (table: ExportTable, tempFile: string, options: ExportOptions) =>
    writeText(tempFile, table, options, async (out) => {
      out.write(`{"format":${JSON.stringify(JSON_EXPORT_FORMAT)},"meta":${JSON.stringify(table.meta)},"columns":${JSON.stringify(table.columns)},"rows":[`);
      const n = await forEachRow(table, options, (row, i) => out.write(`${i === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`));
      out.write(`\n],"rowCount":${n}}\n`);
      return n;
    }),
};
