-- The live stream polls "id > last seen AND id <= newest" per table. events and logs have a
-- (tenant_id, id) b-tree; tool_executions, the table with the most rows, gets a BRIN index on id
-- instead: ids grow in insertion order, so a few block ranges per partition answer the poll, for a
-- maintenance cost per inserted row far below a b-tree's. Without it each poll read every partition.
CREATE INDEX IF NOT EXISTS tool_executions_id_brin ON tool_executions USING brin (id) WITH (pages_per_range = 32, autosummarize = on);
