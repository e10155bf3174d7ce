package io.mcphub.telemetry.api;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A minimal EventSource for tests: parses the stream into messages (and counts heartbeat comments). */
final class SseReader implements AutoCloseable {
    record Message(String id, String event, String data) {
    }

    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final List<String> comments = java.util.Collections.synchronizedList(new ArrayList<>());
    final int status;
    volatile String lastId;
    private final InputStream body;
    private final Thread reader;

    SseReader(String url, String token, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        status = r.statusCode();
        body = r.body();
        reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (id != null) {
                        lastId = id; // what a browser's EventSource sends as Last-Event-ID
                    }
                    if (event != null || data.length() > 0) {
                        messages.add(new Message(id, event == null ? "message" : event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (Exception e) {
            // closed
        }
    }

    private final List<Message> unmatched = new ArrayList<>();

    /** The first message (in stream order) matching {@code p}; messages passed over stay for later calls. */
    Message await(Predicate<Message> p, Duration timeout) throws InterruptedException {
        for (int i = 0; i < unmatched.size(); i++) {
            if (p.test(unmatched.get(i))) {
                return unmatched.remove(i);
            }
        }
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Message m = messages.poll(100, TimeUnit.MILLISECONDS);
            if (m != null) {
                if (p.test(m)) {
                    return m;
                }
                unmatched.add(m);
            }
        }
        throw new AssertionError("no matching SSE message within " + timeout);
    }

    @Override
    public void close() throws Exception {
        body.close();
    }
}
