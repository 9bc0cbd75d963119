package org.longbel.core.backend;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of worker threads owned by one backend (never the common pool). {@link #parallelFor} splits an
 * index range into chunks that the calling thread and the workers take in turn; which thread runs a chunk
 * never changes what the chunk computes.
 */
final class WorkerPool implements AutoCloseable {

    /** Work on the indices {@code [from, to)}. */
    @FunctionalInterface
    interface RangeTask {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService workers;

    WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        this.threads = threads;
        AtomicInteger counter = new AtomicInteger();
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "longbel-cpu-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    int threads() { return threads; }

    /**
     * Runs {@code task} over {@code [0, n)} in chunks of {@code grain} indices and returns when all are done.
     * An exception in any chunk is rethrown here.
     */
    void parallelFor(int n, int grain, RangeTask task) {
        if (n <= 0) return;
        int chunks = (n + grain - 1) / grain;
        if (workers == null || chunks == 1) {
            task.run(0, n);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable loop = () -> {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                task.run(c * grain, Math.min(n, (c + 1) * grain));
            }
        };
        int helpers = Math.min(threads - 1, chunks - 1);
        Future<?>[] futures = new Future<?>[helpers];
        for (int i = 0; i < helpers; i++) futures[i] = workers.submit(loop);
        RuntimeException failure = null;
        try {
            loop.run();
        } catch (RuntimeException e) {
            failure = e;
            next.set(chunks);
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IllegalStateException("interrupted while waiting for workers", e);
            }
        }
        if (failure != null) throw failure;
    }

    /** A grain that gives each thread about {@code perThread} chunks of an {@code n}-index range. */
    int grainFor(int n, int perThread) {
        return Math.max(1, n / (threads * perThread));
    }

    @Override
    public void close() {
        if (workers != null) workers.shutdownNow();
    }
}
