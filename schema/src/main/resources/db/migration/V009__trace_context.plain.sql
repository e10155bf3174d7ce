-- W3C trace context of each execution (hex, as in traceparent): trace_id and span_id (the MCP client or
-- server span) came with V003; the parent span is the hub's current span (downstream) or the caller's
-- (served), which links the execution into a trace that another tool exported.
ALTER TABLE tool_executions ADD COLUMN IF NOT EXISTS parent_span_id text;
