package io.mcphub.telemetry.agent.embedded;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;

/**
 * For this module's tests, which run the agent from its classes (nothing beside them): zonky's jar of
 * this machine's PostgreSQL build, on the test class path, to name in {@code embedded.binaries}.
 */
public final class TestBinaries {

    private TestBinaries() {
    }

    public static Path jar() {
        for (String archive : Platform.current().archives()) {
            URL url = TestBinaries.class.getClassLoader().getResource(archive);
            if (url != null && "jar".equals(url.getProtocol())) {
                String s = url.toString();
                return Path.of(URI.create(s.substring(4, s.indexOf("!/"))));
            }
        }
        throw new IllegalStateException("no zonky PostgreSQL binaries for " + Platform.current().description()
                + " on the test class path (looked for " + Platform.current().archives() + ")");
    }
}
