SELECT sum("c"."test_pressure") AS "v0", avg("c"."test_pressure") AS "v1", min("c"."test_pressure") AS "v2", max("c"."tag") AS "v3", count(DISTINCT "c"."type") AS "v4"
FROM "components" AS "c"
WHERE ("c"."project_id" = @p1)
-- params: [1]
