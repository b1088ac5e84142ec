/**
 * A PipeTrak-shaped project on the test server, generated set-based in SQL so a million
 * components take seconds: two projects, drawings, components of five types over areas, systems
 * and test packages (some unassigned), five milestones each completed up to a per-component
 * level, percentage and quantity workflows, audit entries, an organisation default and a
 * project/type ROC configuration. Many rows share an updatedAt, so cursors must break ties by id.
 */
import type { PostgresServer } from './postgresServer';

export interface PipetrakSize {
  north: number;
  south: number;
}

export async function generatePipetrak(server: PostgresServer, size: PipetrakSize): Promise<void> {
  await server.exec(`
    CREATE TEMP TABLE gen_projects (id TEXT, code TEXT, n INT);
    INSERT INTO gen_projects VALUES ('prj-north', 'N', ${size.north}), ('prj-south', 'S', ${size.south});

    INSERT INTO "organization" VALUES ('org-acme', 'Acme Piping');
    INSERT INTO "user" SELECT 'usr-' || i, (ARRAY['Anna Kowalska', 'Дмитрий Иванов', 'José Núñez', 'Lee Chen'])[1 + i % 4] || ' ' || i
      FROM generate_series(0, 7) i;
    INSERT INTO "Project" (id, "organizationId", name, "createdAt", "updatedAt") VALUES
      ('prj-north', 'org-acme', 'North Unit Revamp', '2026-01-05 08:00+00', '2026-11-01 08:00+00'),
      ('prj-south', 'org-acme', 'South Tank Farm', '2026-02-10 08:00+00', '2026-11-01 08:00+00');
    INSERT INTO "ROCConfigurations" (id, "organizationId", "projectId", "componentType", "milestoneWeights", "isDefault", "effectiveDate", "createdBy", "createdAt", "updatedAt") VALUES
      ('roc-org', 'org-acme', NULL, NULL, '{"Receive": 15, "Erect": 25, "Connect": 40, "Test": 15, "Complete": 5}', TRUE, '2026-01-01 00:00+00', 'usr-0', '2026-01-01 00:00+00', '2026-11-01 08:00+00'),
      ('roc-north-valve', 'org-acme', 'prj-north', 'Valve', '{"Receive": 5, "Erect": 20, "Connect": 50, "Test": 20, "Complete": 5}', FALSE, '2026-03-01 00:00+00', 'usr-0', '2026-03-01 00:00+00', '2026-11-01 08:00+00');

    INSERT INTO "Drawing" (id, "projectId", number, title, revision, "createdAt", "updatedAt")
      SELECT 'dwg-' || p.code || '-' || i, p.id, 'ISO-' || p.code || '-' || lpad(i::text, 5, '0'), 'Isometric ' || i, chr(65 + i % 3),
             '2026-01-10 08:00+00', timestamptz '2026-11-01 08:00+00' + (i % 97) * interval '1 second'
      FROM gen_projects p, generate_series(1, ceil(p.n / 20.0)::int) i;

    CREATE TEMP TABLE gen_components AS
      SELECT p.id AS project, p.code, i, 'cmp-' || substr(md5(p.id || ':' || i), 1, 20) AS id,
             abs(hashtext(p.id || ':' || i)) % 6 AS level,
             CASE WHEN i % 20 = 0 THEN 'MILESTONE_PERCENTAGE' WHEN i % 50 = 7 THEN 'MILESTONE_QUANTITY' ELSE 'MILESTONE_DISCRETE' END AS workflow
      FROM gen_projects p, generate_series(1, p.n) i;

    INSERT INTO "Component" (id, "projectId", "drawingId", "componentId", "instanceNumber", "displayId", type, spec, size, material, area, system,
                             "testPackage", status, "completionPercent", "workflowType", "testRequired", "testPressure", "installationDate", "createdAt", "updatedAt")
      SELECT g.id, g.project, 'dwg-' || g.code || '-' || (1 + (g.i - 1) / 20),
             g.code || '-' || (ARRAY['PS', 'VL', 'FL', 'SP', 'IN'])[1 + g.i % 5] || '-' || lpad(g.i::text, 7, '0'), 1,
             (ARRAY['PS', 'VL', 'FL', 'SP', 'IN'])[1 + g.i % 5] || g.i,
             (ARRAY['Pipe Spool', 'Valve', 'Flange', 'Support', 'Instrument'])[1 + g.i % 5],
             (ARRAY['A1A', 'B2C', 'C3E'])[1 + g.i % 3], (ARRAY['2"', '4"', '6"', '10"'])[1 + g.i % 4], (ARRAY['CS', 'SS316', 'Duplex'])[1 + g.i % 3],
             CASE WHEN g.i % 31 = 0 THEN NULL ELSE 'Area ' || (1 + g.i % 7) END,
             'SYS-' || lpad((1 + (g.i * 7) % 11)::text, 2, '0'),
             CASE WHEN g.i % 37 = 0 THEN NULL ELSE 'TP-' || lpad((1 + g.i % 23)::text, 3, '0') END,
             (CASE WHEN g.level = 0 THEN 'NOT_STARTED' WHEN g.level = 5 THEN 'COMPLETED' WHEN g.i % 41 = 0 THEN 'ON_HOLD' ELSE 'IN_PROGRESS' END)::"ComponentStatus",
             CASE WHEN g.workflow = 'MILESTONE_QUANTITY' THEN (g.i * 13) % 101 ELSE (ARRAY[0, 10, 40, 80, 95, 100])[1 + g.level] END,
             g.workflow::"WorkflowType", g.i % 3 = 0, CASE WHEN g.i % 3 = 0 THEN 150 + (g.i % 5) * 25 END,
             CASE WHEN g.level > 0 THEN timestamptz '2026-06-01 00:00+00' + (g.i % 120) * interval '1 day' END,
             '2026-01-10 08:00+00', timestamptz '2026-11-01 08:00+00' + (g.i % 997) * interval '1 second'
      FROM gen_components g;

    INSERT INTO "ComponentMilestone" (id, "componentId", "milestoneName", "milestoneOrder", "isCompleted", "completedAt", "completedBy",
                                      "percentageValue", "createdAt", "updatedAt")
      SELECT 'mst-' || substr(md5(g.id || ':' || o), 1, 20), g.id, (ARRAY['Receive', 'Erect', 'Connect', 'Test', 'Complete'])[o], o,
             o <= g.level,
             CASE WHEN o <= g.level THEN timestamptz '2026-11-20 10:00+00' - ((6 - o) * 9 + g.i % 40) * interval '1 day' END,
             CASE WHEN o <= g.level THEN 'usr-' || (g.i % 8) END,
             CASE WHEN g.workflow = 'MILESTONE_PERCENTAGE' AND o = g.level + 1 THEN (g.i * 7) % 100 END,
             '2026-01-10 08:00+00', timestamptz '2026-11-01 08:00+00' + ((g.i * 5 + o) % 997) * interval '1 second'
      FROM gen_components g, generate_series(1, 5) o;

    INSERT INTO "AuditLog" (id, "projectId", "componentId", "userId", action, changes, "timestamp")
      SELECT 'aud-' || substr(md5(g.id), 1, 20), g.project, g.id, 'usr-' || (g.i % 8), 'milestone_completed',
             jsonb_build_object('milestone', 'Erect', 'from', false, 'to', true),
             timestamptz '2026-11-20 10:00+00' - (g.i % 30) * interval '1 day'
      FROM gen_components g WHERE g.i % 4 = 0;

    ANALYZE;
  `);
}

