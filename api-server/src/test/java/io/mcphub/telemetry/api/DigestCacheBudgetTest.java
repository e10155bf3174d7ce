package io.mcphub.telemetry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The held merges stay within their budget: the least recently used go first, none over a quarter of it is held. */
class DigestCacheBudgetTest {

    private static DigestCache.Entry entry(int bytes) {
        return new DigestCache.Entry(Set.of("h1/(0,1)"), new byte[bytes]);
    }

    @Test
    void leastRecentlyUsedGoFirstAndTheBytesAddUp() {
        DigestCache cache = new DigestCache(4_000);
        long each = entry(900).merged().length + 96;
        cache.put("a", entry(900));
        cache.put("b", entry(900));
        cache.put("c", entry(900));
        cache.put("d", entry(900));
        assertEquals(4 * each, cache.bytes());
        assertNotNull(cache.get("a")); // a used: b is now the least recently used
        cache.put("e", entry(900));
        assertNull(cache.get("b"), "the least recently used went");
        assertNotNull(cache.get("a"));
        assertNotNull(cache.get("e"));
        assertEquals(4 * each, cache.bytes());
        assertTrue(cache.bytes() <= 4_000);

        cache.put("a", entry(100)); // replaced: its old size leaves the count
        assertEquals(3 * each + 100 + 96, cache.bytes());
        cache.clear();
        assertEquals(0, cache.bytes());
        assertNull(cache.get("a"));
    }

    @Test
    void aMergeOverAQuarterOfTheBudgetIsNotHeld() {
        DigestCache cache = new DigestCache(4_000);
        assertTrue(cache.admits(1_000));
        assertFalse(cache.admits(1_001));
        cache.put("big", entry(1_000));
        assertNull(cache.get("big"), "1,000 bytes and its identity's share are over a quarter");
        assertEquals(0, cache.bytes());

        DigestCache off = new DigestCache(0);
        assertFalse(off.enabled());
        off.put("x", entry(1));
        assertNull(off.get("x"));
        assertThrows(IllegalArgumentException.class, () -> new DigestCache(-1));
    }
}
