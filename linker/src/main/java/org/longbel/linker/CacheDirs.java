package org.longbel.linker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Where the linker keeps files it can rebuild: {@code $XDG_CACHE_HOME/longbel} or {@code ~/.cache/longbel}. */
public final class CacheDirs {

    private CacheDirs() {
    }

    /** {@code $XDG_CACHE_HOME/longbel/<name>}, or {@code ~/.cache/longbel/<name>} when XDG_CACHE_HOME is unset. */
    public static Path of(String name) {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("longbel").resolve(name);
    }

    /**
     * The trie file kept in {@code dir} for a source KB: one per source path (its content and the
     * tokenizer are checked on every load, and a stale file is rebuilt).
     */
    static Path trieFileFor(Path dir, Path kbSource) {
        String path = kbSource.toAbsolutePath().normalize().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            String stem = kbSource.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            return dir.resolve(stem + "-" + HexFormat.of().formatHex(digest, 0, 8) + ".trie");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
