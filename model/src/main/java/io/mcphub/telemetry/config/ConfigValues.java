package io.mcphub.telemetry.config;

import io.mcphub.telemetry.model.StorageLayout;
import io.mcphub.telemetry.text.SecretScrubber;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every setting's resolved value and where it came from, before anything is parsed, and the rules the
 * values must meet. All rules are checked, so that {@code config} can list every problem at once;
 * {@link TelemetryConfig} refuses to exist with the first.
 */
final class ConfigValues {

    /** A host name, an IPv4 address or a bracketed IPv6 address, as in a {@code Host} header without its port. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]");

    private final Map<ConfigOption, String> values;
    private final Map<ConfigOption, String> origins;

    ConfigValues(Map<ConfigOption, String> values, Map<ConfigOption, String> origins) {
        this.values = values;
        this.origins = origins;
        // remembered before anything can fail or log: a message quoting a password is scrubbed from now on
        SecretScrubber.remember(get(ConfigOption.POSTGRES_PASSWORD), get(ConfigOption.APP_PASSWORD));
        SecretScrubber.rememberUrl(get(ConfigOption.JDBC_URL));
    }

    String get(ConfigOption option) {
        return values.get(option);
    }

    boolean isSet(ConfigOption option) {
        return values.get(option) != null && !values.get(option).isEmpty();
    }

    /** Where the value came from ({@code environment variable POSTGRES_PORT}, ...), or null for the default. */
    String origin(ConfigOption option) {
        return origins.get(option);
    }

    int intValue(ConfigOption option) {
        return Integer.parseInt(get(option).strip());
    }

    boolean parseBoolean(ConfigOption option) {
        switch (get(option).strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw invalid(option, "must be true or false");
        }
    }

    /** Every broken rule, in the order of the settings; a rule stops at its first problem. */
    List<ConfigException> problems() {
        List<ConfigException> problems = new ArrayList<>();
        for (Runnable rule : rules()) {
            try {
                rule.run();
            } catch (ConfigException e) {
                problems.add(e);
            }
        }
        return problems;
    }

