/**
 * Step 1: the dataset or a template to start from, a searchable field palette dragged into
 * Rows, Columns, Values and Filters (with @dnd-kit; every drag has a keyboard equivalent in
 * the "Add to" and "Move to" menus), aggregations, filter values and the lookback window.
 */
import { useMemo, useState } from 'react';
import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, pointerWithin, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { DATASETS, FIELD_CATALOG, AGGREGATIONS_BY_TYPE, DATASET_MEASURES, type Dataset, type FieldInfo } from '../../../../shared/domain/fieldCatalog';
import { call } from '../../api/client';
import { useQuery } from '../../app/useQuery';
import { emptyDraft, useBuilder, ZONES, type Draft, type Zone } from './builderStore';
import { FilterEditor } from './FilterEditor';
import { LookbackPicker } from './LookbackPicker';
import { usePreview } from './ReviewStep';

const TYPE_ICON: Record<string, string> = { text: 'Aa', enum: '≡', number: '#', percent: '%', boolean: '✓', date: '▦', datetime: '◷' };
const AGG_LABEL: Record<string, string> = { count: 'Count', sum: 'Sum', avg: 'Average', min: 'Minimum', max: 'Maximum', distinctCount: 'Distinct count', rocWeightedPercent: 'ROC %', completionPercent: 'Completion %', completedCount: 'Completed count' };

function fieldLabel(dataset: Dataset, name: string | undefined): string {
  if (!name) return '';
  return FIELD_CATALOG[dataset].find((f) => f.name === name)?.label ?? name;
}

function PaletteField({ field, target, onAdd }: { field: FieldInfo; target: Zone; onAdd: () => void }) {
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: `palette|${field.name}`, data: { source: 'palette', field: field.name } });
  return (
    <li className={`palette-field ${isDragging ? 'dragging' : ''}`} style={{ transform: CSS.Translate.toString(transform) }}>
      <span ref={setNodeRef} className="drag-handle" data-testid={`field-${field.name}`} {...listeners} {...attributes}>
        <span className="type-icon" aria-hidden="true">{TYPE_ICON[field.type] ?? '?'}</span> {field.label}
      </span>
      <button className="add" aria-label={`Add ${field.label} to ${ZONES.find((z) => z.id === target)?.label}`} disabled={target === 'filters' && !field.filterable} onClick={onAdd}>
        +
      </button>
    </li>
  );
}

function ZoneItemView({ zone, index, draft, children }: { zone: Zone; index: number; draft: Draft; children: React.ReactNode }) {
  const { move, remove } = useBuilder();
  const { attributes, listeners, setNodeRef, transform, transition } = useSortable({ id: `item|${zone}|${index}`, data: { source: 'zone', zone, index } });
  const count = (draft[zone] as unknown[]).length;
  return (
    <li ref={setNodeRef} className="zone-item" style={{ transform: CSS.Transform.toString(transform), transition }}>
      <span className="drag-handle" {...listeners} {...attributes} aria-label="Drag to reorder or move">⠿</span>
      <div className="zone-item-body">{children}</div>
      <div className="zone-item-tools">
        <button aria-label="Move up" disabled={index === 0} onClick={() => move(zone, index, zone, index - 1)}>↑</button>
        <button aria-label="Move down" disabled={index === count - 1} onClick={() => move(zone, index, zone, index + 1)}>↓</button>
        {ZONES.filter((z) => z.id !== zone).map((z) => (
          <button key={z.id} aria-label={`Move to ${z.label}`} title={`Move to ${z.label}`} onClick={() => move(zone, index, z.id)}>
            {z.label[0]}
          </button>
        ))}
        <button aria-label="Remove" onClick={() => remove(zone, index)}>✕</button>
      </div>
    </li>
  );
}

function DropZone({ zone, label, draft }: { zone: Zone; label: string; draft: Draft }) {
  const { edit } = useBuilder();
  const { setNodeRef, isOver } = useDroppable({ id: `zone|${zone}`, data: { zone } });
  const items = draft[zone] as Array<Record<string, unknown>>;
  const ids = items.map((_, i) => `item|${zone}|${i}`);
  return (
    <section ref={setNodeRef} className={`drop-zone ${isOver ? 'over' : ''}`} aria-label={label} data-testid={`zone-${zone}`}>
      <h3>{label}</h3>
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ul>
          {items.length === 0 && <li className="muted small">Drop fields here</li>}
          {items.map((item, i) => (
            <ZoneItemView key={ids[i]} zone={zone} index={i} draft={draft}>
              {zone === 'values' ? (
                <ValueEditor draft={draft} index={i} />
              ) : zone === 'filters' ? (
                <FilterEditor index={i} />
              ) : (
                <span>
                  {fieldLabel(draft.dataset, item.field as string)}
                  {'bucket' in item && item.bucket ? (
                    <select
                      aria-label="Group dates by"
                      value={item.bucket as string}
                      onChange={(e) => edit((d) => ({ ...d, [zone]: (d[zone] as Array<Record<string, unknown>>).map((r, j) => (j === i ? { ...r, bucket: e.target.value } : r)) }))}
                    >
                      {['day', 'week', 'month', 'quarter'].map((b) => <option key={b} value={b}>by {b}</option>)}
                    </select>
                  ) : null}
                </span>
              )}
            </ZoneItemView>
          ))}
        </ul>
      </SortableContext>
    </section>
  );
}

