package io.mcphub.telemetry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TraceIdsTest {

    @Test
    void idsRoundTripThroughTraceparent() {
        long high = 0x0af7651916cd43ddL;
        long low = 0x8448eb211c80319cL;
        long span = 0xb7ad6b7169203331L;
        String header = TraceIds.traceparent(high, low, span, true);
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", header);
        TraceIds.Parent p = TraceIds.parseTraceparent(header);
        assertEquals(new TraceIds.Parent(high, low, span, true), p);
        assertEquals("0af7651916cd43dd8448eb211c80319c", TraceIds.traceId(high, low));
        assertEquals("b7ad6b7169203331", TraceIds.spanId(span));
        assertFalse(TraceIds.parseTraceparent(TraceIds.traceparent(high, low, span, false)).sampled());
        // a later version may append fields
        assertEquals(p, TraceIds.parseTraceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"));
    }

    @Test
    void invalidHeadersAreNone() {
        for (String bad : new String[] {null, "", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
                "00-00000000000000000000000000000000-b7ad6b7169203331-01",
                "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
                "00-0af7651916cd43dd8448eb211c8031zz-b7ad6b7169203331-01",
                "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x"}) {
            assertNull(TraceIds.parseTraceparent(bad), bad);
        }
        assertNull(TraceIds.traceId(0, 0));
        assertNull(TraceIds.spanId(0));
    }

    @Test
    void randomIdsAreNeverNone() {
        for (int i = 0; i < 1000; i++) {
            assertNotEquals(0, TraceIds.randomId());
        }
        assertTrue(TraceIds.traceId(1, 2).endsWith("0000000000000002"));
    }
}