    private List<Runnable> rules() {
        return List.of(
                () -> {
                    if (!TelemetryConfig.TENANT.matcher(String.valueOf(get(ConfigOption.TENANT))).matches()) {
                        throw invalid(ConfigOption.TENANT, "must be 1-58 characters of letters, digits, '.', '_', ':', '-'");
                    }
                },
                () -> {
                    if (isSet(ConfigOption.POSTGRES_HOST) && get(ConfigOption.POSTGRES_HOST).matches(".*[\\s/?#].*")) {
                        throw invalid(ConfigOption.POSTGRES_HOST, "must be a host name or address");
                    }
                },
                () -> range(ConfigOption.POSTGRES_PORT, 1, 65_535),
                () -> {
                    if (isSet(ConfigOption.JDBC_URL) && !get(ConfigOption.JDBC_URL).startsWith("jdbc:postgresql:")) {
                        throw invalid(ConfigOption.JDBC_URL, "must start with jdbc:postgresql:");
                    }
                },
                () -> parseBoolean(ConfigOption.TIMESCALEDB),
                () -> {
                    String layout = get(ConfigOption.STORAGE_LAYOUT).strip().toLowerCase(Locale.ROOT);
                    if (!layout.equals("auto") && Arrays.stream(StorageLayout.values()).noneMatch(l -> l.sqlName().equals(layout))) {
                        throw invalid(ConfigOption.STORAGE_LAYOUT, "must be auto, plain, timescale or citus");
                    }
                },
                () -> {
                    if (!get(ConfigOption.EMBEDDED).toLowerCase(Locale.ROOT).equals("auto")) {
                        parseBoolean(ConfigOption.EMBEDDED);
                    }
                },
                () -> range(ConfigOption.EMBEDDED_PORT, 0, 65_535),
                () -> {
                    // only the form: whether the file is there is told when the embedded database is needed,
                    // so that a missing file leaves the hub running with its records kept
                    if (isSet(ConfigOption.EMBEDDED_BINARIES)) {
                        try {
                            Path.of(get(ConfigOption.EMBEDDED_BINARIES).strip());
                        } catch (InvalidPathException e) {
                            throw invalid(ConfigOption.EMBEDDED_BINARIES, "must be a file or directory path: " + e.getReason());
                        }
                    }
                },
                () -> {
                    range(ConfigOption.RING_SIZE, 64, 1 << 24);
                    if (Integer.bitCount(intValue(ConfigOption.RING_SIZE)) != 1) {
                        throw invalid(ConfigOption.RING_SIZE, "must be a power of two (e.g. 16384, 65536)");
                    }
                },
                () -> range(ConfigOption.BATCH_SIZE, 1, 100_000),
                () -> range(ConfigOption.FLUSH_INTERVAL_MS, 1, 60_000),
                () -> range(ConfigOption.POOL_SIZE, 1, 64),
                () -> range(ConfigOption.RETENTION_DAYS, 1, 36_500),
                () -> range(ConfigOption.SHUTDOWN_TIMEOUT_MS, 0, 600_000),
                () -> range(ConfigOption.SPILL_MAX_MB, 0, 1 << 20),
                () -> {
                    range(ConfigOption.METRICS_INTERVAL_MS, 0, TelemetryConfig.MAX_METRICS_INTERVAL_MS);
                    long metricsMs = Long.parseLong(get(ConfigOption.METRICS_INTERVAL_MS).strip());
                    if (metricsMs != 0 && metricsMs < TelemetryConfig.MIN_METRICS_INTERVAL_MS) {
                        // each sample is ~60 rows; at 1 ms that was 114,323 rows in 5 s and three times the hub's CPU
                        throw invalid(ConfigOption.METRICS_INTERVAL_MS, "must be 0 (no sampling) or between "
                                + TelemetryConfig.MIN_METRICS_INTERVAL_MS + " and " + TelemetryConfig.MAX_METRICS_INTERVAL_MS
                                + " ms: sampling more often than once a second costs the hub CPU and fills infra_metrics");
                    }
                },
                () -> parseBoolean(ConfigOption.CAPTURE_PAYLOADS),
                () -> range(ConfigOption.MAX_PAYLOAD_CHARS, 16, 16 * 1024 * 1024),
                () -> range(ConfigOption.MAX_TEXT_CHARS, 16, 16 * 1024 * 1024),
                () -> range(ConfigOption.MCP_CLIENT_REQUEST_TIMEOUT_MS, 1, 86_400_000),
                () -> range(ConfigOption.MCP_CLIENT_TIMEOUT_GRACE_MS, 0, 600_000),
                () -> {
                    String endpoint = get(ConfigOption.OTLP_ENDPOINT);
                    if (endpoint != null && !endpoint.isBlank() && TelemetryConfig.otlpUri(endpoint) == null) {
                        throw invalid(ConfigOption.OTLP_ENDPOINT, "must be an http or https URL without query, e.g. "
                                + "http://127.0.0.1:4318");
                    }
                },
                () -> range(ConfigOption.OTLP_INTERVAL_MS, 100, 600_000),
                () -> range(ConfigOption.OTLP_TIMEOUT_MS, 100, 600_000),
                () -> parseBoolean(ConfigOption.API_ENABLED),
                () -> range(ConfigOption.API_PORT, 0, 65_535),
                () -> {
                    if (get(ConfigOption.API_BIND).isBlank() || get(ConfigOption.API_BIND).matches(".*[\\s/?#].*")) {
                        throw invalid(ConfigOption.API_BIND, "must be a host name or address, e.g. 127.0.0.1 or 0.0.0.0");
                    }
                },
                () -> {
                    String apiAuth = get(ConfigOption.API_AUTH).strip().toLowerCase(Locale.ROOT);
                    if (!apiAuth.equals("local") && !apiAuth.equals("token")) {
                        throw invalid(ConfigOption.API_AUTH, "must be local or token");
                    }
                },
                () -> {
                    for (String host : get(ConfigOption.API_ALLOWED_HOSTS).split(",")) {
                        if (!host.isBlank() && !HOST_NAME.matcher(host.strip()).matches()) {
                            throw invalid(ConfigOption.API_ALLOWED_HOSTS, "must be host names or addresses without scheme "
                                    + "or port, comma-separated, e.g. hub.local,10.0.0.5,[fd00::5]");
                        }
                    }
                },
                () -> range(ConfigOption.API_READ_TIMEOUT_MS, 100, 600_000),
                () -> range(ConfigOption.API_QUERY_TIMEOUT_MS, 100, 3_600_000),
                () -> range(ConfigOption.API_DIGEST_CACHE_MB, 0, 4_096),
                () -> {
                    try {
                        ServerNameRules.parse(get(ConfigOption.SERVER_NAMES));
                    } catch (IllegalArgumentException e) {
                        throw invalid(ConfigOption.SERVER_NAMES, e.getMessage());
                    }
                });
    }

    private void range(ConfigOption option, long min, long max) {
        long value;
        try {
            value = Long.parseLong(get(option).strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw invalid(option, "must be a whole number between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw invalid(option, "must be between " + min + " and " + max);
        }
    }

    ConfigException invalid(ConfigOption option, String rule) {
        String shown = option.secret() ? "***" : "'" + get(option) + "'";
        return new ConfigException("invalid telemetry setting " + name(option) + " = " + shown + ": " + rule, option);
    }

    private String name(ConfigOption option) {
        String origin = origins.get(option);
        return origin == null ? option.property() + " / " + option.env() : origin;
    }
}
