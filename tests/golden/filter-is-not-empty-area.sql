SELECT count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1) AND ("c"."area" IS NOT NULL)
-- params: [1]
