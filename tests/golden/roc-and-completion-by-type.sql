SELECT "k"."type" AS "r0", sum("k"."roc_micro_sum") AS "v0_s", sum("k"."total") AS "v0_n", sum("k"."completion_micro_sum") AS "v1_s", sum("k"."total") AS "v1_n", sum("k"."completed") AS "v2"
FROM "component_cube" AS "k"
WHERE ("k"."project_id" = @p1)
GROUP BY "r0"
ORDER BY "r0"
-- params: [1]
