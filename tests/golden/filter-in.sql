SELECT count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1) AND ("c"."status" IN (@p2, @p3))
-- params: [1,"IN_PROGRESS","COMPLETED"]
