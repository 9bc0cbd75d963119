package org.longbel.kb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 fingerprints of the files a trie file depends on. */
public final class Fingerprints {
    private Fingerprints() {}

    /**
     * The tokenizer's fingerprint: SHA-256 over {@code tokenizer.json} and, when present,
     * {@code tokenizer_config.json} (it decides BOS, EOS and special tokens).
     *
     * @param tokenizerDirOrFile a model directory or its tokenizer.json
     */
    public static String tokenizer(Path tokenizerDirOrFile) {
        Path json = Files.isDirectory(tokenizerDirOrFile) ? tokenizerDirOrFile.resolve("tokenizer.json") : tokenizerDirOrFile;
        if (!Files.isRegularFile(json)) throw new KbException("no tokenizer.json at " + json);
        Path config = json.resolveSibling("tokenizer_config.json");
        MessageDigest digest = sha256();
        update(digest, json);
        if (Files.isRegularFile(config)) update(digest, config);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The identity of a source file now: path, size, modification time and SHA-256. */
    public static TrieFileMetadata.SourceFile sourceFile(Path file) {
        try {
            MessageDigest digest = sha256();
            update(digest, file);
            return new TrieFileMetadata.SourceFile(file.toAbsolutePath().normalize().toString(), Files.size(file),
                    Files.getLastModifiedTime(file).toMillis(), HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code file} still has the content recorded in {@code recorded}: same size and
     * modification time, or else the same SHA-256 (a touched but unchanged file is not stale).
     */
    public static boolean unchanged(TrieFileMetadata.SourceFile recorded) {
        Path file = Path.of(recorded.path());
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != recorded.size()) return false;
            if (Files.getLastModifiedTime(file).toMillis() == recorded.modifiedMillis()) return true;
        } catch (IOException e) {
            return false;
        }
        return sourceFile(file).sha256().equals(recorded.sha256());
    }

    private static void update(MessageDigest digest, Path file) {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
