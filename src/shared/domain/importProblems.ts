/** Row problems of an import, shared by the command line's --errors-csv and the Data screen. */
import { csvLine } from '../csv';

export interface ImportProblem {
  line: number;
  column: string;
  value: string;
  reason: string;
}

/** The problems as CSV, for the user to open next to the file (formula-safe). */
export function problemsCsv(problems: readonly ImportProblem[]): string {
  return csvLine(['line', 'column', 'value', 'reason']) + problems.map((p) => csvLine([String(p.line), p.column, p.value, p.reason])).join('');
}
