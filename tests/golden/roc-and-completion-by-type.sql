SELECT "c"."type" AS "r0", sum("c"."roc_micro") AS "v0_s", count(*) AS "v0_n", sum(CAST(round("c"."completion_percent" * 1000000.0) AS INTEGER)) AS "v1_s", count(*) AS "v1_n", sum(("c"."status" = @p1)) AS "v2"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p2)
GROUP BY "r0"
ORDER BY "r0"
-- params: ["COMPLETED",1]
