package io.mcphub.telemetry.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mcphub.telemetry.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

class CopyEncoderTest {

    interface Encoding {
        void write(CopyEncoder e) throws SQLException;
    }

    private static byte[] encode(Encoding rows) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CopyEncoder encoder = new CopyEncoder();
        encoder.begin(out::write);
        rows.write(encoder);
        encoder.finish();
        return out.toByteArray();
    }

    /** The binary COPY format read back independently: rows of fields, each null or its bytes. */
    static List<List<byte[]>> decode(byte[] copy) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(copy));
        byte[] signature = new byte[11];
        in.readFully(signature);
        assertArrayEquals("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1), signature);
        assertEquals(0, in.readInt(), "flags");
        in.skipBytes(in.readInt());
        List<List<byte[]>> rows = new ArrayList<>();
        for (short fields = in.readShort(); fields != -1; fields = in.readShort()) {
            List<byte[]> row = new ArrayList<>();
            for (int f = 0; f < fields; f++) {
                int n = in.readInt();
                byte[] value = null;
                if (n >= 0) {
                    value = new byte[n];
                    in.readFully(value);
                }
                row.add(value);
            }
            rows.add(row);
        }
        assertEquals(-1, in.read(), "nothing after the trailer");
        return rows;
    }

    private static String onlyText(byte[] copy) throws IOException {
        return new String(decode(copy).get(0).get(0), StandardCharsets.UTF_8);
    }

    @Test
    void writesTheHeaderRowsWithFieldCountsNullsAndTheTrailer() throws Exception {
        byte[] copy = encode(e -> {
            e.text("a").int4(7).nullValue().int8(-2L).bool(true);
            e.endRow();
            e.text((String) null);
            e.endRow();
        });
        List<List<byte[]>> rows = decode(copy);
        assertEquals(2, rows.size());
        assertEquals(5, rows.get(0).size());
        assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), rows.get(0).get(0));
        assertArrayEquals(new byte[] {0, 0, 0, 7}, rows.get(0).get(1));
        assertNull(rows.get(0).get(2));
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1, -1, -2}, rows.get(0).get(3));
        assertArrayEquals(new byte[] {1}, rows.get(0).get(4));
        assertEquals(1, rows.get(1).size());
        assertNull(rows.get(1).get(0));
    }

    @Test
    void traceAndSpanIdsAreHexTextAndNoneIsNull() throws Exception {
        List<List<byte[]>> rows = decode(encode(e -> {
            e.traceId(0x0af7651916cd43ddL, 0x8448eb211c80319cL).spanId(-1L).spanId(0).traceId(0, 0).traceId(0, 1);
            e.endRow();
        }));
        List<byte[]> row = rows.get(0);
        assertEquals("0af7651916cd43dd8448eb211c80319c", new String(row.get(0), StandardCharsets.US_ASCII));
        assertEquals("ffffffffffffffff", new String(row.get(1), StandardCharsets.US_ASCII));
        assertNull(row.get(2));
        assertNull(row.get(3));
        assertEquals("00000000000000000000000000000001", new String(row.get(4), StandardCharsets.US_ASCII));
    }

    @Test
    void replacesNulAndLoneSurrogatesAndKeepsEverythingElse() throws Exception {
        String hostile = "x\u0000y\uD800z\uDC00w😀é中\u0001\t\n\\N";
        assertEquals("x\u2400y\uFFFDz\uFFFDw😀é中\u0001\t\n\\N", onlyText(encode(e -> {
            e.text(hostile);
            e.endRow();
        })));
    }

    @Test
    void encodesLikeTheJdkForRandomUnicode() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> sb.append((char) (0x01 + random.nextInt(0x7F)));
                    case 1 -> sb.append((char) (0x80 + random.nextInt(0x780)));
                    case 2 -> sb.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                    default -> sb.append((char) (0x800 + random.nextInt(0xD000 - 0x800)));
                }
            }
            String value = sb.toString();
            byte[] field = decode(encode(e -> {
                e.text(value);
                e.endRow();
            })).get(0).get(0);
            assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), field, "round " + round);
        }
    }

    @Test
    void multiMegabyteValuesAreChunkedWithoutLoss() throws Exception {
        String big = "ab\t".repeat(2_000_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] chunks = {0};
        CopyEncoder encoder = new CopyEncoder();
        encoder.begin((b, off, len) -> {
            chunks[0]++;
            out.write(b, off, len);
        });
        for (int i = 0; i < 3; i++) {
            encoder.text(big).int8(i);
            encoder.endRow();
        }
        long total = encoder.finish();
        List<List<byte[]>> rows = decode(out.toByteArray());
        for (int i = 0; i < 3; i++) {
            assertEquals(big, new String(rows.get(i).get(0), StandardCharsets.UTF_8));
            assertEquals(i, new DataInputStream(new ByteArrayInputStream(rows.get(i).get(1))).readLong());
        }
        assertEquals(out.size(), total);
        assertEquals(4, chunks[0], "one chunk per oversized row, then the trailer");
    }

    /** The real decoder: every type the sink writes, at its extremes, read back by PostgreSQL. */
    @Test
    void valuesAtTheExtremesRoundTripThroughPostgresBinaryCopy() throws Exception {
        Instant[] times = {Instant.parse("0001-01-01T00:00:00Z"), Instant.EPOCH, Instant.parse("2000-01-01T00:00:00Z"),
            Instant.parse("2024-02-29T23:59:59.999999Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
            Instant.parse("1969-12-31T23:59:59.000001Z")};
        try (TestDatabase db = TestDatabase.create(); Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (n int, a bigint, b integer, d double precision, ts timestamptz, s smallint[], "
                    + "l bigint[], j jsonb, f boolean, x text)");
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t FROM STDIN (FORMAT binary)");
            CopyEncoder e = new CopyEncoder();
            e.begin(in::writeToCopy);
            long[] longs = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 42, 7};
            int[] ints = {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 42, 7};
            double[] doubles = {Double.NaN, Double.NEGATIVE_INFINITY, 1.5e-300, -0.0, Double.MAX_VALUE, 0.1};
            for (int i = 0; i < times.length; i++) {
                e.int4(i).int8(longs[i]).int4(ints[i]).float8(doubles[i]).timestamp(times[i])
                        .array(i == 0 ? new short[0] : new short[] {Short.MIN_VALUE, (short) i, Short.MAX_VALUE})
                        .array(i == 0 ? new long[0] : new long[] {Long.MIN_VALUE, i, Long.MAX_VALUE})
                        .jsonb(i == 0 ? null : "{\"k\": [1, \"two\", {\"n\": null}], \"i\": " + i + "}")
                        .bool(i % 2 == 0).text(i == 0 ? null : "row " + i);
                e.endRow();
            }
            e.finish();
            assertEquals(times.length, in.endCopy());
            try (ResultSet rs = st.executeQuery("SELECT n, a, b, d, ts, s, l, j::text, f, x FROM t ORDER BY n")) {
                for (int i = 0; i < times.length; i++) {
                    rs.next();
                    assertEquals(longs[i], rs.getLong(2));
                    assertEquals(ints[i], rs.getInt(3));
                    assertEquals(Double.doubleToLongBits(doubles[i]), Double.doubleToLongBits(rs.getDouble(4)), "double " + i);
                    assertEquals(times[i], rs.getObject(5, java.time.OffsetDateTime.class).toInstant(), "time " + i);
                    assertEquals(i == 0 ? "[]" : Arrays.toString(new Short[] {Short.MIN_VALUE, (short) i, Short.MAX_VALUE}),
                            Arrays.toString((Object[]) array(rs.getArray(6))));
                    assertEquals(i == 0 ? "[]" : Arrays.toString(new Long[] {Long.MIN_VALUE, (long) i, Long.MAX_VALUE}),
                            Arrays.toString((Object[]) array(rs.getArray(7))));
                    assertEquals(i == 0 ? null : "{\"i\": " + i + ", \"k\": [1, \"two\", {\"n\": null}]}", rs.getString(8));
                    assertEquals(i % 2 == 0, rs.getBoolean(9));
                    assertEquals(i == 0 ? null : "row " + i, rs.getString(10));
                }
            }
        }
    }

    private static Object array(Array a) throws SQLException {
        Object values = a.getArray();
        return values;
    }
}