/**
 * The progress summary of SPEC §4 computed by the server from its own tables, for comparing with
 * SiteReport's built-in: weights resolved (project, type) → (project) → (default, type) →
 * (default) → system default as of $2, each milestone's contribution rounded to 1e-6 points.
 */
export const SERVER_SUMMARY_SQL = `
WITH configs AS (
  SELECT id, "projectId" AS project, "componentType" AS type, "milestoneWeights" AS weights, ("effectiveDate" AT TIME ZONE 'UTC')::date AS effective
  FROM "ROCConfigurations" WHERE ("effectiveDate" AT TIME ZONE 'UTC')::date <= $2::date
),
comp AS (
  SELECT c.*, coalesce(
    (SELECT weights FROM configs k WHERE k.project = c."projectId" AND k.type = c.type ORDER BY effective DESC, id DESC LIMIT 1),
    (SELECT weights FROM configs k WHERE k.project = c."projectId" AND k.type IS NULL ORDER BY effective DESC, id DESC LIMIT 1),
    (SELECT weights FROM configs k WHERE k.project IS NULL AND k.type = c.type ORDER BY effective DESC, id DESC LIMIT 1),
    (SELECT weights FROM configs k WHERE k.project IS NULL AND k.type IS NULL ORDER BY effective DESC, id DESC LIMIT 1),
    '{"Receive": 10, "Erect": 30, "Connect": 40, "Test": 15, "Complete": 5}'::jsonb) AS weights
  FROM "Component" c WHERE c."projectId" = $1
),
roc AS (
  SELECT c.id, c.status, c."completionPercent" AS completion, c.area, c.system, c."testPackage" AS test_package,
    CASE WHEN c."workflowType" = 'MILESTONE_QUANTITY' THEN least(greatest(c."completionPercent", 0), 100)
    ELSE least(greatest(coalesce((
      SELECT sum(round(coalesce((c.weights ->> m."milestoneName")::numeric, 0) *
        CASE WHEN m."isCompleted" THEN 1
             WHEN c."workflowType" = 'MILESTONE_PERCENTAGE' THEN least(greatest(coalesce(m."percentageValue", 0), 0), 100) / 100.0
             ELSE 0 END, 6))
      FROM "ComponentMilestone" m WHERE m."componentId" = c.id), 0), 0), 100) END AS roc
  FROM comp c
)
SELECT 'summary' AS dimension, NULL AS key, count(*)::int AS total, (count(*) FILTER (WHERE status = 'COMPLETED'))::int AS completed,
       round(avg(completion), 2)::float8 AS completion, round(avg(roc), 2)::float8 AS roc FROM roc
UNION ALL
SELECT 'area', coalesce(area, 'Unassigned'), count(*)::int, (count(*) FILTER (WHERE status = 'COMPLETED'))::int, round(avg(completion), 2)::float8, round(avg(roc), 2)::float8 FROM roc GROUP BY 2
UNION ALL
SELECT 'system', coalesce(system, 'Unassigned'), count(*)::int, (count(*) FILTER (WHERE status = 'COMPLETED'))::int, round(avg(completion), 2)::float8, round(avg(roc), 2)::float8 FROM roc GROUP BY 2
UNION ALL
SELECT 'test_package', coalesce(test_package, 'Unassigned'), count(*)::int, (count(*) FILTER (WHERE status = 'COMPLETED'))::int, round(avg(completion), 2)::float8, round(avg(roc), 2)::float8 FROM roc GROUP BY 2
ORDER BY 1, 2`;
