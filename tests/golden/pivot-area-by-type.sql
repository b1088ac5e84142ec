SELECT coalesce("c"."area", @p1) AS "r0", "c"."type" AS "p0", sum("c"."roc_micro") AS "v0_s", count(*) AS "v0_n"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p2)
GROUP BY "r0", "p0"
ORDER BY "r0", "p0"
-- params: ["Unassigned",1]
