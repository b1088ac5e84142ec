SELECT "c"."tag" AS "r0", count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1) AND ("c"."updated_at" >= @p2) AND ("c"."updated_at" < @p3)
GROUP BY "r0"
ORDER BY "r0"
-- params: [1,"2026-06-02T00:00:00Z","2026-06-16T00:00:00Z"]
