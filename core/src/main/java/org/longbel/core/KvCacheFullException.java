package org.longbel.core;

/** Thrown when a KV-cache allocation would exceed the configured byte budget. */
public class KvCacheFullException extends RuntimeException {
    /** @param message what was asked for, what is in use and the budget, and what to change */
    public KvCacheFullException(String message) { super(message); }
}
