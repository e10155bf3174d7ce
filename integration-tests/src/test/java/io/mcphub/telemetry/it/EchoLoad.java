package io.mcphub.telemetry.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tool-call load through the hub's REST API: each call is an {@code echo} with a unique tag, so what the
 * database holds can be compared with what was sent, and each call's client-observed latency is kept
 * under the current phase's name.
 */
final class EchoLoad implements AutoCloseable {

    private final String url;
    private final String prefix;
    private final long pauseMillis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile boolean running = true;
    private volatile String phase = "warmup";
    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final Map<String, String> failures = new ConcurrentHashMap<>();

    /** {@code threads} callers, each pausing {@code pauseMillis} between its calls. */
    EchoLoad(String hubUrl, String server, String prefix, int threads, long pauseMillis) {
        this.url = hubUrl + "/api/servers/" + server + "/tools/echo/call";
        this.prefix = prefix;
        this.pauseMillis = pauseMillis;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::run, "echo-load-" + i);
            t.setDaemon(true);
            this.threads.add(t);
        }
    }

    EchoLoad start() {
        threads.forEach(Thread::start);
        return this;
    }

    void phase(String name) {
        phase = name;
    }

    private void run() {
        while (running) {
            String tag = prefix + "-" + seq.incrementAndGet();
            String p = phase;
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + tag + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - t0;
                if (r.statusCode() == 200 && r.body().contains(tag)) {
                    accepted.add(tag);
                    latencies.computeIfAbsent(p, k -> Collections.synchronizedList(new ArrayList<>())).add(took);
                } else {
                    failures.put(tag, r.statusCode() + " " + r.body());
                }
            } catch (Exception e) {
                failures.put(tag, e.toString());
            }
            if (pauseMillis > 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Milliseconds at the given quantile (0..1) of the phase's latencies. */
    double quantileMs(String phaseName, double q) {
        List<Long> l = new ArrayList<>(latencies.getOrDefault(phaseName, List.of()));
        if (l.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(l);
        return l.get((int) Math.min(l.size() - 1, Math.floor(q * l.size()))) / 1e6;
    }

    int calls(String phaseName) {
        return latencies.getOrDefault(phaseName, List.of()).size();
    }

    /** One line per phase: calls, p50, p99, max. */
    Map<String, String> summary(String... phases) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : phases) {
            out.put(p, String.format("%d calls, p50 %.1f ms, p99 %.1f ms, max %.1f ms", calls(p), quantileMs(p, 0.5),
                    quantileMs(p, 0.99), quantileMs(p, 1.0)));
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(35_000);
        }
    }
}
