SELECT sum("k"."total") AS "v0"
FROM "component_cube" AS "k"
WHERE ("k"."project_id" = @p1) AND ("k"."type" NOT IN (@p2))
-- params: [1,"Spool"]
