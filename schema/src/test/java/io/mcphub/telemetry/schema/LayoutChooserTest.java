package io.mcphub.telemetry.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.model.StorageLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every branch of the layout decision, from what a server offers; the real servers are in SchemaLayoutsTest. */
class LayoutChooserTest {

    private static final LayoutChooser.Offer PLAIN_SERVER = new LayoutChooser.Offer(false, 0, false, false, false);
    private static final LayoutChooser.Offer TIMESCALE_SERVER = new LayoutChooser.Offer(false, 0, true, false, true);
    private static final LayoutChooser.Offer TIMESCALE_NOT_PRELOADED = new LayoutChooser.Offer(false, 0, true, false, false);
    private static final LayoutChooser.Offer CITUS_CLUSTER = new LayoutChooser.Offer(true, 2, false, false, false);
    private static final LayoutChooser.Offer CITUS_WITHOUT_WORKERS = new LayoutChooser.Offer(true, 0, false, false, false);

    @Test
    void autoPrefersCitusWithWorkersThenPreloadedTimescaleThenPlain() {
        LayoutChooser auto = new LayoutChooser(null, true);
        assertEquals(StorageLayout.CITUS, auto.decide(CITUS_CLUSTER));
        assertEquals(StorageLayout.PLAIN, auto.decide(CITUS_WITHOUT_WORKERS));
        assertEquals(StorageLayout.TIMESCALE, auto.decide(TIMESCALE_SERVER));
        assertEquals(StorageLayout.PLAIN, auto.decide(PLAIN_SERVER));
        assertEquals(StorageLayout.PLAIN, new LayoutChooser(null, false).decide(TIMESCALE_SERVER), "TIMESCALEDB_ENABLED=false");
    }

    @Test
    void installedButNotPreloadedTimescaleFallsBackToPlainWithAWarningThatSaysHowToFixIt() {
        String log = stderrOf(() -> new LayoutChooser(null, true).decide(TIMESCALE_NOT_PRELOADED), StorageLayout.PLAIN);
        assertTrue(log.contains("WARN") && log.contains("not preloaded")
                && log.contains("shared_preload_libraries = 'timescaledb'"), log);
    }

    @Test
    void aConfiguredLayoutTheServerCannotGiveIsRefusedWithTheReason() {
        MigrationException ts = assertThrows(MigrationException.class,
                () -> new LayoutChooser(StorageLayout.TIMESCALE, true).decide(TIMESCALE_NOT_PRELOADED));
        assertTrue(ts.getMessage().contains("storage.layout=timescale") && ts.getMessage().contains("shared_preload_libraries"),
                ts.getMessage());
        MigrationException noTs = assertThrows(MigrationException.class,
                () -> new LayoutChooser(StorageLayout.TIMESCALE, true).decide(PLAIN_SERVER));
        assertTrue(noTs.getMessage().contains("not installed"), noTs.getMessage());
        MigrationException citus = assertThrows(MigrationException.class,
                () -> new LayoutChooser(StorageLayout.CITUS, true).decide(CITUS_WITHOUT_WORKERS));
        assertTrue(citus.getMessage().contains("citus_add_node"), citus.getMessage());
        MigrationException noCitus = assertThrows(MigrationException.class,
                () -> new LayoutChooser(StorageLayout.CITUS, true).decide(PLAIN_SERVER));
        assertTrue(noCitus.getMessage().contains("CREATE EXTENSION citus"), noCitus.getMessage());
        assertEquals(StorageLayout.PLAIN, new LayoutChooser(StorageLayout.PLAIN, true).decide(CITUS_CLUSTER),
                "plain configured on a Citus coordinator: local tables");
    }

    private static String stderrOf(Supplier<StorageLayout> decision, StorageLayout expected) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expected, decision.get());
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
