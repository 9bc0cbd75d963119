package org.longbel.cuda.backend;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the CUDA backend holds in device memory, by purpose (weights, KV cache, activations, scratch), and the
 * out-of-memory message that names it. Pure bookkeeping, so it is tested without a GPU; the backend records every
 * allocation and free here.
 */
public final class DeviceMemoryLedger {

    private final Map<String, Long> bytesByPurpose = new TreeMap<>();
    private long total;
    private long peak;

    /** Records {@code bytes} allocated for {@code purpose}. */
    public synchronized void allocated(String purpose, long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation " + bytes);
        bytesByPurpose.merge(purpose, bytes, Long::sum);
        total += bytes;
        peak = Math.max(peak, total);
    }

    /** Records {@code bytes} of {@code purpose} freed; freeing more than was allocated is a bug and throws. */
    public synchronized void freed(String purpose, long bytes) {
        long held = bytesByPurpose.getOrDefault(purpose, 0L);
        if (bytes > held) throw new IllegalStateException("freeing " + bytes + " bytes of " + purpose + " but only " + held + " are held");
        if (held == bytes) bytesByPurpose.remove(purpose);
        else bytesByPurpose.put(purpose, held - bytes);
        total -= bytes;
    }

    /** Bytes held now. */
    public synchronized long total() { return total; }

    /** The most bytes held at once. */
    public synchronized long peak() { return peak; }

    /** Bytes held for {@code purpose}. */
    public synchronized long held(String purpose) { return bytesByPurpose.getOrDefault(purpose, 0L); }

    /** e.g. "weights 2.47 GB, kv-cache 40.00 GB, activations 0.31 GB" (largest first); "nothing" when empty. */
    public synchronized String summary() {
        if (bytesByPurpose.isEmpty()) return "nothing";
        StringBuilder b = new StringBuilder();
        bytesByPurpose.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> {
            if (!b.isEmpty()) b.append(", ");
            b.append(e.getKey()).append(' ').append(gb(e.getValue()));
        });
        return b.toString();
    }

    /**
     * The message for an allocation the device refused: what was asked and for what, what the device had free,
     * what this backend holds, and what to change.
     */
    public synchronized String outOfMemory(String purpose, long bytes, long freeBytes, long totalBytes) {
        String hint = switch (purpose) {
            case "kv-cache" -> "lower --kv-cache-mb";
            case "weights" -> "this GPU is too small for the checkpoint; use --device cpu";
            default -> "lower --row-budget (fewer rows per forward) or --kv-cache-mb";
        };
        return String.format(Locale.ROOT, "out of GPU memory: %s for %s did not fit (%s free of %s); this backend holds %s; %s",
                gb(bytes), purpose, gb(freeBytes), gb(totalBytes), summary(), hint);
    }

    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
