package app.littlebit.worker.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what another thread or process does, when a test cannot be told of it directly. */
public final class Eventually {
    private Eventually() {}

    /** Checks {@code condition} every 50 ms until it holds; fails naming {@code what} after {@code limit}. */
    public static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
