package io.mcphub.telemetry.it;

import java.security.MessageDigest;
import java.util.HexFormat;

/** A JVM application without any MCP SDK on its class path: the agent must leave it exactly as it is. */
public final class PlainApp {
    private PlainApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("plain-app listening on http://127.0.0.1:1");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 5; i++) {
            System.out.println("result " + i + " " + HexFormat.of().formatHex(sha.digest(("x" + i).getBytes())));
        }
        System.out.println("is io.modelcontextprotocol present: " + present("io.modelcontextprotocol.spec.McpClientTransport"));
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "0"));
        System.out.println("plain-app done");
    }

    private static boolean present(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
