package io.mcphub.telemetry.api;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PGobject;

/** Runs a query and returns its rows as JSON-ready maps keyed by column label. */
public final class Rows {
    private Rows() {
    }

    public static List<Map<String, Object>> list(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), value(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    public static Map<String, Object> one(Connection c, String sql, Object... args) throws SQLException {
        List<Map<String, Object>> rows = list(c, sql, args);
        return rows.isEmpty() ? new LinkedHashMap<>() : rows.get(0);
    }

    public static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Instant t) {
                ps.setTimestamp(i + 1, Timestamp.from(t));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    static Object value(Object o) throws SQLException {
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof PGobject p) {
            return p.getType() != null && p.getType().startsWith("json") ? Json.Raw.of(p.getValue()) : p.getValue();
        }
        if (o instanceof BigDecimal d) {
            return d.scale() <= 0 && d.precision() < 19 ? (Object) d.longValueExact() : (Object) d.doubleValue();
        }
        if (o instanceof Double d && !Double.isFinite(d)) {
            return null;
        }
        if (o instanceof Array a) {
            Object[] items = (Object[]) a.getArray();
            List<Object> out = new ArrayList<>(items.length);
            for (Object item : items) {
                out.add(value(item));
            }
            return out;
        }
        return o;
    }

    /** Rounds to 3 decimals (milliseconds with microsecond precision, rates, percentages). */
    public static Double round3(Double d) {
        return d == null || !Double.isFinite(d) ? null : Math.round(d * 1000.0) / 1000.0;
    }
}
