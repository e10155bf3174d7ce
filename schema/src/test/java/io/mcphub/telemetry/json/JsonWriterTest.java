package io.mcphub.telemetry.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcphub.telemetry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    private static TestDatabase db;
    private static Connection connection;
    private final JsonWriter writer = new JsonWriter(List.of("password", "token", "authorization"), 10_000);

    @BeforeAll
    static void open() throws Exception {
        db = TestDatabase.create();
        connection = db.connect();
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
        db.close();
    }

    /** PostgreSQL's own jsonb parser is the judge of validity. */
    private static String viaJsonb(String json) throws Exception {
        try (PreparedStatement ps = connection.prepareStatement("SELECT ?::jsonb::text")) {
            ps.setString(1, json);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    record Point(int x, String label) {
    }

    @Test
    void writesMapsListsRecordsAndScalars() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("n", 1);
        value.put("d", 2.5);
        value.put("nan", Double.NaN);
        value.put("b", true);
        value.put("nil", null);
        value.put("list", List.of("a", 2));
        value.put("arr", new int[] {1, 2});
        value.put("point", new Point(3, "p"));
        String json = writer.write(value);
        assertEquals("{\"n\":1,\"d\":2.5,\"nan\":null,\"b\":true,\"nil\":null,\"list\":[\"a\",2],\"arr\":[1,2],"
                + "\"point\":{\"x\":3,\"label\":\"p\"}}", json);
        assertEquals("{\"b\": true, \"d\": 2.5, \"n\": 1, \"arr\": [1, 2], \"nan\": null, \"nil\": null, \"list\": [\"a\", 2], "
                + "\"point\": {\"x\": 3, \"label\": \"p\"}}", viaJsonb(json));
        assertNull(writer.write(null));
    }

    @Test
    void secretKeysAreRedactedAtAnyDepth() throws Exception {
        String json = writer.write(Map.of("user", "bob", "nested", Map.of("Authorization", "Bearer abc",
                "list", List.of(Map.of("api_token", "xyz")))));
        assertTrue(!json.contains("abc") && !json.contains("xyz") && json.contains("bob"), json);
        assertTrue(json.contains("\"Authorization\":\"[REDACTED]\""), json);
        viaJsonb(json);
    }

    @Test
    void hostileStringsStayValidForJsonb() throws Exception {
        String hostile = "nul\u0000 lone\uD800 pair😀 quote\" back\\ ctl\u0001\u001f tab\t nl\n";
        String json = writer.write(Map.of("k\u0000ey", hostile));
        String back = viaJsonb(json);
        assertTrue(back.contains("nul\u2400 lone\uFFFD pair😀"), back);
    }

    @Test
    void randomStringsAlwaysParseAsJsonb() throws Exception {
        Random random = new Random(3);
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 30; j++) {
                sb.append((char) random.nextInt(0x10000));
            }
            viaJsonb(writer.write(List.of(sb.toString(), Map.of(sb.toString(), 1))));
        }
    }

    @Test
    void deepNestingAndHugeValuesAreCutButStayValid() throws Exception {
        Object deep = "leaf";
        for (int i = 0; i < 200; i++) {
            deep = List.of(deep);
        }
        String nested = writer.write(deep);
        assertTrue(nested.contains("nested deeper than"), nested);
        viaJsonb(nested);

        List<String> huge = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            huge.add("x".repeat(100));
        }
        String capped = writer.write(Map.of("items", huge));
        assertTrue(capped.startsWith("{\"_truncated\":true"), capped.substring(0, 40));
        assertTrue(capped.length() <= 10_000, "cap respected: " + capped.length());
        viaJsonb(capped);
        String bigString = writer.write("y".repeat(10_000_000));
        assertTrue(bigString.length() <= 10_000);
        viaJsonb(bigString);
    }
}
