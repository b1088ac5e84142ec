SELECT coalesce("c"."area", @p1) AS "r0", count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p2)
GROUP BY "r0"
ORDER BY "r0"
-- params: ["Unassigned",1]
