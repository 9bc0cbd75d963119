package org.longbel.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** A fixed set of threads that run one task each (given its index) and are joined: for machine ceilings. */
final class Parallel implements AutoCloseable {

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads);
    }

    /** Runs {@code task(0) .. task(threads - 1)} at once and waits for all. */
    void run(IntConsumer task) {
        Future<?>[] futures = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            futures[t] = pool.submit(() -> task.accept(index));
        }
        try {
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
