SELECT sum("k"."total") AS "v0"
FROM "component_cube" AS "k"
WHERE ("k"."project_id" = @p1) AND ("k"."status" IN (@p2, @p3))
-- params: [1,"IN_PROGRESS","COMPLETED"]
