package org.longbel.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token strings and ids: the model vocabulary plus the added tokens (which take precedence, as in Hugging
 * Face's {@code AddedVocabulary}), and which ids are special.
 */
final class Vocabulary {
    private final String file;
    private final Map<String, Integer> tokenToId;
    private final String[] idToToken;
    private final boolean[] special;

    private Vocabulary(String file, Map<String, Integer> tokenToId, String[] idToToken, boolean[] special) {
        this.file = file;
        this.tokenToId = tokenToId;
        this.idToToken = idToToken;
        this.special = special;
    }

    /** Builds the vocabulary; takes ownership of {@code vocab}, to which the added tokens are added. */
    static Vocabulary build(String file, Map<String, Integer> vocab, List<AddedToken> added) {
        checkVocabIds(file, vocab);
        checkAddedTokenIds(file, vocab, added);
        int size = 0;
        for (int id : vocab.values()) size = Math.max(size, id + 1);
        for (AddedToken t : added) {
            if (t.id() < 0) throw new TokenizerException(file + ": added token '" + t.content() + "' has a negative id " + t.id());
            size = Math.max(size, t.id() + 1);
        }
        String[] idToToken = new String[size];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (idToToken[id] != null) {
                throw new TokenizerException(file + ": model.vocab gives id " + id + " to both '" + idToToken[id] + "' and '" + e.getKey() + "'");
            }
            idToToken[id] = e.getKey();
        }
        Map<String, Integer> tokenToId = vocab;
        boolean[] special = new boolean[size];
        for (AddedToken t : added) {
            idToToken[t.id()] = t.content();
            tokenToId.put(t.content(), t.id());
            special[t.id()] = t.special();
        }
        return new Vocabulary(file, tokenToId, idToToken, special);
    }

    /**
     * The largest id this implementation accepts in {@code model.vocab}: ids index a table, so an id such as
     * 2^31 - 1 would ask for one of that size. The largest vocabularies in use have about 260,000 tokens; Hugging
     * Face allows ids with gaps, and so does this, below the limit.
     */
    static final int MAX_ID = (1 << 24) - 1;

    private static void checkVocabIds(String file, Map<String, Integer> vocab) {
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getValue() > MAX_ID) {
                throw new TokenizerException(file + ": model.vocab['" + e.getKey() + "'] has id " + e.getValue()
                        + ", above the largest id supported (" + MAX_ID + ")");
            }
        }
    }

    /**
     * Hugging Face does not take the ids of {@code added_tokens} from the file: it gives each token its
     * vocabulary id if it has one, else the next id after the vocabulary and the added tokens before it
     * ({@code AddedVocabulary::add_tokens}), and only warns when the file says otherwise. A file whose ids
     * differ would be encoded differently by Hugging Face than its ids suggest, so it is an error here.
     */
    private static void checkAddedTokenIds(String file, Map<String, Integer> vocab, List<AddedToken> added) {
        int modelSize = vocab.size();
        Map<String, Integer> assigned = new HashMap<>();
        int maxAssigned = -1;
        for (int i = 0; i < added.size(); i++) {
            AddedToken t = added.get(i);
            if (t.content().isEmpty()) throw new TokenizerException(file + ": added_tokens[" + i + "] has an empty content");
            Integer existing = assigned.containsKey(t.content()) ? assigned.get(t.content()) : vocab.get(t.content());
            int expected = existing != null ? existing
                    : maxAssigned < 0 ? modelSize
                    : maxAssigned >= modelSize || modelSize == 0 ? maxAssigned + 1 : modelSize;
            if (t.id() != expected) {
                throw new TokenizerException(file + ": added_tokens[" + i + "] '" + t.content() + "' has id " + t.id()
                        + ", but Hugging Face gives it id " + expected
                        + " (its vocabulary id, else the next id after the vocabulary and the earlier added tokens)");
            }
            assigned.put(t.content(), expected);
            maxAssigned = Math.max(maxAssigned, expected);
        }
    }

    /** Highest id + 1. */
    int size() { return idToToken.length; }

    int tokenToId(String token) {
        Integer id = tokenToId.get(token);
        return id == null ? -1 : id;
    }

    /** The token string of an id; {@link IllegalArgumentException} for an id that has none. */
    String idToToken(int id) {
        if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (ids 0.." + (idToToken.length - 1) + ")");
        }
        return idToToken[id];
    }

    /** The token string of an id, or null when the id has none. */
    String tokenOrNull(int id) { return id >= 0 && id < idToToken.length ? idToToken[id] : null; }

    boolean isSpecial(int id) { return id >= 0 && id < special.length && special[id]; }

    void checkId(int id, String where) {
        if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
            throw new TokenizerException(file + ": " + where + " refers to id " + id + ", which is not in the vocabulary");
        }
    }
}
