package io.mcphub.telemetry.schema;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Says what went wrong when a connection attempt reached something that is not a working PostgreSQL
 * server. The driver's own texts mislead there: with the default {@code sslmode=prefer} its first act
 * is an SSL request, so a service that answers it with anything else (an HTTP server or proxy) gives
 * "An error occurred while setting up the SSL connection", and a server that never answers gives
 * "Connection attempt timed out" or "The connection attempt failed".
 */
final class ConnectFailure {

    private static final String PROTOCOL_VIOLATION = "08P01";
    private static final String UNABLE_TO_CONNECT = "08001";

    private ConnectFailure() {
    }

    /**
     * {@code e} reworded when it is one of these cases (the original kept as the cause), else {@code e}.
     * {@code elapsed} is how long the attempt took, which tells the driver's login timeout (it has no
     * cause) from other failures to connect.
     */
    static SQLException explain(SQLException e, String server, Duration connectTimeout, Duration loginTimeout,
                                Duration socketTimeout, Duration elapsed) {
        String what = null;
        SocketTimeoutException timeout = cause(e, SocketTimeoutException.class);
        if (timeout != null && String.valueOf(timeout.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect")) {
            what = "PostgreSQL at " + server + " did not accept a TCP connection within " + connectTimeout.toMillis()
                    + " ms (is the host up, and the port open to this machine?)";
        } else if (timeout != null) {
            what = unanswered(server, socketTimeout);
        } else if (UNABLE_TO_CONNECT.equals(e.getSQLState()) && e.getCause() == null && elapsed.compareTo(loginTimeout) >= 0) {
            what = unanswered(server, loginTimeout);
        } else if (cause(e, EOFException.class) != null) {
            what = "PostgreSQL at " + server + " accepted the connection but closed it without answering "
                    + "(is it a PostgreSQL server?)";
        } else if (PROTOCOL_VIOLATION.equals(e.getSQLState())) {
            what = "PostgreSQL at " + server + " answered with something that is not PostgreSQL's protocol (is it a "
                    + "PostgreSQL server? an HTTP server or proxy on that port answers like this)";
        }
        return what == null ? e : new SQLException(what, e.getSQLState(), e);
    }

    private static String unanswered(String server, Duration waited) {
        return "PostgreSQL at " + server + " accepted the connection but did not answer within " + waited.toMillis()
                + " ms (is it a PostgreSQL server?)";
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
