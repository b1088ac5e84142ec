/**
 * Deterministic demo project: for a given seed, component count and anchor date the database
 * content is identical. History covers the 180 days before the anchor; test packages start
 * along an S-curve, so cumulative progress rises slowly, steepens, then flattens. Maintained
 * figures (ROC, earned points, completion dates, rollups) are computed here with the same
 * arithmetic as the triggers, then the triggers are restored.
 */
import type { Db } from '../db/connection';
import { bumpDataVersion, withTriggersLifted } from '../db/bulkWrites';
import { CubeAccumulator, DailyAccumulator, RollupAccumulator } from './rollupAccumulator';
import { addDays, fromEpochDay, toEpochDay } from '../../shared/dates';
import { createRng, intBetween, pick } from './prng';
import {
  AREAS,
  COMPONENT_TYPES,
  DEMO_ROC_CONFIGS,
  FOREMEN,
  MATERIALS,
  SIZES,
  SPECS,
  SYSTEMS,
  type ComponentTypeSpec,
} from './demoCatalog';
import { BatchInserter } from './batchInserter';
import {
  clamp,
  componentRocMicro,
  earnedMicro,
  resolveRocConfig,
  shareMicro,
  roundHalfAwayFromZero,
  SYSTEM_DEFAULT_WEIGHTS,
  type MilestoneState,
  type RocConfigRow,
} from '../reports/rocMath';

export interface DemoOptions {
  components: number;
  seed: number;
  /** The demo's "today": history ends the day before. */
  anchorDate: string;
  projectCode?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  projectId: number;
  components: number;
  milestones: number;
  drawings: number;
  testPackages: number;
  auditEntries: number;
}

const HISTORY_DAYS = 180;
const TIME_SLOTS = Array.from({ length: 44 }, (_, i) => {
  const minutes = 6 * 60 + i * 15;
  return `T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00Z`;
});

interface PackagePlan {
  name: string | null;
  area: string;
  system: string;
  startDay: number;
  pace: number;
  forceComplete: boolean;
  pressure: number;
  drawingIds: number[];
}

function typeFor(r: number): ComponentTypeSpec {
  let acc = 0;
  for (const t of COMPONENT_TYPES) {
    acc += t.share;
    if (r < acc) return t;
  }
  return COMPONENT_TYPES[COMPONENT_TYPES.length - 1] as ComponentTypeSpec;
}

