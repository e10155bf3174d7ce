package io.mcphub.telemetry.agent.instrumentation.common;

/**
 * How deep the current thread is in nested calls of one kind (filters around servlets, handlers
 * calling handlers), so that only the outermost records. One instance per kind of call.
 */
public final class CallDepth {

    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /** Enters a call; true when it is the outermost one on this thread. */
    public boolean enter() {
        return depth.get()[0]++ == 0;
    }

    /** Leaves a call entered with {@link #enter}. */
    public void exit() {
        int[] d = depth.get();
        if (d[0] > 0) {
            d[0]--;
        }
    }
}
