package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.sink.PostgresTelemetrySink;
import io.mcphub.telemetry.schema.DatabaseTarget;
import io.mcphub.telemetry.sink.SinkSettings;
import io.mcphub.telemetry.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A throw-away database filled through the real sink (PostgresTelemetrySink: ring, COPY, rollups) and
 * an API server on an ephemeral port reading it.
 */
final class ApiFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final TestDatabase db;
    final PostgresTelemetrySink sink;
    final ApiServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiFixture(TestDatabase db, PostgresTelemetrySink sink, ApiServer server) {
        this.db = db;
        this.sink = sink;
        this.server = server;
    }

    static ApiFixture start(ApiSettings settings) throws IOException {
        return start(settings, StorageLayout.PLAIN);
    }

    /** On the real server of {@code layout} (see TestDatabase). */
    static ApiFixture start(ApiSettings settings, StorageLayout layout) throws IOException {
        return start(settings, layout, UnaryOperator.identity());
    }

    /** The API server reaches the database as {@code apiTarget} makes it (through a proxy, say); the sink directly. */
    static ApiFixture start(ApiSettings settings, StorageLayout layout, UnaryOperator<DatabaseTarget> apiTarget)
            throws IOException {
        return start(settings, layout, apiTarget, Duration.ofMillis(200));
    }

    /** With the sink compacting its rollups every {@code compactInterval} (a test that compacts by itself: hours). */
    static ApiFixture start(ApiSettings settings, StorageLayout layout, UnaryOperator<DatabaseTarget> apiTarget,
                            Duration compactInterval) throws IOException {
        TestDatabase db = TestDatabase.create(layout);
        PostgresTelemetrySink sink = PostgresTelemetrySink.start(SinkSettings.builder()
                .layout(layout)
                .flushInterval(Duration.ofMillis(20))
                .statsInterval(Duration.ofHours(1))
                .compactInterval(compactInterval)
                .tenant("sink-self")
                .build(), target(db));
        ApiServer server = ApiServer.start(settings, apiTarget.apply(target(db)));
        return new ApiFixture(db, sink, server);
    }

    static ApiSettings localSettings(String tenant) {
        return ApiSettings.defaults("127.0.0.1", 0, ApiSettings.AuthMode.LOCAL, tenant)
                .withTiming(Duration.ofMillis(100), Duration.ofMillis(500))
                .withCacheTtl(Duration.ZERO);
    }

    static DatabaseTarget target(TestDatabase db) {
        return new DatabaseTarget(db.jdbcUrl(), db.adminUser(), db.adminPassword(), null);
    }

    /** Both tenants of {@link SampleFleet}, so every test can check one tenant against the other. */
    void publishSampleFleet() {
        publish(SampleFleet.acme().toArray(TelemetryRecord[]::new));
        publish(SampleFleet.globex().toArray(TelemetryRecord[]::new));
    }

    void publish(TelemetryRecord... records) {
        for (TelemetryRecord r : records) {
            assertTrue(sink.publish(r), "queued: " + r);
        }
        assertTrue(sink.flush(Duration.ofSeconds(30)), "flushed");
    }

    String token(String tenant) throws Exception {
        try (Connection c = db.connect()) {
            return TokenStore.create(c, tenant, "test", null);
        }
    }

    HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String pathAndQuery) throws Exception {
        return json(pathAndQuery, null);
    }

    JsonNode json(String pathAndQuery, String token) throws Exception {
        HttpResponse<String> r = get(pathAndQuery, token);
        assertEquals(200, r.statusCode(), () -> pathAndQuery + " -> " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        server.close();
        sink.close();
        db.close();
    }
}
