package io.mcphub.telemetry.sink.spill;

import io.mcphub.telemetry.model.TelemetryRecord;
import java.util.List;
import java.util.UUID;

/** A batch as it was spilled: its id (so that replaying it twice stores it once), tenant and records. */
public record SpilledBatch(UUID batchId, String tenant, List<TelemetryRecord> records) {
    public SpilledBatch {
        records = List.copyOf(records);
    }
}
