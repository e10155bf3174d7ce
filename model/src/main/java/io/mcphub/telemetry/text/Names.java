package io.mcphub.telemetry.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Names (servers, tools, metrics, routes, ids) come from outside: an MCP server or client chooses them.
 * They end up in index keys, Prometheus labels and dashboards, so they are made safe at the edge: a
 * name longer than {@link #MAX} characters is cut and given a hash of the whole, so that distinct long
 * names stay distinct and the same long name always maps to the same short one.
 */
public final class Names {

    public static final int MAX = 200;
    private static final int KEEP = MAX - 10;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Names() {
    }

    /** {@code name}, or for a longer one its first characters, '…' and 8 hex digits of its SHA-256. */
    public static String cap(String name) {
        if (name == null || name.length() <= MAX) {
            return name;
        }
        int keep = Character.isHighSurrogate(name.charAt(KEEP - 1)) ? KEEP - 1 : KEEP;
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder sb = new StringBuilder(keep + 10).append(name, 0, keep).append('…');
        for (int i = 0; i < 4; i++) {
            sb.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
        }
        return sb.toString();
    }
}
