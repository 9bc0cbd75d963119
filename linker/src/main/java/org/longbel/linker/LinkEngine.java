package org.longbel.linker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The one thread that drives a {@link LinkScheduler} for a {@link LongBel} handle. Calls of {@code sample}
 * from any thread submit their pages here; the thread runs the scheduler while there is work and sleeps
 * otherwise, so every forward of the handle goes through one scheduler, one KV cache and the backend's one
 * compute pool, and pages of concurrent calls share batches.
 */
final class LinkEngine implements AutoCloseable, LinkScheduler.Submissions {
    private final LinkScheduler scheduler;
    private final Deque<ScheduledDocument> queue = new ArrayDeque<>();
    private final Thread thread;
    private boolean closed;

    LinkEngine(LinkScheduler scheduler, String name) {
        this.scheduler = scheduler;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues pages behind those already submitted. */
    synchronized void submit(Collection<ScheduledDocument> documents) {
        if (closed) throw new IllegalStateException("this LongBel handle is closed");
        queue.addAll(documents);
        notifyAll();
    }

    @Override
    public synchronized ScheduledDocument poll() {
        return queue.pollFirst();
    }

    @Override
    public synchronized List<ScheduledDocument> removeCancelled() {
        List<ScheduledDocument> out = new ArrayList<>();
        for (Iterator<ScheduledDocument> it = queue.iterator(); it.hasNext(); ) {
            ScheduledDocument d = it.next();
            if (d.cancel.isCancelled()) {
                out.add(d);
                it.remove();
            }
        }
        return out;
    }

    private synchronized boolean awaitWork() throws InterruptedException {
        while (queue.isEmpty() && !closed) wait();
        return !closed;
    }

    private void loop() {
        try {
            while (awaitWork()) {
                try {
                    scheduler.run(this);
                } catch (RuntimeException | Error e) {
                    // the documents in flight were failed with e; later submissions still run
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }

    private void failQueued() {
        for (ScheduledDocument d; (d = poll()) != null; ) {
            d.onFailure.accept(new CancellationException("the LongBel handle was closed"));
        }
    }

    /** Stops the thread after the current tick; pages not yet done fail with {@link CancellationException}. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
