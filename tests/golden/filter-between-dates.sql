SELECT count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1) AND ((date("c"."updated_at", @p2) >= @p3) AND (date("c"."updated_at", @p4) <= @p5))
-- params: [1,"0 minutes","2026-06-01","0 minutes","2026-06-08"]
