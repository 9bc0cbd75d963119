package org.longbel.tokenizer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams the {@code model} object of tokenizer.json (a 128k-entry vocabulary and ~280k merges) without
 * building a tree, and checks that it is a byte-level BPE we implement: any other model type or any
 * option we do not implement is an error naming it.
 */
final class BpeModelReader {
    final Map<String, Integer> vocab = new HashMap<>(1 << 18);
    /** Per merge, by rank: left id, right id, merged id (filled once the vocabulary is known). */
    int[] mergeIds = new int[3 << 18];
    int mergeCount;
    boolean ignoreMerges;
    /** The byte-level vocabulary keyed by bytes, built as soon as the vocabulary is read. */
    BytesIntMap vocabByBytes;
    private byte[] mergeBytes = new byte[64];
    /** Merges met before the vocabulary (not the order Hugging Face writes), resolved at the end. */
    private final List<String[]> pendingMerges = new ArrayList<>();
    private String type;

    private final String file;

    BpeModelReader(String file) { this.file = file; }

    /** Reads the model object; the parser is on its START_OBJECT. */
    void read(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "model");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "type" -> {
                    type = p.getValueAsString();
                    if (value != JsonToken.VALUE_STRING) throw error(p, "model.type must be a string, found " + value);
                    checkType();
                }
                case "vocab" -> {
                    readVocab(p);
                    vocabByBytes = byteLevelVocabulary(vocab);
                }
                case "merges" -> readMerges(p);
                case "ignore_merges" -> ignoreMerges = bool(p, value, "model.ignore_merges");
                case "dropout" -> {
                    if (value != JsonToken.VALUE_NULL && value != JsonToken.VALUE_NUMBER_FLOAT && value != JsonToken.VALUE_NUMBER_INT) {
                        throw error(p, "model.dropout must be null or a number, found " + value);
                    }
                    if (value != JsonToken.VALUE_NULL && p.getValueAsDouble() != 0.0) unsupported(p, "model.dropout", p.getText());
                }
                case "unk_token", "continuing_subword_prefix", "end_of_word_suffix" -> {
                    if (value != JsonToken.VALUE_NULL) unsupported(p, "model." + field, p.getText());
                }
                case "byte_fallback" -> {
                    if (bool(p, value, "model.byte_fallback")) unsupported(p, "model.byte_fallback", "true");
                }
                case "fuse_unk" -> bool(p, value, "model.fuse_unk"); // only matters with an unk_token, rejected above
                default -> unsupported(p, "model." + field, "(any value)");
            }
        }
        checkType();
        if (vocabByBytes == null) vocabByBytes = byteLevelVocabulary(vocab);
        for (String[] m : pendingMerges) addMerge(m[0], m[1], null);
    }

    /** A boolean option (null counts as false); anything else, an object or array above all, is an error. */
    private boolean bool(JsonParser p, JsonToken value, String option) {
        if (value == JsonToken.VALUE_TRUE) return true;
        if (value == JsonToken.VALUE_FALSE || value == JsonToken.VALUE_NULL) return false;
        throw error(p, option + " must be true or false, found " + value);
    }

    private void checkType() {
        if (!"BPE".equals(type)) {
            throw new TokenizerException(file + ": model.type " + (type == null ? "is missing" : "'" + type + "' is not supported")
                    + " (only BPE is implemented)");
        }
    }

    /** Every vocabulary token made only of byte characters, keyed by the bytes it stands for. */
    private static BytesIntMap byteLevelVocabulary(Map<String, Integer> vocab) {
        BytesIntMap byBytes = new BytesIntMap(vocab.size());
        byte[] buf = new byte[256];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String token = e.getKey();
            if (token.length() > buf.length) buf = new byte[token.length()];
            if (ByteLevel.toBytes(token, buf, 0)) byBytes.put(buf, token.length(), e.getValue());
        }
        return byBytes;
    }

    private void readVocab(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "model.vocab");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String token = p.currentName();
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw error(p, "model.vocab['" + token + "'] must be an integer id, found " + t);
            }
            int id = p.getIntValue();
            if (id < 0) throw error(p, "model.vocab['" + token + "'] has a negative id " + id);
            vocab.put(token, id);
        }
    }

    private void readMerges(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "model.merges");
        int index = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
            if (t == JsonToken.VALUE_STRING) {
                if (vocabByBytes == null || !mergeFromBytes(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
                    String merge = p.getText();
                    int space = merge.indexOf(' ');
                    if (space <= 0 || space == merge.length() - 1 || merge.indexOf(' ', space + 1) >= 0) {
                        throw error(p, "model.merges[" + index + "] = \"" + merge + "\" is not of the form \"left right\"");
                    }
                    merge(merge.substring(0, space), merge.substring(space + 1), p);
                }
            } else if (t == JsonToken.START_ARRAY) {
                String left = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                String right = left != null && p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                if (right == null || p.nextToken() != JsonToken.END_ARRAY) {
                    throw error(p, "model.merges[" + index + "] must be a pair of strings [\"left\", \"right\"]");
                }
                merge(left, right, p);
            } else {
                throw error(p, "model.merges[" + index + "] must be a string \"left right\" or a pair [\"left\", \"right\"], found " + t);
            }
        }
    }

    private void merge(String left, String right, JsonParser p) {
        if (vocabByBytes != null) addMerge(left, right, p);
        else pendingMerges.add(new String[] {left, right});
    }

    /**
     * The fast path for a merge "left right" of byte characters whose three tokens are in the
     * vocabulary: resolved from the parser's buffer without making strings. False when anything is
     * unusual; the caller then takes the general path, which also reports errors.
     */
    private boolean mergeFromBytes(char[] chars, int offset, int length) {
        if (length + 1 > mergeBytes.length) mergeBytes = new byte[2 * length + 1];
        int space = -1;
        int n = 0;
        for (int i = 0; i < length; i++) {
            char c = chars[offset + i];
            if (c == ' ') {
                if (space >= 0) return false;
                space = n;
                continue;
            }
            int b = ByteLevel.byteOf(c);
            if (b < 0) return false;
            mergeBytes[n++] = (byte) b;
        }
        if (space <= 0 || space == n) return false;
        int left = vocabByBytes.get(mergeBytes, 0, space);
        int right = vocabByBytes.get(mergeBytes, space, n - space);
        int merged = vocabByBytes.get(mergeBytes, 0, n);
        if (left < 0 || right < 0 || merged < 0) return false;
        if (3 * mergeCount + 3 > mergeIds.length) mergeIds = Arrays.copyOf(mergeIds, mergeIds.length * 2);
        mergeIds[3 * mergeCount] = left;
        mergeIds[3 * mergeCount + 1] = right;
        mergeIds[3 * mergeCount + 2] = merged;
        mergeCount++;
        return true;
    }

    private void addMerge(String left, String right, JsonParser p) {
        int index = mergeCount;
        if (3 * index + 3 > mergeIds.length) mergeIds = Arrays.copyOf(mergeIds, mergeIds.length * 2);
        mergeIds[3 * index] = mergeId(left, index, left, right, "its left part", p);
        mergeIds[3 * index + 1] = mergeId(right, index, left, right, "its right part", p);
        mergeIds[3 * index + 2] = mergeId(left.concat(right), index, left, right, "the merged token", p);
        mergeCount++;
    }

    private int mergeId(String token, int index, String left, String right, String what, JsonParser p) {
        Integer id = vocab.get(token);
        if (id == null) {
            String message = "model.merges[" + index + "] = \"" + left + " " + right + "\": " + what + " '" + token + "' is not in model.vocab";
            throw p != null ? error(p, message) : new TokenizerException(file + ": " + message);
        }
        return id;
    }

    private void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) throw error(p, what + " must be " + (expected == JsonToken.START_OBJECT ? "an object" : "an array") + ", found " + actual);
    }

    private void unsupported(JsonParser p, String option, String value) {
        throw error(p, "unsupported option " + option + " = " + value);
    }

    private TokenizerException error(JsonParser p, String message) {
        var loc = p.currentLocation();
        return new TokenizerException(file + ": " + message + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")");
    }
}
