/**
 * The builder's draft: the definition being built, the schedule and delivery choices and the
 * current step. Every change is kept in localStorage, so unsaved work survives a reload.
 */
import { create } from 'zustand';
import { call } from '../../api/client';
import type { Dataset } from '../../../../shared/domain/fieldCatalog';
import { AGGREGATIONS_BY_TYPE, DATASET_MEASURES, FIELD_CATALOG } from '../../../../shared/domain/fieldCatalog';
import type { ReportDefinition } from '../../../../shared/domain/reportDefinition';

export type Zone = 'rows' | 'columns' | 'values' | 'filters';
export const ZONES: Array<{ id: Zone; label: string }> = [
  { id: 'rows', label: 'Rows' },
  { id: 'columns', label: 'Columns' },
  { id: 'values', label: 'Values' },
  { id: 'filters', label: 'Filters' },
];

export type Draft = Pick<ReportDefinition, 'version' | 'name' | 'description' | 'tags' | 'dataset' | 'rows' | 'columns' | 'values' | 'filters' | 'sort' | 'lookback' | 'chart' | 'layout'>;

export interface ScheduleDraft {
  mode: 'once' | 'daily' | 'weekly' | 'monthly' | 'cron';
  time: string;
  timezone: string;
  daysOfWeek: number[];
  dayOfMonth: number;
  cron: string;
  backfill: { enabled: boolean; days: number; segment: 'daily' | 'weekly' | 'monthly' };
  formats: Array<'csv' | 'json' | 'xlsx' | 'pdf'>;
  folderId: string;
  recipients: string;
}

export function emptyDraft(dataset: Dataset = 'components'): Draft {
  return { version: 1, name: 'New report', description: '', tags: [], dataset, rows: [], columns: [], values: [{ agg: 'count' }], filters: [], sort: [], lookback: null, chart: { type: 'bar' }, layout: {} };
}

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function emptySchedule(): ScheduleDraft {
  return { mode: 'once', time: '07:00', timezone: browserZone, daysOfWeek: [1], dayOfMonth: 1, cron: '0 7 * * 1-5', backfill: { enabled: false, days: 90, segment: 'weekly' }, formats: ['xlsx'], folderId: 'default', recipients: '' };
}

interface BuilderState {
  step: number;
  draft: Draft;
  schedule: ScheduleDraft;
  savedId: string | null;
  setStep(step: number): void;
  edit(change: (d: Draft) => Draft): void;
  editSchedule(change: Partial<ScheduleDraft>): void;
  load(draft: Draft, savedId: string | null): void;
  setSavedId(id: string): void;
  reset(): void;
  /** Adds a palette field (or a dataset measure, field null) to a zone. */
  add(zone: Zone, field: string | null, agg?: string): void;
  move(from: Zone, index: number, to: Zone, toIndex?: number): void;
  remove(zone: Zone, index: number): void;
}

const KEY = 'sitereport.builder.v1';
const STEP_NAMES = ['parameters', 'schedule', 'review', 'submit'] as const;

/** Step changes go to builder_audit (SPEC §6); a failed write never blocks the builder. */
export function audit(step: number, action: 'enter' | 'save' | 'generate' | 'schedule' | 'reset', reportName: string, savedId: string | null): undefined {
  void call('builder/audit', { step: STEP_NAMES[step] ?? 'parameters', action, reportName: reportName.slice(0, 120), definitionId: savedId && /^\d+$/.test(savedId) ? Number(savedId) : undefined }).catch(() => undefined);
  return undefined;
}

function load(): Pick<BuilderState, 'step' | 'draft' | 'schedule' | 'savedId'> {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Pick<BuilderState, 'step' | 'draft' | 'schedule' | 'savedId'> | null;
    if (saved?.draft?.version === 1) return { ...saved, schedule: { ...emptySchedule(), ...saved.schedule } };
  } catch {
    // A broken draft is dropped, not shown.
  }
  return { step: 0, draft: emptyDraft(), schedule: emptySchedule(), savedId: null };
}

