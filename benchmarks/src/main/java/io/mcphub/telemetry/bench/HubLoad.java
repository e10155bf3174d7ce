package io.mcphub.telemetry.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load on a hub's REST tool-call endpoint: {@code threads} clients each call
 * {@code POST <hub>/api/servers/<server>/tools/<tool>/call} back to back for {@code seconds} after a
 * warm-up, and it prints calls/s and latency percentiles (from every call's latency, in µs).
 *
 * <p>With {@code cpu=hub:123,tools:456,pg:7+8+9} it also prints the CPU time (user + system, from
 * {@code /proc/<pid>/stat}) that each named group of processes used during the measured seconds, per
 * call: on a machine whose cores are all busy, that is what decides throughput.
 *
 * <p>Usage: {@code HubLoad url=http://127.0.0.1:8080 server=java-tools tool=echo threads=8 seconds=30 warmup=10 label=x}
 */
public final class HubLoad {

    public static void main(String[] args) throws Exception {
        String url = BenchArgs.arg(args, "url", "http://127.0.0.1:8080");
        String server = BenchArgs.arg(args, "server", "java-tools");
        String tool = BenchArgs.arg(args, "tool", "echo");
        String body = BenchArgs.arg(args, "body", "{\"text\":\"ping\"}");
        int threads = Integer.parseInt(BenchArgs.arg(args, "threads", "8"));
        int seconds = Integer.parseInt(BenchArgs.arg(args, "seconds", "30"));
        int warmup = Integer.parseInt(BenchArgs.arg(args, "warmup", "10"));
        String label = BenchArgs.arg(args, "label", "run");
        String cpu = BenchArgs.arg(args, "cpu", "");
        URI target = URI.create(url + "/api/servers/" + server + "/tools/" + tool + "/call");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();

        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong failures = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] lat = new long[500_000];
            int[] n = new int[1];
            perThread.add(lat);
            counts.add(n);
            Thread w = new Thread(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            if (failures.incrementAndGet() == 1) {
                                System.err.println("first failure: " + r.statusCode() + " " + r.body());
                            }
                            continue;
                        }
                    } catch (Exception e) {
                        if (failures.incrementAndGet() == 1) {
                            System.err.println("first failure: " + e);
                        }
                        continue;
                    }
                    long took = System.nanoTime() - t0;
                    if (measuring.get() && n[0] < lat.length) {
                        lat[n[0]++] = took;
                    }
                }
            }, "load-" + t);
            w.start();
            workers.add(w);
        }
        Thread.sleep(warmup * 1000L);
        measuring.set(true);
        long[] cpuBefore = cpuTicks(cpu);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] cpuAfter = cpuTicks(cpu);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(perThread.get(t), 0, all, at, counts.get(t)[0]);
            at += counts.get(t)[0];
        }
        Arrays.sort(all);
        StringBuilder cpuPerCall = new StringBuilder();
        String[] groups = cpu.isEmpty() ? new String[0] : cpu.split(",");
        for (int g = 0; g < groups.length; g++) {
            // clock ticks are 10 ms (USER_HZ 100 on Linux)
            cpuPerCall.append(String.format(Locale.ROOT, ",%s_cpu_us_per_call=%.0f", groups[g].split(":")[0],
                    total == 0 ? 0.0 : (cpuAfter[g] - cpuBefore[g]) * 10_000.0 / total));
        }
        System.out.printf(Locale.ROOT, "%s,threads=%d,calls=%d,calls_per_s=%.1f,p50_us=%d,p95_us=%d,p99_us=%d,max_us=%d,failures=%d%s,loadavg=%s%n",
                label, threads, total, total / elapsed, pct(all, 0.50), pct(all, 0.95), pct(all, 0.99),
                total == 0 ? 0 : all[total - 1] / 1000, failures.get(), cpuPerCall, BenchArgs.loadAverage());
    }

    /** Per group of {@code name:pid+pid+...}, the processes' user + system clock ticks (exited ones count 0). */
    private static long[] cpuTicks(String spec) {
        if (spec.isEmpty()) {
            return new long[0];
        }
        String[] groups = spec.split(",");
        long[] ticks = new long[groups.length];
        for (int g = 0; g < groups.length; g++) {
            for (String pid : groups[g].substring(groups[g].indexOf(':') + 1).split("\\+")) {
                ticks[g] += BenchArgs.procTicks(Integer.parseInt(pid.strip()));
            }
        }
        return ticks;
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000;
    }

    private HubLoad() {
    }
}
