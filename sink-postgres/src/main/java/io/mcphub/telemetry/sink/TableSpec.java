package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.model.SqlNamed;
import io.mcphub.telemetry.model.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * How one row type reaches its table, declared once: its columns (name, SQL type and how a record
 * writes the value), from which the staging table, the COPY and, for append-only tables, the move
 * into the real table are derived. Registry tables are upserted by the statement in
 * {@code db/sink/<table>.sql}, which reads {@code stage_<table>}.
 */
public final class TableSpec<R> {

    /** Writes one column of a record. */
    @FunctionalInterface
    public interface ValueWriter<R> {
        void write(R record, CopyEncoder out);
    }

    /** One column of the staging table, in COPY order. */
    public record Column<R>(String name, String sqlType, ValueWriter<R> writer) {
    }

    private final Class<R> type;
    private final String table;
    private final List<Column<R>> columns;
    private final String stagingDdl;
    private final String mergeSql;
    private final boolean upsert;
    private final String copySql;

    private TableSpec(Class<R> type, String table, List<Column<R>> columns, boolean upsert) {
        this.type = type;
        this.table = table;
        this.columns = List.copyOf(columns);
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        this.stagingDdl = "CREATE TEMP TABLE IF NOT EXISTS stage_" + table + " ("
                + columns.stream().map(c -> c.name() + " " + c.sqlType()).collect(Collectors.joining(", "))
                + ") ON COMMIT DELETE ROWS";
        this.upsert = upsert;
        this.mergeSql = upsert ? readMerge(table)
                : "INSERT INTO " + table + " (" + names + ") SELECT " + names + " FROM stage_" + table;
        this.copySql = " (" + names + ") FROM STDIN (FORMAT binary)";
    }

    /** A table rows are only appended to. */
    @SafeVarargs
    static <R> TableSpec<R> append(Class<R> type, String table, Column<R>... columns) {
        return new TableSpec<>(type, table, List.of(columns), false);
    }

    /** A registry table, upserted by {@code db/sink/<table>.sql}. */
    @SafeVarargs
    static <R> TableSpec<R> upsert(Class<R> type, String table, Column<R>... columns) {
        return new TableSpec<>(type, table, List.of(columns), true);
    }

    static <R> Column<R> text(String name, Function<R, String> value) {
        return new Column<>(name, "text", (r, o) -> o.text(value.apply(r)));
    }

    static <R> Column<R> named(String name, Function<R, ? extends SqlNamed> value) {
        return new Column<>(name, "text", (r, o) -> o.text(value.apply(r)));
    }

    static <R> Column<R> json(String name, Function<R, String> value) {
        return new Column<>(name, "jsonb", (r, o) -> o.jsonb(value.apply(r)));
    }

    static <R> Column<R> time(String name, Function<R, Instant> value) {
        return new Column<>(name, "timestamptz", (r, o) -> o.timestamp(value.apply(r)));
    }

    /** A timestamp given in microseconds since the epoch. */
    static <R> Column<R> timeMicros(String name, ToLongFunction<R> value) {
        return new Column<>(name, "timestamptz", (r, o) -> o.timestampMicros(value.applyAsLong(r)));
    }

    /** A W3C trace id held as two longs, stored as hex text (null for none). */
    static <R> Column<R> traceId(String name, ToLongFunction<R> high, ToLongFunction<R> low) {
        return new Column<>(name, "text", (r, o) -> o.traceId(high.applyAsLong(r), low.applyAsLong(r)));
    }

    /** A W3C span id held as a long, stored as hex text (null for none). */
    static <R> Column<R> spanId(String name, ToLongFunction<R> id) {
        return new Column<>(name, "text", (r, o) -> o.spanId(id.applyAsLong(r)));
    }

    static <R> Column<R> bigint(String name, ToLongFunction<R> value) {
        return new Column<>(name, "bigint", (r, o) -> o.int8(value.applyAsLong(r)));
    }

    static <R> Column<R> integer(String name, ToIntFunction<R> value) {
        return new Column<>(name, "integer", (r, o) -> o.int4(value.applyAsInt(r)));
    }

    static <R> Column<R> nullableBigint(String name, Function<R, Long> value) {
        return new Column<>(name, "bigint", (r, o) -> o.int8(value.apply(r)));
    }

    static <R> Column<R> nullableInt(String name, Function<R, Integer> value) {
        return new Column<>(name, "integer", (r, o) -> o.int4(value.apply(r)));
    }

    static <R> Column<R> real(String name, ToDoubleFunction<R> value) {
        return new Column<>(name, "double precision", (r, o) -> o.float8(value.applyAsDouble(r)));
    }

    static <R> Column<R> smallints(String name, Function<R, short[]> value) {
        return new Column<>(name, "smallint[]", (r, o) -> o.array(value.apply(r)));
    }

    static <R> Column<R> bigints(String name, Function<R, long[]> value) {
        return new Column<>(name, "bigint[]", (r, o) -> o.array(value.apply(r)));
    }

    static <R> Column<R> texts(String name, Function<R, String[]> value) {
        return new Column<>(name, "text[]", (r, o) -> o.array(value.apply(r)));
    }

    static <R> Column<R> bytes(String name, Function<R, byte[]> value) {
        return new Column<>(name, "bytea", (r, o) -> o.bytea(value.apply(r)));
    }

    static <R> Column<R> bool(String name, Predicate<R> value) {
        return new Column<>(name, "boolean", (r, o) -> o.bool(value.test(r)));
    }

    private static String readMerge(String table) {
        String resource = "db/sink/" + table + ".sql";
        try (InputStream in = TableSpec.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("sink SQL " + resource + " is missing from the classpath");
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (sql.endsWith(";")) {
                sql = sql.substring(0, sql.length() - 1);
            }
            if (sql.contains(";\n")) {
                throw new IllegalStateException(resource + " must hold exactly one statement");
            }
            return sql;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    public Class<R> type() {
        return type;
    }

    public String table() {
        return table;
    }

    public List<Column<R>> columns() {
        return columns;
    }

    String stagingDdl() {
        return stagingDdl;
    }

    String stagingTable() {
        return "stage_" + table;
    }

    /** Every table the sink writes through a staging table: the records' and the rollups'. */
    static List<TableSpec<?>> staged() {
        List<TableSpec<?>> all = new java.util.ArrayList<>(Tables.all());
        all.addAll(Rollups.specs());
        return all;
    }

    /**
     * The move from staging into the table. On Citus an append carries {@code ON CONFLICT DO NOTHING}
     * (nothing conflicts): Citus then inserts on the shards by INSERT, where it would otherwise COPY,
     * which row-level security refuses to a tenant's login. Elsewhere that clause only costs time.
     */
    String mergeSql(StorageLayout layout) {
        return layout == StorageLayout.CITUS && !upsert ? mergeSql + " ON CONFLICT DO NOTHING" : mergeSql;
    }

    /** The binary COPY of this table's columns into {@code relation} (its staging table, or the table). */
    String copySql(String relation) {
        return "COPY " + relation + copySql;
    }

    boolean upsert() {
        return upsert;
    }

    void encodeRow(Object row, CopyEncoder out) throws SQLException {
        R r = type.cast(row);
        for (Column<R> c : columns) {
            c.writer().write(r, out);
        }
        out.endRow();
    }
}
