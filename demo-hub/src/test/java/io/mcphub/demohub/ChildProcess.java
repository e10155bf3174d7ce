package io.mcphub.demohub;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM child process started from the test class path, whose stdout announces its port. */
final class ChildProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    final Process process;
    final int port;
    final List<String> stdout = new ArrayList<>();

    private ChildProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts {@code node <script> <mode>} in {@code dir} with {@code PORT=port} and waits for {@code readyText}
     * on its output (server-everything logs to stderr).
     */
    static ChildProcess startNode(Path dir, List<String> args, int port, String readyText, Path log,
            int timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PORT", Integer.toString(port));
        Process p = pb.start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    java.io.Writer w = java.nio.file.Files.newBufferedWriter(log)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.write(line + System.lineSeparator());
                    w.flush();
                    if (line.contains(readyText)) {
                        ready.complete(port);
                    }
                }
            }
            catch (IOException ignored) {
                // process ended
            }
            ready.completeExceptionally(new IllegalStateException("node ended before ready"));
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(timeoutSeconds, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("node " + args + " did not start; see " + log, e);
        }
        return new ChildProcess(p, port);
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code mainClass args} and waits (up to timeoutSeconds) for the "listening on" line. */
    static ChildProcess startJava(String mainClass, List<String> args, Path stderrLog, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.to(stderrLog.toFile()));
        Process p = pb.start();
        CompletableFuture<Integer> portFuture = new CompletableFuture<>();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        portFuture.complete(Integer.parseInt(m.group(1)));
                    }
                }
            }
            catch (IOException ignored) {
                // process ended
            }
            portFuture.completeExceptionally(new IllegalStateException("process ended before listening: " + lines));
        }, mainClass + "-stdout");
        reader.setDaemon(true);
        reader.start();
        int port;
        try {
            port = portFuture.get(timeoutSeconds, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException(mainClass + " did not start; see " + stderrLog, e);
        }
        ChildProcess child = new ChildProcess(p, port);
        synchronized (lines) {
            child.stdout.addAll(lines);
        }
        return child;
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: runs the shutdown hooks
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
