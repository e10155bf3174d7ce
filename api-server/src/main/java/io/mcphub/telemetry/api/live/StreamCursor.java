package io.mcphub.telemetry.api.live;

import io.mcphub.telemetry.api.ApiException;

/**
 * Position in the live stream: the last delivered id of {@code events}, {@code logs} and
 * {@code tool_executions}, written as {@code <events>-<logs>-<executions>} in each SSE message's
 * {@code id:} line, so {@code Last-Event-ID} resumes all three tables exactly.
 */
public record StreamCursor(long events, long logs, long executions) {

    public static StreamCursor parse(String text, String parameter) {
        String[] parts = text.strip().split("-");
        if (parts.length != 3) {
            throw ApiException.badParameter(parameter, "must look like <events>-<logs>-<executions>, e.g. 120-88-4031");
        }
        try {
            StreamCursor c = new StreamCursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            if (c.events < 0 || c.logs < 0 || c.executions < 0) {
                throw new NumberFormatException();
            }
            return c;
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(parameter, "must be three non-negative numbers: <events>-<logs>-<executions>");
        }
    }

    public long of(FeedItem.Kind kind) {
        return switch (kind) {
            case EVENT -> events;
            case LOG -> logs;
            case EXECUTION -> executions;
        };
    }

    public StreamCursor with(FeedItem.Kind kind, long id) {
        return switch (kind) {
            case EVENT -> new StreamCursor(Math.max(events, id), logs, executions);
            case LOG -> new StreamCursor(events, Math.max(logs, id), executions);
            case EXECUTION -> new StreamCursor(events, logs, Math.max(executions, id));
        };
    }

    public boolean covers(FeedItem item) {
        return item.id() <= of(item.kind());
    }

    public StreamCursor min(StreamCursor o) {
        return new StreamCursor(Math.min(events, o.events), Math.min(logs, o.logs), Math.min(executions, o.executions));
    }

    @Override
    public String toString() {
        return events + "-" + logs + "-" + executions;
    }
}
