SELECT count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1) AND ("c"."type" NOT IN (@p2))
-- params: [1,"Spool"]
