/** Row problems of an import, shared by the command line's --errors-csv and the Data screen. */
export interface ImportProblem {
  line: number;
  column: string;
  value: string;
  reason: string;
}

/** The problems as CSV, for the user to open next to the file (formula-safe). */
export function problemsCsv(problems: readonly ImportProblem[]): string {
  const q = (s: string) => (/[",\r\n]|^[=+\-@\t]/.test(s) ? `"${(/^[=+\-@\t]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"` : s);
  return ['line,column,value,reason', ...problems.map((p) => [String(p.line), q(p.column), q(p.value), q(p.reason)].join(','))].join('\r\n') + '\r\n';
}
