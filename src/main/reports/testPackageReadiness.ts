/**
 * test-package-readiness (SPEC §4). A component is "at 100 %" when completion_percent >= 100.
 * Blocking: below 100 % with an incomplete Connect, Test, Pressure_Test or QC_Complete
 * milestone. Estimated ready date: remaining components / (completions in the last 7 days / 7)
 * days from now, none without recent work; a ready package is ready today. Components
 * without a test package are not a package; they are counted in the summary.
 */
import { isoInstant, utcDateOf } from '../../shared/dates';
import { meanPercent, roundHalfAwayFromZero } from './rocMath';
import { reportMeta, type ReportContext, type ReportMeta } from './reportContext';

export const BLOCKING_MILESTONES = ['Connect', 'Test', 'Pressure_Test', 'QC_Complete'] as const;
const DAY_MS = 86_400_000;

export type ReadinessStatus = 'ready' | 'nearly' | 'blocked' | 'not_started';

export interface BlockingComponent {
  componentId: number;
  tag: string;
  displayId: string | null;
  type: string;
  completionPercent: number;
  blockingMilestones: string[];
}

export interface PackageReadiness {
  packageName: string;
  status: ReadinessStatus;
  totalComponents: number;
  completedComponents: number;
  fullyCompleteComponents: number;
  completionPercent: number;
  isReadyForTest: boolean;
  testRequiredCount: number;
  testNotRequiredCount: number;
  testPressures: number[];
  recentCompletions7d: number;
  estimatedReadyDate: string | null;
  blockingCount: number;
  blockingComponents: BlockingComponent[];
}

export interface ReadinessResult extends ReportMeta {
  summary: {
    totalPackages: number;
    readyPackages: number;
    nearlyReadyPackages: number;
    blockedPackages: number;
    notStartedPackages: number;
    totalComponentsInPackages: number;
    completedComponentsInPackages: number;
    componentsWithoutPackage: number;
  };
  testPackages: PackageReadiness[];
}

export interface ReadinessParams {
  testPackage?: string;
  /** Blocking components listed per package (all are counted). */
  blockingLimit?: number;
}

export function readinessStatus(total: number, fullyComplete: number, completionMicroSum: number): ReadinessStatus {
  if (total > 0 && fullyComplete === total) return 'ready';
  if (fullyComplete * 100 >= 95 * total) return 'nearly';
  if (completionMicroSum < 10 * 1_000_000 * total) return 'not_started';
  return 'blocked';
}

