package io.mcphub.telemetry.it;

import io.mcphub.telemetry.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class with a throw-away database of its own on the real PostgreSQL, shared by its tests. */
abstract class WithDatabase {

    static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }
}
