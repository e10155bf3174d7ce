package io.mcphub.telemetry.sink.spill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.ApiRequestRecord;
import io.mcphub.telemetry.model.EventRecord;
import io.mcphub.telemetry.model.ExecutionSide;
import io.mcphub.telemetry.model.HubInstanceRecord;
import io.mcphub.telemetry.model.LogLevel;
import io.mcphub.telemetry.model.LogRecord;
import io.mcphub.telemetry.model.MetricRecord;
import io.mcphub.telemetry.model.MetricScope;
import io.mcphub.telemetry.model.OAuthFlowRecord;
import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.OAuthPhase;
import io.mcphub.telemetry.model.Outcome;
import io.mcphub.telemetry.model.PromptRecord;
import io.mcphub.telemetry.model.ResourceRecord;
import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.ServerStatus;
import io.mcphub.telemetry.model.ServerStatusRecord;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.TenantRecord;
import io.mcphub.telemetry.model.Times;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import io.mcphub.telemetry.model.ToolRecord;
import io.mcphub.telemetry.model.Transport;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spill file on its own: frames, segments, slots, a torn tail and a damaged frame. */
class SpillFileTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @TempDir
    Path dir;

    static List<TelemetryRecord> everyType() {
        return List.of(
                new TenantRecord("acme", "Acme Corp"),
                new HubInstanceRecord("acme", "hub-1", "demo-hub", "1.2.3", "host-a", 8080, 4242L, "17.0.15", "0.1.0",
                        T0, T0, null, "{\"region\":\"eu\"}"),
                new ServerRecord("acme", "everything", "hub-1", Transport.STDIO, "node index.js stdio",
                        ServerStatus.CONNECTED, "2.0", "2025-06-18", "{\"tools\":{}}", null, T0),
                new ServerStatusRecord("acme", T0, "everything", "hub-1", ServerStatus.CONNECTED, "initialized"),
                new ToolRecord("acme", "everything", "echo", "Echo", "Echoes input ✓ ünïcödé 🚀", "{\"type\":\"object\"}", T0, false),
                new ResourceRecord("acme", "everything", "test://static/1", "Resource 1", null, "text/plain", T0, true),
                new PromptRecord("acme", "everything", "simple_prompt", "A prompt", "[{\"name\":\"x\"}]", T0, false),
                new ToolExecutionRecord("acme", "hub-1", "everything", "echo", Times.micros(T0, "startedAt"), 1_234,
                        Outcome.TOOL_ERROR, "McpError", "bad input", 17, null, "session-9", "req-3", "{\"a\":1}", null,
                        ExecutionSide.SERVED),
                new EventRecord("acme", T0, "hub-1", "tools.changed", "everything", "{\"added\":[\"echo\"]}"),
                new LogRecord("acme", T0, "hub-1", "everything", LogLevel.WARNING, "server", "careful", "{\"k\":1}"),
                new OAuthFlowRecord("acme", T0, "flow-1", "hub-1", "github", "authorization_code", OAuthPhase.TOKEN,
                        OAuthOutcome.SUCCESS, 250_000L, null),
                new ApiRequestRecord("acme", T0, "hub-1", "POST", "/api/x", 200, 5_321, 120L, null),
                new MetricRecord("acme", T0, "hub-1", MetricScope.JVM, "jvm.heap.used_bytes", 1.5e8));
    }

    @Test
    void everyRecordTypeComesBackEqual() {
        Set<Class<?>> covered = new HashSet<>();
        everyType().forEach(r -> covered.add(r.getClass()));
        assertEquals(Set.of(TelemetryRecord.class.getPermittedSubclasses()), covered, "the sample covers every record type");
        UUID id = UUID.randomUUID();
        SpilledBatch back = SpillCodec.decode(SpillCodec.encode(id, "acme", everyType()));
        assertEquals(id, back.batchId());
        assertEquals("acme", back.tenant());
        assertEquals(everyType(), back.records());
    }

    @Test
    void bytesItDidNotWriteAreRefusedWithAReason() {
        byte[] bytes = SpillCodec.encode(UUID.randomUUID(), "acme", everyType());
        bytes[0] = 9;
        assertTrue(assertThrows(SpillFormatException.class, () -> SpillCodec.decode(bytes)).getMessage().contains("version 9"));
        byte[] cut = Arrays.copyOf(SpillCodec.encode(UUID.randomUUID(), "acme", everyType()), 200);
        assertThrows(SpillFormatException.class, () -> SpillCodec.decode(cut));
    }

    @Test
    void batchesComeBackInOrderAcrossSegmentsAndAProcessRestart() throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (SpillFile spill = SpillFile.open(dir, 4L << 20)) { // 1 MiB segments
            assertFalse(spill.hasBacklog());
            for (int i = 0; i < 30; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                assertTrue(spill.append(id, "acme", bigBatch(i, "{\"text\":\"" + "x".repeat(600) + "\"}")));
            }
            assertTrue(spill.hasBacklog());
            assertEquals(30 * 100, spill.keptRecords());
        }
        try (SpillFile again = SpillFile.open(dir, 4L << 20)) {
            assertEquals(3_000, again.recovered(), "found by the next process");
            assertTrue(again.hasBacklog());
            List<UUID> read = new ArrayList<>();
            int segments = 0;
            for (SpillFile.Segment s; (s = again.next()) != null; segments++) {
                for (SpilledBatch b : SpillFile.readAll(s)) {
                    read.add(b.batchId());
                }
                again.delete(s);
            }
            assertTrue(segments > 1, "several segments: " + segments);
            assertEquals(ids, read, "every batch once, in the order appended");
            assertFalse(again.hasBacklog());
            assertEquals(0, again.keptRecords());
            assertEquals(0, again.keptBytes());
        }
    }

    @Test
    void aTornTailIsToleratedAndADamagedFrameEndsItsSegment() throws Exception {
        try (SpillFile spill = SpillFile.open(dir, 64L << 20)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(spill.append(UUID.randomUUID(), "acme", bigBatch(i)));
            }
        }
        Path segment = onlySegment();
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 5); // a crash in the middle of the last write
        }
        try (SpillFile spill = SpillFile.open(dir, 64L << 20)) {
            assertEquals(200, spill.recovered(), "the two whole frames, not the torn one");
            List<SpilledBatch> read = SpillFile.readAll(spill.next());
            assertEquals(2, read.size());
            assertEquals(0, spill.corruptFrames());
        }
        // flip one payload byte of the second frame: its CRC no longer matches
        long secondFrame;
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(4);
            secondFrame = SpillFile.HEADER_BYTES + f.readInt();
            f.seek(secondFrame + SpillFile.HEADER_BYTES + 40);
            int b = f.read();
            f.seek(secondFrame + SpillFile.HEADER_BYTES + 40);
            f.write(b ^ 0x55);
        }
        try (SpillFile spill = SpillFile.open(dir, 64L << 20)) {
            SpillFile.Segment s = spill.next();
            try (SpillFile.Reader r = s.open()) {
                assertEquals(100, r.next().records().size());
                assertNull(r.next(), "the damaged frame ends the segment");
                assertFalse(r.complete());
            }
            assertEquals(1, spill.corruptFrames());
        }
    }

    @Test
    void aFullSpillRefusesAndSaysSo() {
        try (SpillFile spill = SpillFile.open(dir, 40_000)) {
            int taken = 0;
            while (spill.append(UUID.randomUUID(), "acme", bigBatch(taken))) {
                taken++;
            }
            assertTrue(taken >= 1, "a batch fits");
            assertTrue(spill.keptBytes() <= 40_000, "never past its size: " + spill.keptBytes());
            assertEquals(taken * 100L, spill.keptRecords());
        }
    }

    @Test
    void twoProcessesGetTwoSlots() {
        try (SpillFile first = SpillFile.open(dir, 1L << 20); SpillFile second = SpillFile.open(dir, 1L << 20)) {
            assertNotEquals(first.directory(), second.directory());
            assertEquals(dir.resolve("slot-0"), first.directory());
        }
        try (SpillFile again = SpillFile.open(dir, 1L << 20)) {
            assertEquals(dir.resolve("slot-0"), again.directory(), "a slot is free again once its owner closed");
        }
    }

    private Path onlySegment() throws Exception {
        try (var files = Files.list(dir.resolve("slot-0"))) {
            List<Path> segments = files.filter(p -> p.toString().endsWith(".spill")).toList();
            assertEquals(1, segments.size(), segments.toString());
            return segments.get(0);
        }
    }

    private static List<TelemetryRecord> bigBatch(int n) {
        return bigBatch(n, null);
    }

    private static List<TelemetryRecord> bigBatch(int n, String arguments) {
        List<TelemetryRecord> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            out.add(new ToolExecutionRecord("acme", "hub-1", "srv", "tool-" + (i % 7), Times.micros(T0, "startedAt") + i,
                    i, Outcome.SUCCESS, null, null, 10, 20, "s", "req-" + n + "-" + i, arguments, null, ExecutionSide.DOWNSTREAM));
        }
        return out;
    }
}
