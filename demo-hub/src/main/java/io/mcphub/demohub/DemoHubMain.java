package io.mcphub.demohub;

import java.nio.file.Path;

/**
 * {@code java -jar demo-hub.jar --config <file> [--port 8080] [--host 127.0.0.1]}
 * <p>
 * Prints {@code demo-hub listening on http://<host>:<port>} to stdout once ready (port 0 = ephemeral).
 */
public final class DemoHubMain {

    private DemoHubMain() {
    }

    public static void main(String[] args) throws Exception {
        String config = null;
        int port = 8080;
        String host = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--config":
                case "-c":
                    config = value(args, ++i, a);
                    break;
                case "--port":
                case "-p":
                    port = parsePort(value(args, ++i, a));
                    break;
                case "--host":
                    host = value(args, ++i, a);
                    break;
                case "--help":
                case "-h":
                    usage(null);
                    return;
                default:
                    if (a.startsWith("--config=")) {
                        config = a.substring("--config=".length());
                    }
                    else if (a.startsWith("--port=")) {
                        port = parsePort(a.substring("--port=".length()));
                    }
                    else if (a.startsWith("--host=")) {
                        host = a.substring("--host=".length());
                    }
                    else {
                        usage("Unknown argument: " + a);
                    }
            }
        }
        if (config == null) {
            usage("Missing --config <file>");
        }
        HubConfig hubConfig;
        try {
            hubConfig = HubConfig.load(Path.of(config));
        }
        catch (HubConfig.ConfigException e) {
            System.err.println("demo-hub: " + e.getMessage());
            System.exit(2);
            return;
        }
        DemoHub hub = DemoHub.start(hubConfig, host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "demo-hub-shutdown"));
        System.out.println("demo-hub listening on http://" + host + ":" + hub.port());
        System.out.flush();
        hub.join();
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage("Missing value for " + option);
        }
        return args[i];
    }

    static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        }
        catch (NumberFormatException e) {
            usage("Invalid port: " + s);
            return -1;
        }
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("demo-hub: " + problem);
        }
        System.err.println("Usage: java -jar demo-hub.jar --config <mcpServers.json> [--port 8080] [--host 127.0.0.1]");
        if (problem != null) {
            System.exit(2);
        }
    }
}
