SELECT "k"."area" AS "r0", "k"."type" AS "p0", sum("k"."roc_micro_sum") AS "v0_s", sum("k"."total") AS "v0_n"
FROM "component_cube" AS "k"
WHERE ("k"."project_id" = @p1)
GROUP BY "r0", "p0"
ORDER BY "r0", "p0"
-- params: [1]
