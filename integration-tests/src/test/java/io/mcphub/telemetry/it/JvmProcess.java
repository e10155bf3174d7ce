package io.mcphub.telemetry.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A child process whose output goes to a log file and announces "listening on http://host:port". */
final class JvmProcess implements AutoCloseable {

    static final Path AGENT_JAR = Path.of(System.getProperty("it.agentJar", "../agent/target/mcp-telemetry-agent.jar"));
    static final Path HUB_JAR = Path.of(System.getProperty("it.hubJar", "../demo-hub/target/demo-hub.jar"));
    static final Path API_SERVER_JAR = Path.of(System.getProperty("it.apiServerJar", "../api-server/target/api-server.jar"));
    static final Path MCP_SERVERS = Path.of(System.getProperty("it.mcpServers", "../demo-hub/mcp-servers"));
    static final Path LOG_DIR = Path.of(System.getProperty("it.logDir", "target/it-logs"));
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:\\s]+:(\\d+)");

    final Process process;
    final int port;
    final Path log;
    final List<String> output;
    private final Thread reader;

    private JvmProcess(Process process, int port, Path log, List<String> output, Thread reader) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.output = output;
        this.reader = reader;
    }

    /**
     * Waits until the process has exited and its output has been read to the end (the reader thread drains the
     * pipe on its own, so the last lines can still be on their way when the process is gone); its exit code.
     */
    int awaitExit(int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError(log.getFileName() + " did not exit within " + timeoutSeconds + " s:\n"
                    + String.join("\n", output));
        }
        reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (reader.isAlive()) {
            throw new AssertionError(log.getFileName() + " exited but its output did not end within "
                    + timeoutSeconds + " s");
        }
        return process.exitValue();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static JvmProcess start(String name, List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        Files.createDirectories(LOG_DIR);
        Path log = LOG_DIR.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 Writer w = Files.newBufferedWriter(log)) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    w.write(line + System.lineSeparator());
                    w.flush();
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ready.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException(name + " exited before listening; see " + log));
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new JvmProcess(p, ready.get(timeoutSeconds, TimeUnit.SECONDS), log, output, reader);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not start within " + timeoutSeconds + " s; log " + log
                    + ":\n" + String.join("\n", output), e);
        }
    }

    /** The Java SDK tool server (a real MCP server over streamable HTTP). */
    static JvmProcess javaToolServer(String name, String... extraArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", HUB_JAR.toString(),
                "io.mcphub.demohub.sample.JavaToolServer", "--port", "0"));
        cmd.addAll(List.of(extraArgs));
        return start(name, cmd, Map.of(), 60);
    }

    /** The demo hub, with the agent attached when {@code agentArgs} is not null. */
    static JvmProcess hub(String name, Path config, String agentArgs) throws IOException, InterruptedException {
        return hub(name, config, agentArgs, List.of(), Map.of());
    }

    /** The demo hub with more JVM options ({@code -D...}) and environment variables. */
    static JvmProcess hub(String name, Path config, String agentArgs, List<String> jvmOptions, Map<String, String> env)
            throws IOException, InterruptedException {
        return hub(name, config, AGENT_JAR, agentArgs, jvmOptions, env);
    }

    /** The demo hub with the agent jar at {@code agentJar} (a copy elsewhere, with or without what is beside it). */
    static JvmProcess hub(String name, Path config, Path agentJar, String agentArgs, List<String> jvmOptions,
                          Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m"));
        cmd.addAll(jvmOptions);
        if (agentArgs != null) {
            cmd.add("-javaagent:" + agentJar.toAbsolutePath() + "=" + agentArgs);
        }
        cmd.addAll(List.of("-jar", HUB_JAR.toString(), "--config", config.toString(), "--port", "0"));
        return start(name, cmd, env, 90);
    }

    /** What a command that runs to its end printed (stdout and stderr), and its exit code. */
    record Finished(int exitCode, List<String> output) {
    }

    static Finished run(List<String> command, Map<String, String> env, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                return r.lines().toList();
            } catch (IOException e) {
                return List.of("(output unreadable: " + e + ")");
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not end within " + timeoutSeconds + " s");
        }
        try {
            return new Finished(p.exitValue(), lines.get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