function ValueEditor({ draft, index }: { draft: Draft; index: number }) {
  const { edit } = useBuilder();
  const value = draft.values[index];
  if (!value) return null;
  const info = value.field ? FIELD_CATALOG[draft.dataset].find((f) => f.name === value.field) : undefined;
  const allowed = value.field ? (info?.aggregations.length ? info.aggregations : info ? AGGREGATIONS_BY_TYPE[info.type] : []) : DATASET_MEASURES[draft.dataset];
  return (
    <span>
      <select aria-label={`Aggregation of ${value.field ? fieldLabel(draft.dataset, value.field) : 'the dataset'}`} value={value.agg} onChange={(e) => edit((d) => ({ ...d, values: d.values.map((v, j) => (j === index ? { ...v, agg: e.target.value } : v)) }))}>
        {allowed.map((a) => <option key={a} value={a}>{AGG_LABEL[a] ?? a}</option>)}
      </select>{' '}
      {value.field ? `of ${fieldLabel(draft.dataset, value.field)}` : ''}
    </span>
  );
}

/** A one-line preview while building: rows and the first few groups. */
function LivePreview() {
  const { result, error, ms } = usePreview();
  return (
    <div className="live-preview" role="status" aria-live="polite">
      {error ? (
        <span className="muted">Preview: {error.split('\n')[0]}</span>
      ) : result ? (
        <span data-testid="live-preview">
          Preview: <strong>{result.rowCount.toLocaleString('en-US')}</strong> rows{ms !== null && <span className="muted small"> · {Math.round(ms)} ms</span>}
        </span>
      ) : (
        <span className="muted">Preview: …</span>
      )}
    </div>
  );
}

export function ParametersStep() {
  const { draft, edit, add, move, load } = useBuilder();
  const [search, setSearch] = useState('');
  const [target, setTarget] = useState<Zone>('rows');
  const [library] = useQuery('library/list', {});
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const fields = FIELD_CATALOG[draft.dataset];
  const groups = useMemo(() => {
    const q = search.trim().toLowerCase();
    const map = new Map<string, FieldInfo[]>();
    for (const f of fields) if (!q || f.label.toLowerCase().includes(q) || f.name.toLowerCase().includes(q)) map.set(f.group, [...(map.get(f.group) ?? []), f]);
    return [...map];
  }, [fields, search]);

  const onDragEnd = (e: DragEndEvent) => {
    const from = e.active.data.current as { source: 'palette'; field: string } | { source: 'zone'; zone: Zone; index: number } | undefined;
    const over = e.over?.data.current as { zone?: Zone; source?: string; index?: number } | undefined;
    if (!from || !over?.zone) return;
    const toIndex = over.source === 'zone' ? over.index : undefined;
    if (from.source === 'palette') {
      add(over.zone, from.field);
      if (toIndex !== undefined && over.zone !== 'columns') {
        const last = (useBuilder.getState().draft[over.zone] as unknown[]).length - 1;
        move(over.zone, last, over.zone, toIndex);
      }
    } else move(from.zone, from.index, over.zone, toIndex);
  };

  const startFrom = async (value: string) => {
    if (value.startsWith('dataset:')) load(emptyDraft(value.slice(8) as Dataset), null);
    else if (value) {
      const { item, definition } = await call('library/get', { id: value });
      load({ ...definition, name: item.kind === 'system' ? `${definition.name} (my copy)` : definition.name }, item.kind === 'user' ? item.id : null);
    }
  };

  return (
    <div className="params">
      <div className="params-head">
        <label>
          Report name <input value={draft.name} onChange={(e) => edit((d) => ({ ...d, name: e.target.value }))} maxLength={120} />
        </label>
        <label>
          Start from{' '}
          <select aria-label="Start from" value="" onChange={(e) => void startFrom(e.target.value)}>
            <option value="">Choose a dataset or template…</option>
            <optgroup label="Empty report on">
              {DATASETS.map((d) => <option key={d} value={`dataset:${d}`}>{d}</option>)}
            </optgroup>
            {library.kind === 'ready' && (
              <optgroup label="Templates and saved reports">
                {library.value.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
              </optgroup>
            )}
          </select>
        </label>
        <span className="muted">Dataset: {draft.dataset}</span>
      </div>
      <DndContext sensors={sensors} collisionDetection={pointerWithin} onDragEnd={onDragEnd}>
        <div className="params-body">
          <aside className="palette" aria-label="Fields">
            <h3>Fields</h3>
            <input type="search" aria-label="Search fields" placeholder="Search fields" value={search} onChange={(e) => setSearch(e.target.value)} />
            <div className="chip-row" role="group" aria-label="The + buttons add to">
              <span className="muted small">+ adds to</span>
              {ZONES.map((z) => (
                <button key={z.id} className={`chip ${target === z.id ? 'on' : ''}`} aria-pressed={target === z.id} onClick={() => setTarget(z.id)}>
                  {z.label}
                </button>
              ))}
            </div>
            <div className="measures">
              <h4>Measures</h4>
              <ul>
                {DATASET_MEASURES[draft.dataset].map((m) => (
                  <li key={m}>
                    <button onClick={() => add('values', null, m)}>+ {AGG_LABEL[m] ?? m}</button>
                  </li>
                ))}
              </ul>
            </div>
            {groups.map(([group, list]) => (
              <div key={group}>
                <h4>{group}</h4>
                <ul>
                  {list.map((f) => <PaletteField key={f.name} field={f} target={target} onAdd={() => add(target, f.name)} />)}
                </ul>
              </div>
            ))}
          </aside>
          <div className="zones">
            {ZONES.map((z) => <DropZone key={z.id} zone={z.id} label={z.label} draft={draft} />)}
            <LookbackPicker />
            <LivePreview />
          </div>
        </div>
      </DndContext>
    </div>
  );
}
