package org.longbel.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.longbel.kb.KbLoader;
import org.longbel.kb.KbSource;
import org.longbel.kb.NameEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Writes the committed inputs of {@link TrieFileFuzzTest}: trie files built by the project's own writer
 * ({@link KbLoader#build}) from tiny knowledge bases, and damaged variants of them (resealed, so that each
 * damage is what the reader meets, not the checksum). Run it from the repository root after
 * {@code ./mvn25 -o test-compile -pl fuzz -am}:
 * <pre>java -cp fuzz/target/test-classes:kb/target/classes:tokenizer/target/classes:JACKSON_JARS org.longbel.fuzz.TrieFileSeeds</pre>
 */
final class TrieFileSeeds {
    private TrieFileSeeds() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path INPUTS = Path.of("fuzz/src/test/resources/org/longbel/fuzz/TrieFileFuzzTestInputs");

    /** One token per code point after a BOS, EOS appended by the builder: distinct names, distinct sequences. */
    private static final NameEncoder CODE_POINTS = new NameEncoder() {
        @Override public int[] encodeWithSpecialTokens(String text) {
            return IntStream.concat(IntStream.of(1), text.codePoints()).toArray();
        }
        @Override public int bosId() { return 1; }
        @Override public int eosId() { return 2; }
    };

    public static void main(String[] args) throws IOException {
        Path tmp = Files.createTempDirectory("trie-seeds");
        byte[] twoGroups = build(tmp, "two", """
                {"Disorders": {"pain": "C1", "pains": "C1", "pale": "C2", "chest pain": "C3"},
                 "Chemicals & Drugs": {"aspirin": "C4", "asa": "C4", "héparine": "C5"}}""");
        byte[] emptyGroup = build(tmp, "empty", """
                {"G": {"a": "C1"}, "Empty": {}}""");

        Path file = Files.createDirectories(INPUTS.resolve("file"));
        Files.write(file.resolve("valid-two-groups"), twoGroups);
        Files.write(file.resolve("valid-with-empty-group"), emptyGroup);
        Files.write(file.resolve("truncated-in-arrays"), Arrays.copyOf(twoGroups, 200));
        Files.write(file.resolve("empty"), new byte[0]);
        byte[] flipped = twoGroups.clone();
        flipped[100] ^= 0x10;
        Files.write(file.resolve("checksum-mismatch"), flipped);
        byte[] hugePayload = twoGroups.clone();
        putLong(hugePayload, 16, 1L << 60);
        Files.write(file.resolve("payload-length-2-pow-60"), hugePayload);

        Path resealed = Files.createDirectories(INPUTS.resolve("resealed"));
        Files.write(resealed.resolve("valid-two-groups"), twoGroups);
        Files.write(resealed.resolve("entries-2147483647"),
                withMetadata(twoGroups, m -> group(m, 0).put("entries", Integer.MAX_VALUE)));
        Files.write(resealed.resolve("nodes-2-pow-60"), withMetadata(twoGroups, m -> group(m, 0).put("nodes", 1L << 60)));
        Files.write(resealed.resolve("section-offset-overflow"), withMetadata(twoGroups, m ->
                ((ObjectNode) group(m, 0).get("sections").get("nameBytes")).put("offset", 1L << 62).put("bytes", (1L << 62) + 8)));
        byte[] hugeMeta = twoGroups.clone();
        putLong(hugeMeta, 32, Long.MAX_VALUE - 40);
        Files.write(resealed.resolve("metadata-length-overflow"), TrieFiles.reseal(hugeMeta));
        Files.write(resealed.resolve("first-edge-self-loop"), withInt(twoGroups, "firstEdge", 1, 0));
        Files.write(resealed.resolve("name-offset-past-end"), withInt(twoGroups, "nameOffsets", 1, 1_000_000));
        Files.write(resealed.resolve("entry-code-negative"), withInt(twoGroups, "entryCode", 0, -1));
        System.out.println("seeds written under " + INPUTS);
    }

    private static byte[] build(Path dir, String name, String json) throws IOException {
        Path source = Files.writeString(dir.resolve(name + ".json"), json, StandardCharsets.UTF_8);
        Path trie = dir.resolve(name + ".trie");
        new KbLoader(CODE_POINTS, "seed-tokenizer").build(KbSource.detect(source), trie);
        return Files.readAllBytes(trie);
    }

    private interface Edit {
        void apply(ObjectNode metadata);
    }

    private static ObjectNode group(ObjectNode metadata, int index) {
        return (ObjectNode) metadata.get("groups").get(index);
    }

    /** The file with its metadata JSON (the last block) edited, rewritten in place and resealed. */
    private static byte[] withMetadata(byte[] file, Edit edit) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int offset = (int) b.getLong(24), length = (int) b.getLong(32);
        ObjectNode meta = (ObjectNode) JSON.readTree(Arrays.copyOfRange(file, offset, offset + length));
        edit.apply(meta);
        byte[] json = JSON.writeValueAsBytes(meta);
        byte[] out = Arrays.copyOf(file, offset + json.length);
        System.arraycopy(json, 0, out, offset, json.length);
        putLong(out, 32, json.length);
        return TrieFiles.reseal(out);
    }

    /** The file with int {@code index} of section {@code section} of the first group set to {@code value}, resealed. */
    private static byte[] withInt(byte[] file, String section, int index, int value) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int offset = (int) b.getLong(24), length = (int) b.getLong(32);
        JsonNode meta = JSON.readTree(Arrays.copyOfRange(file, offset, offset + length));
        long at = meta.get("groups").get(0).get("sections").get(section).get("offset").asLong() + 4L * index;
        byte[] out = file.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt((int) at, value);
        return TrieFiles.reseal(out);
    }

    private static void putLong(byte[] file, int at, long value) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    }
}
