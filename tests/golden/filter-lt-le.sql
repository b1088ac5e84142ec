SELECT count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1) AND ("c"."completion_percent" < @p2) AND (("c"."roc_micro" / @p3) <= @p4)
-- params: [1,50,1000000,20]
