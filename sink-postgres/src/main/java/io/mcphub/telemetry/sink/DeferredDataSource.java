package io.mcphub.telemetry.sink;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The sink's connection source before the database is ready: asking for a connection then fails
 * like an outage does, so the sink simply keeps records in the ring until {@link #ready} is called.
 */
final class DeferredDataSource implements DataSource {

    private volatile DataSource target;

    void ready(DataSource dataSource) {
        this.target = dataSource;
    }

    DataSource target() {
        return target;
    }

    private DataSource current() throws SQLException {
        DataSource t = target;
        if (t == null) {
            throw new NotConnectedYet();
        }
        return t;
    }

    /** Not an outage: the database has not been connected yet, so nothing is logged for it. */
    static final class NotConnectedYet extends SQLTransientConnectionException {
        NotConnectedYet() {
            super("telemetry database not connected yet", "08003");
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return current().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return current().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // not used: the pool logs through slf4j
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the pool's own timeouts apply
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return current().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || current().isWrapperFor(iface);
    }
}
