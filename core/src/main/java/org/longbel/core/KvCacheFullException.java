package org.longbel.core;

/** Thrown when a KV-cache allocation would exceed the configured byte budget. */
public class KvCacheFullException extends RuntimeException {
    public KvCacheFullException(String message) { super(message); }
}
