package io.mcphub.telemetry.sink;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.locks.LockSupport;

/**
 * The sink thread looks for new records every {@code parkNanos} instead of being woken by each
 * publish. A blocking strategy makes every publish on an idle ring take a lock and unpark the sink
 * thread (two context switches per record on the hub's cores); the sink batches for a flush interval
 * anyway, so noticing records a few milliseconds later costs nothing, and publishing is then only the
 * ring's own sequence claim. Idle, the sink thread wakes {@code 1 / parkNanos} times a second.
 * Times out after {@code timeoutNanos} so that the handler can flush a batch that is due.
 */
final class ParkingWaitStrategy implements WaitStrategy {

    private final long parkNanos;
    private final long timeoutNanos;

    ParkingWaitStrategy(long parkNanos, long timeoutNanos) {
        this.parkNanos = parkNanos;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw TimeoutException.INSTANCE;
            }
            LockSupport.parkNanos(this, Math.min(parkNanos, left));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        // nobody blocks: the sink thread polls
    }
}
