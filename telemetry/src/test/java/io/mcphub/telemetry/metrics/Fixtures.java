package io.mcphub.telemetry.metrics;

import io.mcphub.telemetry.model.MetricScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds fake /proc and /sys/fs/cgroup trees and reads back what the sampler made of them. */
final class Fixtures {

    private Fixtures() {}

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Metrics of one scope by name; fails the test on duplicate names, which would be a sampler bug. */
    static Map<String, Double> byName(List<MetricSample> samples, MetricScope scope) {
        return samples.stream()
                .filter(s -> s.scope() == scope)
                .collect(Collectors.toMap(MetricSample::name, MetricSample::value));
    }
}
