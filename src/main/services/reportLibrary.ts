/**
 * The report library: system templates (code, immutable) and user definitions (SQLite) —
 * list and search, save with validation, duplicate, rename, tag, soft delete and undo.
 */
import { AppError } from '../../shared/errors';
import type { Db } from '../db/connection';
import { checkDefinition, describeIssues, type ReportDefinition } from '../../shared/domain/reportDefinition';
import { SYSTEM_TEMPLATES } from '../reports/systemTemplates';
import type { LibraryItemJson } from '../../shared/contract';

export type LibraryItem = LibraryItemJson;

export interface LibraryQuery {
  search?: string;
  tag?: string;
  includeDeleted?: boolean;
}

interface DefinitionRow {
  id: number;
  name: string;
  description: string;
  tags_json: string;
  definition_json: string;
  revision: number;
  updated_at: string;
  deleted_at: string | null;
}

export const SYSTEM_PREFIX = 'system:';

function validated(input: unknown): ReportDefinition {
  const check = checkDefinition(input);
  if (!check.ok) throw new AppError('INVALID_INPUT', describeIssues(check.issues));
  return check.definition;
}

function matches(item: LibraryItem, q: LibraryQuery): boolean {
  if (q.tag && !item.tags.some((t) => t.toLowerCase() === q.tag?.toLowerCase())) return false;
  if (q.search) {
    const needle = q.search.toLowerCase();
    const hay = [item.name, item.description, ...item.tags].join('\n').toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

export class ReportLibrary {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  list(q: LibraryQuery = {}): LibraryItem[] {
    const system: LibraryItem[] = SYSTEM_TEMPLATES.map((t) => ({
      id: `${SYSTEM_PREFIX}${t.builtinId}`,
      kind: 'system',
      name: t.name,
      description: t.description,
      tags: t.tags,
      dataset: t.definition.dataset,
      builtinId: t.builtinId,
      revision: 1,
      updatedAt: null,
      deletedAt: null,
    }));
    const rows = this.db
      .prepare(`SELECT * FROM report_definitions ${q.includeDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY name COLLATE NOCASE, id`)
      .all() as DefinitionRow[];
    const user = rows.map((r) => this.toItem(r));
    return [...system, ...user].filter((i) => matches(i, q));
  }

  private toItem(r: DefinitionRow): LibraryItem {
    const def = JSON.parse(r.definition_json) as ReportDefinition;
    return {
      id: String(r.id),
      kind: 'user',
      name: r.name,
      description: r.description,
      tags: JSON.parse(r.tags_json) as string[],
      dataset: def.dataset,
      builtinId: null,
      revision: r.revision,
      updatedAt: r.updated_at,
      deletedAt: r.deleted_at,
    };
  }

  private row(id: string): DefinitionRow {
    if (!/^\d+$/.test(id)) throw new AppError('NOT_FOUND', `no saved report with id "${id}"`);
    const r = this.db.prepare('SELECT * FROM report_definitions WHERE id = ?').get(Number(id)) as DefinitionRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', `no saved report with id "${id}"`);
    return r;
  }

  get(id: string): { item: LibraryItem; definition: ReportDefinition } {
    if (id.startsWith(SYSTEM_PREFIX)) {
      const t = SYSTEM_TEMPLATES.find((x) => `${SYSTEM_PREFIX}${x.builtinId}` === id);
      if (!t) throw new AppError('NOT_FOUND', `no system template "${id}"`);
      const item = this.list().find((i) => i.id === id) as LibraryItem;
      return { item, definition: validated(t.definition) };
    }
    const r = this.row(id);
    return { item: this.toItem(r), definition: JSON.parse(r.definition_json) as ReportDefinition };
  }

  /** Validates and stores; with an id, a new revision of that user definition. */
  save(input: unknown, id?: string): LibraryItem {
    if (id?.startsWith(SYSTEM_PREFIX)) throw new AppError('CONFLICT', 'system templates cannot be changed; duplicate one to edit it');
    const def = validated(input);
    const at = this.now().toISOString();
    if (id === undefined) {
      const newId = Number(
        this.db
          .prepare('INSERT INTO report_definitions (name, description, tags_json, definition_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(def.name, def.description, JSON.stringify(def.tags), JSON.stringify(def), at, at).lastInsertRowid,
      );
      return this.get(String(newId)).item;
    }
    this.row(id);
    this.db
      .prepare('UPDATE report_definitions SET name = ?, description = ?, tags_json = ?, definition_json = ?, revision = revision + 1, updated_at = ? WHERE id = ?')
      .run(def.name, def.description, JSON.stringify(def.tags), JSON.stringify(def), at, Number(id));
    return this.get(id).item;
  }

  duplicate(id: string, name?: string): LibraryItem {
    const { item, definition } = this.get(id);
    return this.save({ ...definition, name: name ?? `Copy of ${item.name}`, tags: item.tags, description: item.description });
  }

  rename(id: string, name: string): LibraryItem {
    if (id.startsWith(SYSTEM_PREFIX)) throw new AppError('CONFLICT', 'system templates cannot be renamed; duplicate one first');
    const { definition } = this.get(id);
    return this.save({ ...definition, name }, id);
  }

  setTags(id: string, tags: string[]): LibraryItem {
    if (id.startsWith(SYSTEM_PREFIX)) throw new AppError('CONFLICT', 'system templates cannot be re-tagged; duplicate one first');
    const { definition } = this.get(id);
    return this.save({ ...definition, tags }, id);
  }

  /** Soft delete: hidden from lists until undone. */
  remove(id: string): LibraryItem {
    if (id.startsWith(SYSTEM_PREFIX)) throw new AppError('CONFLICT', 'system templates cannot be deleted');
    this.row(id);
    this.db.prepare('UPDATE report_definitions SET deleted_at = ? WHERE id = ?').run(this.now().toISOString(), Number(id));
    return this.get(id).item;
  }

  restore(id: string): LibraryItem {
    this.row(id);
    this.db.prepare('UPDATE report_definitions SET deleted_at = NULL WHERE id = ?').run(Number(id));
    return this.get(id).item;
  }
}
