/**
 * Which file column feeds which component field. Suggested from the header names (the words a
 * field engineer's spreadsheet uses), overridable with a mapping file, and remembered per
 * project so the next import of the same list needs nothing.
 */
import { AppError } from '../../shared/errors';
import type { Db } from '../db/connection';

export const IMPORT_FIELDS = ['tag', 'type', 'displayId', 'area', 'system', 'testPackage', 'status', 'completionPercent', 'drawingNumber', 'spec', 'size', 'material'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_FIELDS: readonly ImportField[] = ['tag', 'type'];

/** field -> header text in the file */
export type ColumnMapping = Partial<Record<ImportField, string>>;

const SYNONYMS: Record<ImportField, string[]> = {
  tag: ['tag', 'componenttag', 'componentid', 'component', 'tagno', 'tagnumber'],
  type: ['type', 'componenttype', 'category'],
  displayId: ['displayid', 'display', 'description', 'name'],
  area: ['area', 'unit', 'plotarea'],
  system: ['system', 'systemno', 'line', 'service'],
  testPackage: ['testpackage', 'tp', 'testpkg', 'package', 'testpackageno'],
  status: ['status', 'state'],
  completionPercent: ['completionpercent', 'completion', 'percentcomplete', 'percent', 'complete', 'progress', 'pct'],
  drawingNumber: ['drawingnumber', 'drawing', 'drawingno', 'iso', 'isometric', 'isono'],
  spec: ['spec', 'specification', 'pipingclass', 'class'],
  size: ['size', 'nps', 'diameter', 'dn'],
  material: ['material', 'mat'],
};

const normalise = (s: string) => s.toLowerCase().replace(/%/g, 'percent').replace(/[^a-z0-9]/g, '');

export function suggestMapping(header: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  for (const field of IMPORT_FIELDS) {
    const hit = header.find((h) => !taken.has(h) && SYNONYMS[field].includes(normalise(h)));
    if (hit) {
      mapping[field] = hit;
      taken.add(hit);
    }
  }
  return mapping;
}

export function parseMapping(json: unknown, header: string[]): ColumnMapping {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AppError('INVALID_INPUT', 'a mapping is a JSON object such as {"tag": "Tag No", "type": "Category"}');
  const mapping: ColumnMapping = {};
  for (const [field, column] of Object.entries(json)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) throw new AppError('INVALID_INPUT', `the mapping names "${field}", which is not a component field (${IMPORT_FIELDS.join(', ')})`);
    if (typeof column !== 'string' || !header.includes(column)) throw new AppError('INVALID_INPUT', `the mapping sends column "${String(column)}" to ${field}, but the file has no such column`);
    mapping[field as ImportField] = column;
  }
  return mapping;
}

export function checkRequired(mapping: ColumnMapping): void {
  const missing = REQUIRED_FIELDS.filter((f) => !mapping[f]);
  if (missing.length > 0) throw new AppError('INVALID_INPUT', `no column for ${missing.join(' and ')}; name it in the header or give a mapping (--mapping FILE)`);
}

const key = (projectId: number) => `import_mapping:${projectId}`;

export function savedMapping(db: Db, projectId: number): ColumnMapping | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key(projectId)) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as ColumnMapping) : null;
}

export function saveMapping(db: Db, projectId: number, mapping: ColumnMapping): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key(projectId), JSON.stringify(mapping));
}
