/**
 * Results cached per (definition, parameters, data version). The data version is bumped by
 * triggers inside every write transaction, so an entry is valid exactly while its version is
 * current; older entries are never read and are dropped when a newer one is stored. A small
 * in-memory map in front answers repeat runs in the same process without touching SQLite.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/connection';

const MEMORY_ENTRIES = 64;

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function cacheKeyOf(parts: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(parts)).digest('base64url');
}

export class ResultCache {
  private readonly memory = new Map<string, { version: number; value: unknown }>();

  constructor(private readonly db: Db) {}

  dataVersion(projectId: number): number {
    const row = this.db.prepare('SELECT version FROM data_versions WHERE project_id = ?').get(projectId) as { version: number } | undefined;
    return row?.version ?? 0;
  }

  get<T>(key: string, projectId: number, version: number): T | undefined {
    const m = this.memory.get(key);
    if (m && m.version === version) {
      this.memory.delete(key);
      this.memory.set(key, m);
      return m.value as T;
    }
    const row = this.db.prepare('SELECT result_json FROM report_cache WHERE cache_key = ? AND project_id = ? AND data_version = ?').get(key, projectId, version) as
      | { result_json: string }
      | undefined;
    if (!row) return undefined;
    const value = JSON.parse(row.result_json) as T;
    this.remember(key, version, value);
    return value;
  }

  put(key: string, projectId: number, version: number, value: unknown): void {
    const json = JSON.stringify(value);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM report_cache WHERE project_id = ? AND data_version < ?').run(projectId, version);
      this.db
        .prepare(
          `INSERT INTO report_cache (cache_key, project_id, data_version, result_json, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (cache_key) DO UPDATE SET data_version = excluded.data_version, result_json = excluded.result_json,
             bytes = excluded.bytes, created_at = excluded.created_at`,
        )
        .run(key, projectId, version, json, json.length, new Date().toISOString());
    })();
    this.remember(key, version, value);
  }

  private remember(key: string, version: number, value: unknown): void {
    this.memory.delete(key);
    this.memory.set(key, { version, value });
    while (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value as string);
  }
}
