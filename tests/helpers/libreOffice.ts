import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './fixtureDb';

export function hasSoffice(): boolean {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** Every sheet of a workbook as CSV text (raw values, UTF-8), read by LibreOffice. */
export function sheetsAsCsv(xlsx: string): Map<string, string> {
  const out = tempDir('sitereport-soffice-');
  const profile = tempDir('sitereport-lo-profile-');
  execFileSync(
    'soffice',
    [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', out, xlsx],
    { stdio: 'ignore', timeout: 180_000 },
  );
  const stem = path.basename(xlsx, '.xlsx');
  const sheets = new Map<string, string>();
  for (const f of fs.readdirSync(out)) sheets.set(f.slice(stem.length + 1, -4), fs.readFileSync(path.join(out, f), 'utf8'));
  return sheets;
}

/** A workbook printed to PDF by LibreOffice, to see what it draws (pictures included). */
export function workbookAsPdf(xlsx: string): string {
  const out = tempDir('sitereport-soffice-pdf-');
  const profile = tempDir('sitereport-lo-profile-');
  execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, xlsx], { stdio: 'ignore', timeout: 180_000 });
  return path.join(out, `${path.basename(xlsx, '.xlsx')}.pdf`);
}
