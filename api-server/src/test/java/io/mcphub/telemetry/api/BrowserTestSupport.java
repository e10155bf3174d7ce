package io.mcphub.telemetry.api;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build installed the test-only npm tools (playwright-core, the Prometheus parser). */
final class BrowserTestSupport {
    private BrowserTestSupport() {
    }

    static Path nodeModulesDir() {
        Path dir = Path.of("browser-test").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("npm packages missing in " + dir + ": the Maven build installs them (npm ci)");
        }
        return dir;
    }
}
