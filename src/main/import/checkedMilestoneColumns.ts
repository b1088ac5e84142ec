/**
 * The checked rows of a milestones file kept column by column in typed arrays, so that a first
 * import writes them without reading and checking the file a second time (~6 s of 46 at five
 * million rows). Text values — names, dates, users — are interned: a file repeats a few of each
 * over millions of rows. A file with too many different ones, or an order too large for 32 bits,
 * is not kept (`kept()` turns false and the memory is let go), and the caller reads the file again.
 */
import type { CheckedMilestone } from './milestoneImport';

/** One kept row: the checker's values, its component by position instead of tag; refilled for every row like the checker's own. */
export type KeptMilestone = Omit<CheckedMilestone, 'line' | 'tag' | 'bad'> & { component: number };

const DEFAULT_MAX_DISTINCT = 100_000;

/** Values that occur again and again, each stored once and named by its number. */
class Interned {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The value's number, or -1 when it would be one value too many. */
  id(value: string, max: number): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      if (this.values.length >= max) return -1;
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

function grown<T extends Int32Array | Uint8Array | Float64Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

export class CheckedMilestoneColumns {
  private count = 0;
  private component = new Int32Array(1 << 16);
  private name = new Int32Array(1 << 16);
  private order = new Int32Array(1 << 16);
  private completed = new Uint8Array(1 << 16);
  /** -1 for none. */
  private at = new Int32Array(1 << 16);
  private by = new Int32Array(1 << 16);
  /** Only once a row gives a percent; NaN for none (a kept percent is always finite). */
  private percent: Float64Array | null = null;
  private readonly texts = new Interned();
  private keeping = true;

  constructor(private readonly maxDistinct = DEFAULT_MAX_DISTINCT) {}

  kept(): boolean {
    return this.keeping;
  }

  get rows(): number {
    return this.count;
  }

  /** Keeps row `m` of component `component`, unless the file has already proved too varied. */
  add(component: number, m: CheckedMilestone): void {
    if (!this.keeping) return;
    const name = this.texts.id(m.name, this.maxDistinct);
    const at = m.at === null ? -1 : this.texts.id(m.at, this.maxDistinct);
    const by = m.completedBy === null ? -1 : this.texts.id(m.completedBy, this.maxDistinct);
    if (name < 0 || (m.at !== null && at < 0) || (m.completedBy !== null && by < 0) || (m.order | 0) !== m.order) {
      this.giveUp();
      return;
    }
    const r = this.count;
    if (r === this.component.length) {
      const size = r + 1;
      this.component = grown(this.component, size);
      this.name = grown(this.name, size);
      this.order = grown(this.order, size);
      this.completed = grown(this.completed, size);
      this.at = grown(this.at, size);
      this.by = grown(this.by, size);
      // Its new slots are 0, not NaN: every row from here on sets its own.
      if (this.percent !== null) this.percent = grown(this.percent, size);
    }
    if (m.percent !== null && this.percent === null) this.percent = new Float64Array(this.component.length).fill(Number.NaN);
    if (this.percent !== null) this.percent[r] = m.percent ?? Number.NaN;
    this.component[r] = component;
    this.name[r] = name;
    this.order[r] = m.order;
    this.completed[r] = m.completed ? 1 : 0;
    this.at[r] = at;
    this.by[r] = by;
    this.count = r + 1;
  }

  /** The kept rows in file order (the one object refilled for each). */
  *read(): Generator<KeptMilestone> {
    if (!this.keeping) throw new Error('the milestones were not kept');
    const texts = this.texts.values;
    const out: KeptMilestone = { component: 0, name: '', order: 0, completed: false, at: null, completedBy: null, percent: null };
    for (let r = 0; r < this.count; r++) {
      out.component = this.component[r] as number;
      out.name = texts[this.name[r] as number] as string;
      out.order = this.order[r] as number;
      out.completed = this.completed[r] === 1;
      const at = this.at[r] as number;
      out.at = at < 0 ? null : (texts[at] as string);
      const by = this.by[r] as number;
      out.completedBy = by < 0 ? null : (texts[by] as string);
      const p = this.percent === null ? Number.NaN : (this.percent[r] as number);
      out.percent = Number.isNaN(p) ? null : p;
      yield out;
    }
  }

  private giveUp(): void {
    this.keeping = false;
    this.count = 0;
    const empty = new Int32Array(0);
    this.component = this.name = this.order = this.at = this.by = empty;
    this.completed = new Uint8Array(0);
    this.percent = null;
  }
}
