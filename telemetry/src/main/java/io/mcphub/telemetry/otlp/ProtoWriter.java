package io.mcphub.telemetry.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protobuf wire format for the few OTLP messages sent (varint, fixed64, length-delimited), written
 * by hand: the official classes and protobuf-java would add megabytes to the agent jar for a dozen
 * fields. A nested message is written into a writer of its own and embedded with its length.
 */
final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;

    private byte[] buf = new byte[64];
    private int len;

    int length() {
        return len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    ProtoWriter string(int field, String value) {
        if (value == null || value.isEmpty()) {
            return this;
        }
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LEN);
        varint(value.length);
        put(value, value.length);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter message) {
        tag(field, LEN);
        varint(message.len);
        put(message.buf, message.len);
        return this;
    }

    /** An int64, bool or enum field; written even when 0 (a oneof member must be present to be set). */
    ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    ProtoWriter fixed64(int field, long value) {
        tag(field, FIXED64);
        putLong(value);
        return this;
    }

    ProtoWriter float64(int field, double value) {
        return fixed64(field, Double.doubleToRawLongBits(value));
    }

    ProtoWriter packedFixed64(int field, long[] values) {
        tag(field, LEN);
        varint(values.length * 8L);
        for (long v : values) {
            putLong(v);
        }
        return this;
    }

    ProtoWriter packedFloat64(int field, double[] values) {
        tag(field, LEN);
        varint(values.length * 8L);
        for (double v : values) {
            putLong(Double.doubleToRawLongBits(v));
        }
        return this;
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    private void putLong(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (v >>> (8 * i)); // little-endian, as protobuf's fixed64
        }
    }

    private void put(byte[] bytes, int n) {
        ensure(n);
        System.arraycopy(bytes, 0, buf, len, n);
        len += n;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
