SELECT count(*) AS "v0"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1) AND (coalesce("c"."area", @p2) <> @p3)
-- params: [1,"Unassigned","North"]
