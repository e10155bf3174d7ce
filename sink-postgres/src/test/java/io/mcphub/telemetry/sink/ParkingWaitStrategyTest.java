package io.mcphub.telemetry.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The sink thread's wait: returns what is published, times out when nothing is, stops on an alert. */
class ParkingWaitStrategyTest {

    private final ParkingWaitStrategy strategy = new ParkingWaitStrategy(1_000_000L, 50_000_000L);
    private final AtomicBoolean alerted = new AtomicBoolean();
    private final SequenceBarrier barrier = new SequenceBarrier() {
        @Override public long waitFor(long sequence) { throw new UnsupportedOperationException(); }
        @Override public long getCursor() { return 0; }
        @Override public boolean isAlerted() { return alerted.get(); }
        @Override public void alert() { alerted.set(true); }
        @Override public void clearAlert() { alerted.set(false); }
        @Override public void checkAlert() throws AlertException {
            if (alerted.get()) {
                throw AlertException.INSTANCE;
            }
        }
    };

    @Test
    void returnsAtOnceWhatIsAlreadyPublished() throws Exception {
        Sequence published = new Sequence(7);
        assertEquals(7, strategy.waitFor(5, published, published, barrier));
    }

    @Test
    void seesARecordPublishedWhileItWaitsWithoutBeingSignalled() throws Exception {
        Sequence published = new Sequence(-1);
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            published.set(0); // no signalAllWhenBlocking: the strategy must notice by itself
        });
        producer.start();
        assertEquals(0, strategy.waitFor(0, published, published, barrier));
        producer.join();
    }

    @Test
    void timesOutWhenNothingArrivesSoTheHandlerCanFlushADueBatch() {
        Sequence published = new Sequence(-1);
        long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> strategy.waitFor(0, published, published, barrier));
        assertTrue(System.nanoTime() - start >= 50_000_000L, "waited the whole timeout");
    }

    @Test
    void anAlertStopsTheWait() {
        Sequence published = new Sequence(-1);
        barrier.alert();
        assertThrows(AlertException.class, () -> strategy.waitFor(0, published, published, barrier));
    }
}
