package io.mcphub.telemetry.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CopyEncoderTest {

    private static String encode(Encoding rows) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CopyEncoder encoder = new CopyEncoder();
        encoder.begin(out::write);
        rows.write(encoder);
        encoder.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    interface Encoding {
        void write(CopyEncoder e) throws SQLException;
    }

    @Test
    void escapesTheCharactersCopyTextFormatGivesMeaning() throws Exception {
        String row = encode(e -> {
            e.text("a\tb\nc\rd\\e\bf\fg\u000Bh").text((String) null).text("\\N").number(-42L).bool(true);
            e.endRow();
        });
        assertEquals("a\\tb\\nc\\rd\\\\e\\bf\\fg\\vh\t\\N\t\\\\N\t-42\tt\n", row);
    }

    @Test
    void replacesNulAndLoneSurrogatesAndKeepsEverythingElse() throws Exception {
        String hostile = "x\u0000y\uD800z\uDC00w😀é中\u0001";
        String row = encode(e -> {
            e.text(hostile);
            e.endRow();
        });
        assertEquals("x\u2400y\uFFFDz\uFFFDw😀é中\u0001\n", row);
    }

    @Test
    void encodesLikeTheJdkForRandomUnicode() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(4);
                if (pick == 0) {
                    sb.append((char) (0x20 + random.nextInt(0x5F)));
                } else if (pick == 1) {
                    sb.append((char) (0x80 + random.nextInt(0x780)));
                } else if (pick == 2) {
                    sb.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                } else {
                    sb.append((char) (0x800 + random.nextInt(0xD000 - 0x800)));
                }
            }
            String value = sb.toString().replace("\\", "");
            String row = encode(e -> {
                e.text(value);
                e.endRow();
            });
            assertEquals(value + "\n", row, "round " + round);
            assertEquals(new String((value + "\n").getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), row);
        }
    }

    @Test
    void formatsTimestampsAsUtcWithMicroseconds() throws Exception {
        DateTimeFormatter expected = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);
        Random random = new Random(11);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond((long) (random.nextDouble() * max), random.nextInt(1_000_000_000));
            String row = encode(e -> {
                e.timestamp(t);
                e.endRow();
            });
            assertEquals(expected.format(t) + "\n", row, t.toString());
        }
        assertEquals("1970-01-01 00:00:00.000000+00\n", encode(e -> {
            e.timestamp(Instant.EPOCH);
            e.endRow();
        }));
        assertEquals("2024-02-29 23:59:59.999999+00\n", encode(e -> {
            e.timestamp(Instant.parse("2024-02-29T23:59:59.999999999Z"));
            e.endRow();
        }));
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
            encoder.text(big).number(i);
            encoder.endRow();
        }
        long total = encoder.finish();
        String expectedRow = "ab\\t".repeat(2_000_000);
        assertEquals(expectedRow + "\t0\n" + expectedRow + "\t1\n" + expectedRow + "\t2\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(out.size(), total);
        assertEquals(3, chunks[0], "one chunk per oversized row");
    }

    @Test
    void numbersAtTheExtremes() throws Exception {
        assertEquals("-9223372036854775808\t9223372036854775807\t0\t\\N\tNaN\t-Infinity\t1.5E-300\n", encode(e -> {
            e.number(Long.MIN_VALUE).number(Long.MAX_VALUE).number(0L).number((Long) null).number(Double.NaN)
                    .number(Double.NEGATIVE_INFINITY).number(1.5e-300);
            e.endRow();
        }));
    }
}