export function generateDemoProject(db: Db, options: DemoOptions): DemoSummary {
  const n = Math.max(1, Math.floor(options.components));
  const rng = createRng(options.seed);
  const anchorDay = toEpochDay(options.anchorDate);
  const startDay = anchorDay - HISTORY_DAYS;
  // Day strings are cached: formatting a Date per milestone dominated generation time.
  const dayCache = new Map<number, string>();
  const dayStr = (d: number) => {
    let v = dayCache.get(d);
    if (v === undefined) {
      v = fromEpochDay(startDay + d);
      dayCache.set(d, v);
    }
    return v;
  };
  const instant = (d: number, slot: number) => `${dayStr(d)}${TIME_SLOTS[slot % TIME_SLOTS.length]}`;
  const projectCreated = instant(-30, 8);

  const packageCount = Math.max(10, Math.round((120 * n) / 5000));
  const drawingCount = Math.max(packageCount, Math.round((600 * n) / 5000));

  return db.transaction(() =>
    withTriggersLifted(db, () => {
      const code = options.projectCode ?? 'DEMO-ETH';
      const projectId = Number(
        db
          .prepare(
            `INSERT INTO projects (code, name, organization, created_at, source, last_synced_at, time_zone)
             VALUES (?, ?, ?, ?, 'demo', ?, 'UTC')`,
          )
          .run(code, 'Riverside Ethylene Cracker — Piping Installation', 'Northwind Constructors', projectCreated, `${options.anchorDate}T00:00:00Z`)
          .lastInsertRowid,
      );

      // ROC configurations
      const configs: RocConfigRow[] = [];
      const insertConfig = db.prepare(
        `INSERT INTO roc_configurations (project_id, component_type, weights_json, effective_date, is_default, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const insertWeight = db.prepare('INSERT INTO roc_weights (config_id, milestone_name, weight) VALUES (?, ?, ?)');
      for (const c of DEMO_ROC_CONFIGS) {
        const effectiveDate = addDays(dayStr(0), c.effectiveOffsetDays);
        const id = Number(
          insertConfig.run(
            c.projectSpecific ? projectId : null,
            c.componentType,
            JSON.stringify(c.weights),
            effectiveDate,
            c.projectSpecific ? 0 : 1,
            projectCreated,
          ).lastInsertRowid,
        );
        for (const [name, weight] of Object.entries(c.weights)) insertWeight.run(id, name, weight);
        configs.push({ id, projectId: c.projectSpecific ? projectId : null, componentType: c.componentType, effectiveDate, weights: c.weights });
      }
      const resolved = new Map<string, { id: number | null; weights: Readonly<Record<string, number>> }>();
      for (const t of COMPONENT_TYPES) {
        const cfg = resolveRocConfig(configs, projectId, t.type, options.anchorDate);
        resolved.set(t.type, { id: cfg?.id ?? null, weights: cfg?.weights ?? SYSTEM_DEFAULT_WEIGHTS });
      }
      db.prepare("INSERT INTO meta (key, value) VALUES ('roc_resolved_on', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(options.anchorDate);

      // Test packages and drawings
      const packages: PackagePlan[] = [];
      const areaSeq = new Map<string, number>();
      for (let i = 0; i < packageCount; i++) {
        const area = pick(rng, AREAS);
        const seq = (areaSeq.get(area) ?? 0) + 1;
        areaSeq.set(area, seq);
        const u = (i + rng()) / packageCount;
        packages.push({
          name: `TP-${area.slice(0, 3)}-${String(seq).padStart(3, '0')}`,
          area,
          system: pick(rng, SYSTEMS),
          startDay: Math.round(Math.max(0, Math.min(280, 100 + 34 * Math.log(u / (1 - u))))),
          pace: 0.6 + rng() * 0.9,
          forceComplete: i < Math.max(3, Math.round(packageCount * 0.04)),
          pressure: [10, 16, 25, 40, 63, 100, 150][intBetween(rng, 0, 6)] as number,
          drawingIds: [],
        });
      }
      const drawings = new BatchInserter(db, 'drawings', ['id', 'project_id', 'number', 'title', 'revision']);
      for (let d = 0; d < drawingCount; d++) {
        const p = packages[d % packageCount] as PackagePlan;
        const id = d + 1;
        p.drawingIds.push(id);
        drawings.add([id, projectId, `${p.area.slice(0, 3)}-ISO-${String(d + 1).padStart(6, '0')}`, `${p.system.slice(8)} isometric ${Math.floor(d / packageCount) + 1}`, pick(rng, ['A', 'B', 'C', '0', '1'])]);
      }
      drawings.flush();

      const components = new BatchInserter(db, 'components', [
        'id', 'project_id', 'tag', 'display_id', 'type', 'spec', 'size', 'material', 'area', 'system', 'test_package',
        'drawing_id', 'status', 'completion_percent', 'workflow_type', 'test_required', 'test_pressure',
        'installation_date', 'created_at', 'updated_at', 'roc_config_id', 'roc_micro', 'completed_at',
        'last_activity_at', 'milestones_total', 'milestones_completed',
      ], 100);
      const milestones = new BatchInserter(db, 'component_milestones', [
        'id', 'component_id', 'name', 'milestone_order', 'is_completed', 'completed_at', 'completed_by',
        'percentage_value', 'quantity_value', 'updated_at', 'project_id', 'earned_micro', 'share_micro',
      ], 200);
      const audit = new BatchInserter(db, 'audit_log', ['project_id', 'component_id', 'user_name', 'at', 'action', 'changes_json'], 200);

      const rollups = new RollupAccumulator();
      const daily = new DailyAccumulator(dayStr);
      const cube = new CubeAccumulator();
      let milestoneId = 0;
      const states: MilestoneState[] = [];
      const days: number[] = [];
      for (let i = 0; i < n; i++) {
        const id = i + 1;
        const pkg = packages[Math.floor((i * packageCount) / n)] as PackagePlan;
        const spec = typeFor(rng());
        const { id: configId, weights } = resolved.get(spec.type) as { id: number | null; weights: Readonly<Record<string, number>> };
        const r = rng();
        const testPackage = r < 0.02 ? null : pkg.name;
        const area = r > 0.99 ? null : pkg.area;
        const system = r > 0.985 && r <= 0.99 ? null : pkg.system;
        const onHold = !pkg.forceComplete && rng() < 0.02;
        const holdAfter = onHold ? intBetween(rng, 0, spec.milestones.length - 1) : Infinity;

        // Milestone completion days along the package's schedule.
        const begin = pkg.startDay + intBetween(rng, 0, 25);
        let day = begin;
        days.length = 0;
        for (let k = 0; k < spec.milestones.length; k++) {
          day += Math.max(1, Math.round((2 + rng() * 9) / pkg.pace));
          days.push(pkg.forceComplete ? Math.min(day, HISTORY_DAYS - 8 - (spec.milestones.length - k)) : day);
        }
        states.length = 0;
        let done = 0;
        let credit = 0;
        let lastAt: string | null = null;
        let lastDay = 0;
        let lastActivity = '';
        const combo = daily.targets(area, system, testPackage);
        let installDay: number | null = null;
        const foreman = pick(rng, FOREMEN);
        const partial = Math.round(rng() * 90);
        const created = instant(Math.min(-10, begin - 20), id);
        for (let k = 0; k < spec.milestones.length; k++) {
          const name = spec.milestones[k] as string;
          const d = days[k] as number;
          const completed = d < HISTORY_DAYS && k < holdAfter;
          const isFirstOpen = !completed && done === k;
          let percentageValue: number | null = null;
          if (spec.workflow === 'MILESTONE_PERCENTAGE') percentageValue = completed ? 100 : isFirstOpen ? partial : 0;
          let quantityValue: number | null = null;
          if (spec.workflow === 'MILESTONE_QUANTITY') quantityValue = completed ? 24 : isFirstOpen ? Math.round((24 * partial) / 100) : 0;
          if (completed) {
            done += 1;
            credit += 1;
            if (name === 'Install' || name === 'Erect' || name === 'Fit_Up') installDay = d;
          } else if (spec.workflow === 'MILESTONE_PERCENTAGE' && percentageValue) {
            credit += percentageValue / 100;
          }
          const state = { name, isCompleted: completed, percentageValue };
          states.push(state);
          const slot = (id + k * 7) % TIME_SLOTS.length;
          const at = completed ? instant(d, slot) : null;
          // An open percentage milestone's value was recorded a few days after the previous step.
          const recordedDay = completed ? d : Math.min(HISTORY_DAYS - 1, (k > 0 ? (days[k - 1] as number) : begin) + 2);
          const recordedAt = at ?? (percentageValue ? instant(recordedDay, slot) : created);
          const earned = earnedMicro(weights[name] ?? 0, spec.workflow, state);
          const share = shareMicro(spec.workflow, state, spec.milestones.length);
          if (at !== null) daily.event(combo, d, true, earned, share);
          else if (earned !== 0 || share !== 0) daily.event(combo, recordedDay, false, earned, share);
          if (recordedAt > lastActivity) lastActivity = recordedAt;
          if (at !== null && (lastAt === null || at > lastAt)) {
            lastAt = at;
            lastDay = d;
          }
          milestoneId += 1;
          milestones.add([
            milestoneId, id, name, k + 1, completed ? 1 : 0, at, completed ? foreman : null,
            percentageValue, quantityValue, recordedAt, projectId, earned, share,
          ]);
          if (completed && (d >= HISTORY_DAYS - 14 || rng() < 0.04)) {
            audit.add([projectId, id, foreman, at, 'MILESTONE_COMPLETED', `{"milestone":"${name}","isCompleted":[false,true]}`]);
          }
        }
        const allDone = done === spec.milestones.length;
        let completion: number;
        if (spec.workflow === 'MILESTONE_QUANTITY') {
          completion = allDone ? 100 : done === 1 ? Math.round(partial * 0.9 * 100) / 100 : 0;
        } else {
          completion = roundHalfAwayFromZero(((credit * 100) / spec.milestones.length) * 100) / 100;
        }
        completion = clamp(completion, 0, 100);
        const status = allDone ? 'COMPLETED' : onHold ? 'ON_HOLD' : done > 0 || completion > 0 ? 'IN_PROGRESS' : 'NOT_STARTED';
        const componentCompletedAt = allDone ? lastAt : null;
        const updatedAt = lastAt && lastAt > created ? lastAt : created;
        const updatedDay = lastAt && lastAt > created ? lastDay : Math.min(-10, begin - 20);
        const testRequired = rng() < spec.testRequiredShare ? 1 : 0;
        const rocMicro = componentRocMicro(spec.workflow, completion, states, weights);
        cube.add(area, system, spec.type, status, spec.workflow, roundHalfAwayFromZero(completion * 1000000.0), rocMicro, testRequired, testRequired ? pkg.pressure : null);
        rollups.add(area, system, testPackage, status === 'COMPLETED', roundHalfAwayFromZero(completion * 1000000.0), rocMicro);
        components.add([
          id, projectId, `${spec.prefix}-${pkg.area.slice(0, 3)}-${String(id).padStart(7, '0')}`,
          `${spec.prefix} ${String(id).padStart(7, '0')}`, spec.type, pick(rng, SPECS), pick(rng, SIZES),
          pick(rng, MATERIALS), area, system, testPackage,
          pkg.drawingIds[id % pkg.drawingIds.length] ?? null, status, completion, spec.workflow, testRequired,
          testRequired ? pkg.pressure : null, installDay === null ? null : dayStr(installDay), created,
          updatedAt, configId,
          rocMicro, componentCompletedAt, lastActivity > updatedAt ? lastActivity : updatedAt,
          spec.milestones.length, done,
        ]);
        if (spec.workflow === 'MILESTONE_QUANTITY') daily.event(combo, updatedDay, false, rocMicro, roundHalfAwayFromZero(completion * 1000000.0));
        if (status === 'COMPLETED') daily.componentCompleted(combo, componentCompletedAt ? lastDay : updatedDay);
        if (options.onProgress && (i + 1) % 50_000 === 0) options.onProgress(i + 1, n);
      }
      components.flush();
      milestones.flush();
      audit.flush();
      rollups.write(db, projectId);
      daily.write(db, projectId);
      cube.write(db, projectId);
      bumpDataVersion(db, projectId);
      options.onProgress?.(n, n);
      return {
        projectId,
        components: n,
        milestones: milestoneId,
        drawings: drawingCount,
        testPackages: packageCount,
        auditEntries: audit.count,
      };
    }),
  )();
}