type ZoneItem = Draft['rows'][number] | Draft['values'][number] | Draft['filters'][number];

function itemFor(zone: Zone, dataset: Dataset, field: string | null, agg?: string): ZoneItem | null {
  if (zone === 'values') {
    if (field === null) return { agg: agg ?? 'count' };
    const info = FIELD_CATALOG[dataset].find((f) => f.name === field);
    if (!info) return null;
    const allowed = info.aggregations.length ? info.aggregations : AGGREGATIONS_BY_TYPE[info.type];
    const preferred = info.type === 'number' || info.type === 'percent' ? 'avg' : 'count';
    return { agg: agg ?? (allowed.includes(preferred as never) ? preferred : (allowed[0] as string)), field };
  }
  if (field === null) return null;
  if (zone === 'filters') {
    const info = FIELD_CATALOG[dataset].find((f) => f.name === field);
    return { field, op: info?.type === 'enum' || info?.type === 'text' ? 'in' : 'isNotEmpty', values: info?.type === 'enum' || info?.type === 'text' ? [] : undefined };
  }
  const info = FIELD_CATALOG[dataset].find((f) => f.name === field);
  return info && (info.type === 'date' || info.type === 'datetime') ? { field, bucket: 'week' } : { field };
}

/** Moving between zones keeps the field and drops what only made sense where it was. */
function convert(item: ZoneItem, to: Zone, dataset: Dataset): ZoneItem | null {
  const field = 'field' in item && typeof item.field === 'string' ? item.field : null;
  return itemFor(to, dataset, field, to === 'values' && 'agg' in item ? (item.agg as string) : undefined);
}

export const useBuilder = create<BuilderState>((set, get) => {
  const persist = () => {
    const { step, draft, schedule, savedId } = get();
    localStorage.setItem(KEY, JSON.stringify({ step, draft, schedule, savedId }));
  };
  const update = (partial: Partial<BuilderState>) => {
    set(partial);
    persist();
  };
  return {
    ...load(),
    setStep: (step) => {
      if (step !== get().step) audit(step, 'enter', get().draft.name, get().savedId);
      update({ step });
    },
    edit: (change) => update({ draft: change(get().draft) }),
    editSchedule: (change) => update({ schedule: { ...get().schedule, ...change } }),
    load: (draft, savedId) => update({ draft, savedId, step: 0 }),
    setSavedId: (savedId) => update({ savedId }),
    reset: () => audit(get().step, 'reset', get().draft.name, get().savedId) ?? update({ step: 0, draft: emptyDraft(), schedule: emptySchedule(), savedId: null }),
    add(zone, field, agg) {
      const d = get().draft;
      const item = itemFor(zone, d.dataset, field, agg);
      if (!item) return;
      if (zone === 'columns') update({ draft: { ...d, columns: [item as Draft['columns'][number]] } });
      else update({ draft: { ...d, [zone]: [...(d[zone] as ZoneItem[]), item] } });
    },
    move(from, index, to, toIndex) {
      const d = get().draft;
      const source = [...(d[from] as ZoneItem[])];
      const [item] = source.splice(index, 1);
      if (!item) return;
      if (from === to) {
        source.splice(toIndex ?? source.length, 0, item);
        update({ draft: { ...d, [from]: source } });
        return;
      }
      const converted = convert(item, to, d.dataset);
      if (!converted) return;
      const target = to === 'columns' ? [] : [...(d[to] as ZoneItem[])];
      target.splice(toIndex ?? target.length, 0, converted);
      update({ draft: { ...d, [from]: source, [to]: target } });
    },
    remove(zone, index) {
      const d = get().draft;
      update({ draft: { ...d, [zone]: (d[zone] as ZoneItem[]).filter((_, i) => i !== index) } });
    },
  };
});

export { DATASET_MEASURES };
