SELECT date("m"."completed_at", @p1) AS "r0", sum("m"."is_completed") AS "v0", sum(("m"."earned_micro" / @p2)) AS "v1"
FROM "component_milestones" AS "m"
WHERE ("m"."project_id" = @p3) AND ("m"."is_completed" = @p4)
GROUP BY "r0"
ORDER BY "v1" DESC, "r0"
LIMIT @p5
-- params: ["0 minutes",1000000,1,1,2]
