SELECT count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1) AND ("c"."completion_percent" > @p2) AND ("c"."test_pressure" >= @p3)
-- params: [1,20,20]
