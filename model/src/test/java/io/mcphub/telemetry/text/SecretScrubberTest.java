package io.mcphub.telemetry.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.config.TelemetryConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Credentials out of free text: by pattern, and every configured secret wherever it shows up. */
class SecretScrubberTest {

    @Test
    void configuredSecretsAreRemovedWhereverTheyAppear() {
        String mark = "Sekr" + Long.toHexString(System.nanoTime());
        TelemetryConfig.builder(Map.of(
                "MCP_TELEMETRY_JDBC_URL", "jdbc:postgresql://owner:" + mark + "ui%40x@db:5432/t?ssl=true&sslpassword=" + mark
                        + "ssl&password=" + mark + "q",
                "POSTGRES_PASSWORD", mark + "pw", "MCP_HUB_DB_PASSWORD", mark + "app"), new Properties()).build();
        // shapes no pattern foresees: a driver quoting a host it failed to parse, a bare value, a decoded password
        for (String leaky : new String[] {
                "UnknownHostException: owner:" + mark + "ui%40x@db", "password is " + mark + "pw!", "the secret: " + mark + "app",
                "auth failed for " + mark + "ui@x", "keystore password " + mark + "ssl rejected", "q=" + mark + "q"}) {
            String s = SecretScrubber.scrub(leaky);
            assertFalse(s.contains(mark), leaky + " -> " + s);
            assertTrue(s.contains("[REDACTED]"), s);
        }
    }

    @Test
    void aUserInfoPasswordWithAtSignsAndSlashesIsRememberedWhole() {
        String mark = "Sekr" + Long.toHexString(System.nanoTime());
        SecretScrubber.rememberUrl("jdbc:postgresql://owner:" + mark + "a@b/c+d@db:5432/t?ssl=false");
        String s = SecretScrubber.scrub("host owner:" + mark + "a@b/c+d@db unknown");
        assertEquals("host owner:[REDACTED]@db unknown", s);
    }

    @Test
    void passwordsInUrlsAndParametersArePatterns() {
        assertEquals("jdbc:postgresql://[REDACTED]@db/x", SecretScrubber.scrub("jdbc:postgresql://u:p4ss@db/x"));
        assertEquals("db/x?sslpassword=[REDACTED]&user=u", SecretScrubber.scrub("db/x?sslpassword=abc&user=u"));
        assertEquals("password=[REDACTED] and client_secret=[REDACTED]",
                SecretScrubber.scrub("password=hunter2 and client_secret=zzz"));
        assertEquals("npm https://registry.example:443/@scope/pkg",
                SecretScrubber.scrub("npm https://registry.example:443/@scope/pkg"), "a path with '@' is no user-info");
    }

    @Test
    void anExceptionChainIsOneScrubbedLine() {
        Exception e = new IllegalStateException("cannot connect to jdbc:postgresql://u:pw12@db/x",
                new RuntimeException("password=zz9"));
        assertEquals("java.lang.IllegalStateException: cannot connect to jdbc:postgresql://[REDACTED]@db/x; caused by "
                + "java.lang.RuntimeException: password=[REDACTED]", SecretScrubber.describe(e));
    }

    @Test
    void shortOrEmptySecretsAreNotRemembered() {
        SecretScrubber.remember("", "ab", null);
        assertEquals("a cab", SecretScrubber.scrub("a cab"));
    }
}
