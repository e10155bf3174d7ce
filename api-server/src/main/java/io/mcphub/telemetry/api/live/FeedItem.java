package io.mcphub.telemetry.api.live;

import java.time.Instant;
import java.util.Map;

/** One row for the live stream: an event, a log line or a tool execution, with its JSON body. */
public record FeedItem(Kind kind, long id, Instant at, String server, Map<String, Object> data) {

    public enum Kind {
        EVENT("event", "events"), LOG("log", "logs"), EXECUTION("execution", "executions");

        public final String sseName;
        public final String typeName;

        Kind(String sseName, String typeName) {
            this.sseName = sseName;
            this.typeName = typeName;
        }
    }
}
