package io.mcphub.telemetry.otlp;

import io.mcphub.telemetry.model.ServerRecord;
import io.mcphub.telemetry.model.TelemetryRecord;
import io.mcphub.telemetry.model.ToolExecutionRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends tool executions over OTLP/HTTP (protobuf) to {@code <endpoint>/v1/traces} and {@code /v1/metrics}.
 * Fed by the sink's thread with each execution it takes ({@link #accept}: a non-blocking offer into a
 * bounded queue; a full queue drops, counted); one daemon thread of its own batches and POSTs, each
 * request bounded by a timeout, and whatever a slow or absent endpoint cannot take is dropped and
 * counted, never retried into the hub's memory. {@link #close} gives the last batch a bounded time.
 */
public final class OtlpExporter implements Consumer<TelemetryRecord>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpExporter.class);
    static final int QUEUE_CAPACITY = 8192;
    static final int MAX_BATCH = 512;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final URI traces;
    private final URI metrics;
    private final OtlpEncoder encoder;
    private final Duration interval;
    private final Duration timeout;
    private final HttpClient http;
    private final ArrayBlockingQueue<ToolExecutionRecord> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean failureLogged;

    public OtlpExporter(URI endpoint, String serviceName, String instanceId, String tenant, String version,
                        Duration interval, Duration timeout) {
        String base = endpoint.toString().replaceAll("/+$", "");
        this.traces = URI.create(base + "/v1/traces");
        this.metrics = URI.create(base + "/v1/metrics");
        this.encoder = new OtlpEncoder(serviceName, instanceId, tenant, version);
        this.interval = interval;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.thread = new Thread(this::run, "mcp-telemetry-otlp");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues an execution for export, or notes how a server is reached (for its executions' attributes);
     * never blocks (the sink's thread calls it).
     */
    @Override
    public void accept(TelemetryRecord record) {
        if (record instanceof ServerRecord server) {
            encoder.server(server);
        } else if (record instanceof ToolExecutionRecord execution && (closing || !queue.offer(execution))) {
            dropped.incrementAndGet();
        }
    }

    /** Executions sent and accepted by the endpoint. */
    public long exported() {
        return exported.get();
    }

    /** Executions not sent: the queue was full, the endpoint refused or did not answer in time, or the exporter closed. */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        List<ToolExecutionRecord> batch = new ArrayList<>(MAX_BATCH);
        long windowStart = System.currentTimeMillis() * 1_000_000L;
        long nextSend = System.nanoTime() + interval.toNanos();
        while (true) {
            try {
                long wait = nextSend - System.nanoTime();
                ToolExecutionRecord e = wait > 0 && !closing ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                if (e != null) {
                    batch.add(e);
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                }
                boolean due = System.nanoTime() - nextSend >= 0 || closing;
                if (batch.size() >= MAX_BATCH || (due && !batch.isEmpty())) {
                    long windowEnd = System.currentTimeMillis() * 1_000_000L;
                    send(batch, windowStart, windowEnd);
                    batch.clear();
                    windowStart = windowEnd;
                }
                if (due) {
                    nextSend = System.nanoTime() + interval.toNanos();
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                }
            } catch (InterruptedException ie) {
                dropped.addAndGet(batch.size() + queue.size());
                queue.clear();
                return;
            } catch (RuntimeException re) {
                dropped.addAndGet(batch.size());
                batch.clear();
                logFailure(re.toString());
            }
        }
    }

    private void send(List<ToolExecutionRecord> batch, long windowStart, long windowEnd) throws InterruptedException {
        boolean spans = post(traces, encoder.traces(batch));
        boolean points = post(metrics, encoder.metrics(batch, windowStart, windowEnd));
        if (spans && points) {
            exported.addAndGet(batch.size());
        } else {
            dropped.addAndGet(batch.size());
        }
    }

    private boolean post(URI uri, byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return true;
            }
            logFailure(uri + " answered " + response.statusCode());
        } catch (java.io.IOException e) {
            logFailure(uri + ": " + e);
        }
        return false;
    }

    /** Once: an endpoint that is down would otherwise log every few seconds; the drops are counted. */
    private void logFailure(String what) {
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("OTLP export failed ({}); what cannot be sent is dropped and counted "
                    + "(telemetry.otlp.dropped), this is not logged again", what);
        }
    }

    /** Sends what is queued within a bounded time; whatever is left then is dropped. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(CLOSE_WAIT.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