export function testPackageReadiness(ctx: ReportContext, params: ReadinessParams = {}): ReadinessResult {
  const { db, project, now } = ctx;
  const blockingLimit = params.blockingLimit ?? 100;
  const pkgFilter = params.testPackage === undefined ? '' : 'AND test_package = @testPackage';
  const bind = { projectId: project.id, testPackage: params.testPackage ?? null };
  const since = isoInstant(new Date(now.getTime() - 7 * DAY_MS));
  const until = isoInstant(now);

  const groups = db
    .prepare(
      `SELECT test_package AS name, count(*) AS total, sum(status = 'COMPLETED') AS completed,
              sum(completion_percent >= 100) AS fullyComplete,
              sum(CAST(round(completion_percent * 1000000.0) AS INTEGER)) AS completionMicro,
              sum(test_required = 1) AS testRequired
       FROM components WHERE project_id = @projectId AND test_package IS NOT NULL ${pkgFilter}
       GROUP BY test_package ORDER BY test_package`,
    )
    .all(bind) as Array<{ name: string; total: number; completed: number; fullyComplete: number; completionMicro: number; testRequired: number }>;

  const pressures = new Map<string, number[]>();
  for (const r of db
    .prepare(
      `SELECT DISTINCT test_package AS name, test_pressure AS pressure FROM components
       WHERE project_id = @projectId AND test_package IS NOT NULL AND test_pressure IS NOT NULL ${pkgFilter}
       ORDER BY test_package, test_pressure`,
    )
    .all(bind) as Array<{ name: string; pressure: number }>) {
    const list = pressures.get(r.name) ?? [];
    list.push(r.pressure);
    pressures.set(r.name, list);
  }

  const recent = new Map<string, number>();
  for (const r of db
    .prepare(
      `SELECT c.test_package AS name, count(*) AS n
       FROM components c JOIN component_milestones m ON m.component_id = c.id
       WHERE c.project_id = @projectId AND c.test_package IS NOT NULL ${pkgFilter.replace('test_package', 'c.test_package')}
         AND c.last_activity_at > @since
         AND m.is_completed = 1 AND m.completed_at > @since AND m.completed_at <= @until
       GROUP BY c.test_package`,
    )
    .all({ ...bind, since, until }) as Array<{ name: string; n: number }>) {
    recent.set(r.name, r.n);
  }

  const blocking = new Map<string, BlockingComponent[]>();
  const blockingCounts = new Map<string, number>();
  const placeholders = BLOCKING_MILESTONES.map((_, i) => `@b${i}`).join(', ');
  const blockingBind = Object.fromEntries(BLOCKING_MILESTONES.map((m, i) => [`b${i}`, m]));
  for (const r of db
    .prepare(
      `SELECT c.test_package AS name, c.id AS componentId, c.tag, c.display_id AS displayId, c.type,
              c.completion_percent AS completionPercent, group_concat(m.name, '|') AS milestones
       FROM components c JOIN component_milestones m ON m.component_id = c.id
       WHERE c.project_id = @projectId AND c.test_package IS NOT NULL ${pkgFilter.replace('test_package', 'c.test_package')}
         AND c.completion_percent < 100 AND m.is_completed = 0 AND m.name IN (${placeholders})
       GROUP BY c.id ORDER BY c.test_package, c.tag`,
    )
    .all({ ...bind, ...blockingBind }) as Array<Omit<BlockingComponent, 'blockingMilestones'> & { name: string; milestones: string }>) {
    blockingCounts.set(r.name, (blockingCounts.get(r.name) ?? 0) + 1);
    const list = blocking.get(r.name) ?? [];
    if (list.length < blockingLimit) {
      const { name, milestones, ...component } = r;
      const order = (m: string) => BLOCKING_MILESTONES.indexOf(m as (typeof BLOCKING_MILESTONES)[number]);
      list.push({ ...component, blockingMilestones: milestones.split('|').sort((a, b) => order(a) - order(b)) });
      blocking.set(name, list);
    }
  }

  const today = utcDateOf(now);
  const packages: PackageReadiness[] = groups.map((g) => {
    const remaining = g.total - g.fullyComplete;
    const recent7 = recent.get(g.name) ?? 0;
    let estimatedReadyDate: string | null = null;
    if (remaining === 0) estimatedReadyDate = today;
    else if (recent7 > 0) {
      const days = remaining / (recent7 / 7);
      estimatedReadyDate = utcDateOf(new Date(now.getTime() + roundHalfAwayFromZero(days * DAY_MS)));
    }
    return {
      packageName: g.name,
      status: readinessStatus(g.total, g.fullyComplete, g.completionMicro),
      totalComponents: g.total,
      completedComponents: g.completed,
      fullyCompleteComponents: g.fullyComplete,
      completionPercent: meanPercent(g.completionMicro, g.total),
      isReadyForTest: remaining === 0,
      testRequiredCount: g.testRequired,
      testNotRequiredCount: g.total - g.testRequired,
      testPressures: pressures.get(g.name) ?? [],
      recentCompletions7d: recent7,
      estimatedReadyDate,
      blockingCount: blockingCounts.get(g.name) ?? 0,
      blockingComponents: blocking.get(g.name) ?? [],
    };
  });

  const withoutPackage = params.testPackage === undefined
    ? (db.prepare('SELECT count(*) AS n FROM components WHERE project_id = ? AND test_package IS NULL').get(project.id) as { n: number }).n
    : 0;
  const count = (s: ReadinessStatus) => packages.filter((p) => p.status === s).length;
  return {
    ...reportMeta(ctx, 'test-package-readiness'),
    summary: {
      totalPackages: packages.length,
      readyPackages: count('ready'),
      nearlyReadyPackages: count('nearly'),
      blockedPackages: count('blocked'),
      notStartedPackages: count('not_started'),
      totalComponentsInPackages: packages.reduce((a, p) => a + p.totalComponents, 0),
      completedComponentsInPackages: packages.reduce((a, p) => a + p.completedComponents, 0),
      componentsWithoutPackage: withoutPackage,
    },
    testPackages: packages,
  };
}
