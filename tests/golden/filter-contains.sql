SELECT count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1) AND ("c"."type" LIKE @p2 ESCAPE '\')
-- params: [1,"%alv%"]
