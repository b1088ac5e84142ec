SELECT (substr(date("c"."updated_at", @p1), 1, 4) || '-Q' || ((CAST(substr(date("c"."updated_at", @p1), 6, 2) AS INTEGER) + 2) / 3)) AS "r0", substr(date("c"."updated_at", @p2), 1, 7) AS "r1", date(date("c"."updated_at", @p3), '-6 days', 'weekday 1') AS "r2", count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p4)
GROUP BY "r0", "r1", "r2"
ORDER BY "r0", "r1", "r2"
-- params: ["0 minutes","0 minutes","0 minutes",1]
