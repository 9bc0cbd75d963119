package org.longbel.linker;

import org.longbel.core.KvCacheFullException;
import org.longbel.decoding.Constraint;
import org.longbel.decoding.DecodingException;
import org.longbel.decoding.DecodingResult;
import org.longbel.decoding.Hypothesis;
import org.longbel.decoding.TrieConstraint;
import org.longbel.decoding.Unconstrained;
import org.longbel.linker.document.Page;
import org.longbel.linker.output.ConceptIndex;
import org.longbel.linker.output.Prediction;
import org.longbel.linker.output.PredictionMapper;
import org.longbel.linker.output.TokenIds;
import org.longbel.linker.prompt.DecodedText;
import org.longbel.linker.prompt.Mention;
import org.longbel.linker.prompt.MemoryLine;
import org.longbel.linker.prompt.MentionExtractor;
import org.longbel.linker.prompt.PromptBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Links the mentions of one page in order: prompt with the page's memory so far, tokenize with BOS,
 * decode under the group's constraint, map to records, append the rank-1 memory line (reference
 * spec §2-§6). Pages share nothing but the warn-once set, so one instance (per {@code sample} call)
 * serves many pages on many threads.
 *
 * <p>Mentions that cannot be decoded get {@link Prediction#NO_PREDICTION} records whose
 * {@code error} says why (N ranks, so every mention keeps N rows), and their memory line is the
 * target alone ({@code [mention]{group}}: what the prompt decodes to with nothing generated):
 * <ul>
 *   <li>a semantic group the knowledge base lacks, under the constraint (the reference crashes
 *       there); logged once per group as a warning;</li>
 *   <li>a prompt that leaves no room for the new tokens in the model's context;</li>
 *   <li>a mention whose beams do not fit the page's KV-cache budget;</li>
 *   <li>a search that cannot go on ({@link DecodingException}: a constraint allowing no token).</li>
 * </ul>
 */
public final class DocumentLinker {
    private static final int[] NOTHING = new int[0];

    private final PromptCodec codec;
    private final ConceptIndex kb;
    private final SampleOptions options;
    private final PredictionMapper mapper;
    private final Set<String> warnedGroups = ConcurrentHashMap.newKeySet();

    /**
     * @param kb the knowledge base; may be null only when {@code options.constrained()} is false
     */
    public DocumentLinker(PromptCodec codec, ConceptIndex kb, SampleOptions options) {
        if (kb == null && options.constrained()) {
            throw new IllegalArgumentException("constrained decoding needs a knowledge base");
        }
        this.codec = codec;
        this.kb = kb;
        this.options = options;
        this.mapper = new PredictionMapper(kb == null ? ConceptIndex.EMPTY : kb, codec.tokenIds(),
                options.multipleAnswers(), options.referenceCompat());
    }

    /**
     * Every record of {@code page}, mention by mention, rank order within a mention.
     *
     * @param decoder decodes this page's prompts (not shared with a page running at the same time)
     */
    public List<Prediction> link(Page page, MentionDecoder decoder, LinkListener listener, CancellationToken cancel) {
        List<Prediction> all = new ArrayList<>();
        StringBuilder memory = new StringBuilder();
        List<Mention> mentions = MentionExtractor.mentions(page);
        for (Mention m : mentions) {
            cancel.throwIfCancelled();
            String text = PromptBuilder.prompt(m, memory.toString());
            int[] ids = codec.encodeWithBos(text);
            listener.onPrompt(new PromptRecord(m.mentionId(), text, ids));
            // cleaned prompt + generation per generated array: the text parse and the memory line share rank 1's
            Map<int[], String> texts = new IdentityHashMap<>();
            Function<int[], String> cleaned = generated -> texts.computeIfAbsent(generated, g -> cleanedText(ids, g));
            List<Prediction> predictions;
            String topText; // the rank-1 text (or the prompt's alone) the memory line is cut from
            String error = problem(m, ids.length, decoder.maxPositions(), listener);
            Decoded d = error == null ? decode(decoder, m, ids, cancel) : new Decoded(null, error);
            if (d.error() != null) {
                predictions = PredictionMapper.error(m, options.numBeams(), d.error());
                topText = cleaned.apply(NOTHING);
            } else {
                List<Hypothesis> hs = d.result().hypotheses();
                predictions = mapper.map(m, d.result(), options.numBeams(), h -> cleaned.apply(h.tokens()));
                topText = cleaned.apply(hs.isEmpty() ? NOTHING : hs.getFirst().tokens());
            }
            // QUIRK (memory from rank 1 always): the top beam's line is added even when it named no concept
            memory.append(MemoryLine.fromCleaned(topText));
            all.addAll(predictions);
            listener.onMention(m, predictions);
        }
        listener.onPage(page.id(), mentions.size());
        return all;
    }

    /** A search result, or why this mention could not be decoded. */
    private record Decoded(DecodingResult result, String error) {
    }

    /**
     * The search result, or an error when the page's KV-cache budget cannot hold this mention's beams
     * or the search cannot go on ({@link DecodingException}); the other mentions go on either way.
     */
    private Decoded decode(MentionDecoder decoder, Mention m, int[] ids, CancellationToken cancel) {
        try {
            return new Decoded(decoder.decode(ids, constraint(m.group()), mentionSeed(options.seed(), m.mentionId()),
                    cancel), null);
        } catch (KvCacheFullException e) {
            return new Decoded(null, "the KV-cache budget is too small for this mention's " + options.numBeams()
                    + " beams over a prompt of " + ids.length + " tokens (raise it: 'longbel link --kv-cache-mb', "
                    + "LongBelOptions.withKvCacheBytes): " + e.getMessage());
        } catch (DecodingException e) {
            return new Decoded(null, "decoding failed: " + e.getMessage());
        }
    }

    /** Why {@code m} cannot be decoded, or null. Warns once per unknown group. */
    private String problem(Mention m, int promptLength, int context, LinkListener listener) {
        if (options.constrained() && !kb.hasGroup(m.group())) {
            String reason = "semantic group '" + m.group() + "' is not in the knowledge base";
            if (warnedGroups.add(m.group())) {
                listener.onWarning(reason + ": its mentions get " + Prediction.NO_PREDICTION
                        + " records with an 'error' field (first: " + m.mentionId() + ")");
            }
            return reason;
        }
        // the last new token is never fed back, so a mention needs promptLength + maxNewTokens - 1 positions
        if (promptLength + options.maxNewTokens() - 1 > context) {
            return "prompt of " + promptLength + " tokens + " + options.maxNewTokens()
                    + " new tokens exceeds the model's context of " + context + " positions";
        }
        return null;
    }

    private Constraint constraint(String group) {
        if (!options.constrained()) return Unconstrained.INSTANCE;
        TokenIds t = codec.tokenIds();
        return new TrieConstraint(kb.trie(group), t.eos(), t.pad(), options.multipleAnswers(), t.closeBrace(), t.plus());
    }

    private String cleanedText(int[] prompt, int[] generated) {
        int[] all = Arrays.copyOf(prompt, prompt.length + generated.length);
        System.arraycopy(generated, 0, all, prompt.length, generated.length);
        return DecodedText.skipUndesiredTokens(codec.decodeWithSpecials(all));
    }

    /** A seed per mention, so sampled results do not depend on which thread ran which page. */
    static long mentionSeed(long seed, String mentionId) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < mentionId.length(); i++) h = (h ^ mentionId.charAt(i)) * 0x100000001B3L;
        return h ^ (h >>> 31);
    }
}
