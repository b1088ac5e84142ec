SELECT "k"."area" AS "r0", sum("k"."total") AS "v0"
FROM "component_cube" AS "k"
WHERE ("k"."project_id" = @p1)
GROUP BY "r0"
ORDER BY "r0"
-- params: [1]
