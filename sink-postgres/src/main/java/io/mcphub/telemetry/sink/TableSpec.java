package io.mcphub.telemetry.sink;

import io.mcphub.telemetry.record.TelemetryRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * How one record type reaches its table: the staging DDL and merge statement from
 * {@code db/sink/<table>.sql}, and the encoder that writes a record's columns in staging order.
 */
public final class TableSpec<R extends TelemetryRecord> {

    /** Writes one record's columns, in the order of the staging table. */
    @FunctionalInterface
    public interface RowEncoder<R> {
        void encode(R record, CopyEncoder out);
    }

    private final Class<R> type;
    private final String table;
    private final String stagingDdl;
    private final String mergeSql;
    private final String copySql;
    private final RowEncoder<R> encoder;

    TableSpec(Class<R> type, String table, RowEncoder<R> encoder) {
        this.type = type;
        this.table = table;
        this.encoder = encoder;
        String[] statements = readStatements(table);
        this.stagingDdl = statements[0];
        this.mergeSql = statements[1];
        this.copySql = "COPY stage_" + table + " FROM STDIN";
    }

    private static String[] readStatements(String table) {
        String resource = "db/sink/" + table + ".sql";
        try (InputStream in = TableSpec.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("sink SQL " + resource + " is missing from the classpath");
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String[] parts = sql.split(";\\s*(\\n|$)");
            if (parts.length != 2) {
                throw new IllegalStateException(resource + " must hold exactly two statements, found " + parts.length);
            }
            return new String[] {parts[0].strip(), parts[1].strip()};
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

    String stagingDdl() {
        return stagingDdl;
    }

    String mergeSql() {
        return mergeSql;
    }

    String copySql() {
        return copySql;
    }

    void encodeRow(TelemetryRecord record, CopyEncoder out) throws SQLException {
        encoder.encode(type.cast(record), out);
        out.endRow();
    }
}
