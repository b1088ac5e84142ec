/** One filter: operator, and values picked from the data for list filters. */
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { FIELD_CATALOG } from '../../../../shared/domain/fieldCatalog';
import { FILTER_OPS } from '../../../../shared/domain/reportDefinition';
import { useApp } from '../../app/store';
import { useBuilder } from './builderStore';

const OP_LABEL: Record<string, string> = { in: 'is one of', notIn: 'is not one of', eq: '=', ne: '≠', lt: '<', le: '≤', gt: '>', ge: '≥', between: 'between', contains: 'contains', isEmpty: 'is empty', isNotEmpty: 'is not empty' };

export function FilterEditor({ index }: { index: number }) {
  const { draft, edit } = useBuilder();
  const projectCode = useApp((s) => s.projectCode) ?? undefined;
  const filter = draft.filters[index];
  const [options, setOptions] = useState<Array<string | number> | null>(null);
  const field = filter?.field;
  useEffect(() => {
    if (!field || !(filter?.op === 'in' || filter?.op === 'notIn')) return;
    let live = true;
    call('catalog/distinct', { dataset: draft.dataset, field, projectCode })
      .then((r) => live && setOptions(r.values))
      .catch(() => live && setOptions([]));
    return () => {
      live = false;
    };
  }, [draft.dataset, field, filter?.op, projectCode]);
  if (!filter) return null;
  const info = FIELD_CATALOG[draft.dataset].find((f) => f.name === filter.field);
  const set = (patch: Partial<typeof filter>) => edit((d) => ({ ...d, filters: d.filters.map((f, j) => (j === index ? { ...f, ...patch } : f)) }));
  const label = info?.label ?? filter.field;
  const selected = new Set((filter.values ?? []).map(String));
  return (
    <div className="filter-editor">
      <span>{label}</span>{' '}
      <select aria-label={`Condition on ${label}`} value={filter.op} onChange={(e) => set({ op: e.target.value as typeof filter.op, values: e.target.value === 'in' || e.target.value === 'notIn' ? [] : undefined, value: undefined })}>
        {FILTER_OPS.map((op) => <option key={op} value={op}>{OP_LABEL[op]}</option>)}
      </select>
      {(filter.op === 'in' || filter.op === 'notIn') && (
        <div className="value-picker" role="group" aria-label={`Values of ${label}`}>
          {options === null && <span className="muted small">Loading values…</span>}
          {options?.slice(0, 200).map((v) => (
            <label key={String(v)} className="value-option">
              <input
                type="checkbox"
                checked={selected.has(String(v))}
                onChange={(e) => set({ values: e.target.checked ? [...(filter.values ?? []), v] : (filter.values ?? []).filter((x) => String(x) !== String(v)) })}
              />{' '}
              {String(v)}
            </label>
          ))}
          {options && options.length > 200 && <span className="muted small">First 200 of {options.length} values; search narrows the list.</span>}
        </div>
      )}
      {['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains'].includes(filter.op) && (
        <input
          aria-label={`Value for ${label}`}
          type={info?.type === 'number' || info?.type === 'percent' ? 'number' : info?.type === 'date' || info?.type === 'datetime' ? 'date' : 'text'}
          value={filter.value === undefined ? '' : String(filter.value)}
          onChange={(e) => set({ value: info?.type === 'number' || info?.type === 'percent' ? Number(e.target.value) : e.target.value })}
        />
      )}
      {filter.op === 'between' && (
        <span>
          <input aria-label={`From value for ${label}`} value={Array.isArray(filter.value) ? String(filter.value[0]) : ''} onChange={(e) => set({ value: [e.target.value, Array.isArray(filter.value) ? filter.value[1] : ''] })} />
          {' and '}
          <input aria-label={`To value for ${label}`} value={Array.isArray(filter.value) ? String(filter.value[1]) : ''} onChange={(e) => set({ value: [Array.isArray(filter.value) ? filter.value[0] : '', e.target.value] })} />
        </span>
      )}
    </div>
  );
}
