/**
 * Where an export may be written: a file name made safe for Windows, macOS and Linux, inside
 * the folder the user chose, never replacing an existing file unless asked to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
const MAX_NAME_BYTES = 200;

/** A file name with nothing a file system or shell could misread; keeps the extension. */
export function sanitizeFileName(name: string, extension: string): string {
  const ext = extension.startsWith('.') ? extension : `.${extension}`;
  let base = name.endsWith(ext) ? name.slice(0, -ext.length) : name;
  base = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .trim();
  if (base === '' || /^_+$/.test(base)) base = 'report';
  if (RESERVED.test(base.split('.')[0] ?? '')) base = `_${base}`;
  while (Buffer.byteLength(base + ext, 'utf8') > MAX_NAME_BYTES) base = base.slice(0, -1);
  return base.replace(/[.\s]+$/, '') + ext;
}

export interface ExportTarget {
  folder: string;
  file: string;
}

/**
 * The requested name as a path in the folder. Anything that names another folder (`..`, a
 * separator, an absolute path) is refused rather than silently flattened.
 */
export function resolveExportTarget(folder: string, requestedName: string, extension: string, overwrite = false): ExportTarget {
  const root = path.resolve(folder);
  if (requestedName.includes('\u0000')) throw new AppError('INVALID_INPUT', 'the file name contains a NUL character');
  if (/[/\\]/.test(requestedName) || requestedName === '..' || path.isAbsolute(requestedName)) {
    throw new AppError('INVALID_INPUT', `"${requestedName.slice(0, 80)}" names another folder; give a file name only`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new AppError('NOT_FOUND', `export folder ${root} does not exist`);
  }
  if (!stat.isDirectory()) throw new AppError('INVALID_INPUT', `${root} is not a folder`);
  const name = sanitizeFileName(requestedName, extension);
  let file = path.join(root, name);
  if (path.dirname(file) !== root) throw new AppError('INVALID_INPUT', 'the file name leaves the export folder');
  if (!overwrite) {
    const ext = path.extname(name);
    const stem = name.slice(0, -ext.length);
    for (let n = 2; fs.existsSync(file); n++) {
      if (n > 9999) throw new AppError('CONFLICT', `too many files named ${name} in ${root}`);
      file = path.join(root, `${stem} (${n})${ext}`);
    }
  }
  return { folder: root, file };
}
