package io.mcphub.telemetry.sink.spill;

import io.mcphub.telemetry.model.TelemetryRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A batch as bytes, and back. Every record type is a Java record of strings, numbers, booleans, instants
 * and enums, so one codec reads their components rather than one hand-written format per table; a record
 * is named by its class's simple name and the number of its components, so a spill file written by
 * another version of the agent is refused record by record ({@link SpillFormatException}) instead of
 * being read into the wrong fields. Spilling happens in outages, not on the hub's threads, so the
 * reflective access (resolved once per class) is not on any hot path.
 */
public final class SpillCodec {

    /** 2: tool executions carry trace context ids. */
    static final byte VERSION = 2;
    private static final byte NULL = 0;
    private static final byte PRESENT = 1;
    private static final Map<String, Class<?>> TYPES = new HashMap<>();

    static {
        for (Class<?> type : TelemetryRecord.class.getPermittedSubclasses()) {
            TYPES.put(type.getSimpleName(), type);
        }
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return Shape.of(type);
        }
    };

    private SpillCodec() {
    }

    /** A record type's components, in order, and its canonical constructor. */
    private record Shape(Class<?>[] types, MethodHandle[] getters, MethodHandle constructor) {
        static Shape of(Class<?> type) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                RecordComponent[] components = type.getRecordComponents();
                Class<?>[] types = new Class<?>[components.length];
                MethodHandle[] getters = new MethodHandle[components.length];
                for (int i = 0; i < components.length; i++) {
                    types[i] = components[i].getType();
                    getters[i] = lookup.unreflect(components[i].getAccessor());
                }
                return new Shape(types, getters, lookup.unreflectConstructor(type.getDeclaredConstructor(types)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("record type " + type.getName() + " cannot be spilled", e);
            }
        }
    }

    /** The bytes of one batch: its id, its tenant and its records. */
    public static byte[] encode(UUID batchId, String tenant, List<? extends TelemetryRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + records.size() * 160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(batchId.getMostSignificantBits());
            out.writeLong(batchId.getLeastSignificantBits());
            writeString(out, tenant);
            out.writeInt(records.size());
            for (TelemetryRecord record : records) {
                writeRecord(out, record);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: writing to memory", e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #encode} wrote; throws {@link SpillFormatException} for bytes it did not write. */
    public static SpilledBatch decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SpillFormatException("spill format version " + version + ", this agent reads " + VERSION);
            }
            UUID batchId = new UUID(in.readLong(), in.readLong());
            String tenant = readString(in);
            int count = in.readInt();
            if (count < 0 || count > payload.length) {
                throw new SpillFormatException("record count " + count + " in a frame of " + payload.length + " bytes");
            }
            List<TelemetryRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                records.add(readRecord(in));
            }
            return new SpilledBatch(batchId, tenant, records);
        } catch (IOException e) {
            throw new SpillFormatException("frame ends early: " + e, e);
        }
    }

    private static void writeRecord(DataOutputStream out, TelemetryRecord record) throws IOException {
        Shape shape = SHAPES.get(record.getClass());
        writeString(out, record.getClass().getSimpleName());
        out.writeByte(shape.types.length);
        for (int i = 0; i < shape.types.length; i++) {
            Object value;
            try {
                value = shape.getters[i].invoke(record);
            } catch (Throwable t) {
                throw new IllegalStateException("reading a " + record.getClass().getSimpleName(), t);
            }
            writeValue(out, shape.types[i], value);
        }
    }

    private static TelemetryRecord readRecord(DataInputStream in) throws IOException {
        String name = readString(in);
        Class<?> type = TYPES.get(name);
        if (type == null) {
            throw new SpillFormatException("unknown record type '" + name + "'");
        }
        Shape shape = SHAPES.get(type);
        int n = in.readUnsignedByte();
        if (n != shape.types.length) {
            throw new SpillFormatException(name + " with " + n + " fields; this agent's has " + shape.types.length);
        }
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            values[i] = readValue(in, shape.types[i]);
        }
        try {
            return (TelemetryRecord) shape.constructor.invokeWithArguments(values);
        } catch (Throwable t) {
            throw new SpillFormatException("a spilled " + name + " is not valid: " + t.getMessage(), t);
        }
    }

    private static void writeValue(DataOutputStream out, Class<?> type, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
            return;
        }
        out.writeByte(PRESENT);
        if (type == String.class) {
            writeString(out, (String) value);
        } else if (type == long.class || type == Long.class) {
            out.writeLong((Long) value);
        } else if (type == int.class || type == Integer.class) {
            out.writeInt((Integer) value);
        } else if (type == double.class || type == Double.class) {
            out.writeDouble((Double) value);
        } else if (type == boolean.class || type == Boolean.class) {
            out.writeBoolean((Boolean) value);
        } else if (type == Instant.class) {
            Instant t = (Instant) value;
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        } else if (type.isEnum()) {
            writeString(out, ((Enum<?>) value).name());
        } else {
            throw new IllegalStateException("no spill encoding for " + type.getName());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object readValue(DataInputStream in, Class<?> type) throws IOException {
        byte tag = in.readByte();
        if (tag == NULL) {
            if (type.isPrimitive()) {
                throw new SpillFormatException("no value for a " + type.getName() + " field");
            }
            return null;
        }
        if (tag != PRESENT) {
            throw new SpillFormatException("bad value tag " + tag);
        }
        if (type == String.class) {
            return readString(in);
        } else if (type == long.class || type == Long.class) {
            return in.readLong();
        } else if (type == int.class || type == Integer.class) {
            return in.readInt();
        } else if (type == double.class || type == Double.class) {
            return in.readDouble();
        } else if (type == boolean.class || type == Boolean.class) {
            return in.readBoolean();
        } else if (type == Instant.class) {
            return Instant.ofEpochSecond(in.readLong(), in.readInt());
        } else if (type.isEnum()) {
            String name = readString(in);
            try {
                return Enum.valueOf((Class) type, name);
            } catch (IllegalArgumentException e) {
                throw new SpillFormatException("unknown " + type.getSimpleName() + " '" + name + "'");
            }
        }
        throw new SpillFormatException("no spill encoding for " + type.getName());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new SpillFormatException("string of " + length + " bytes where " + in.available() + " remain");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
