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
import org.longbel.linker.prompt.PromptBuilder;

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
 * spec §2-§6). The per-page state lives in a {@link DocumentRun}; pages share nothing but the warn-once
 * set, so one instance (per {@code sample} call) serves many pages.
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
     * Every record of {@code page}, mention by mention, rank order within a mention, each mention decoded by
     * {@code decoder} before the next starts (the scheduler runs many pages' {@link DocumentRun}s at once instead).
     *
     * @param decoder decodes this page's prompts (not shared with a page running at the same time)
     */
    public List<Prediction> link(Page page, MentionDecoder decoder, LinkListener listener, CancellationToken cancel) {
        DocumentRun run = start(page, decoder.maxPositions(), listener);
        for (DocumentRun.Pending p; (p = run.next()) != null; ) {
            cancel.throwIfCancelled();
            try {
                run.complete(p, decoder.decode(p.ids(), p.constraint(), p.seed(), cancel));
            } catch (KvCacheFullException e) {
                run.fail(p, kvBudgetError(p.ids().length, e));
            } catch (DecodingException e) {
                run.fail(p, "decoding failed: " + e.getMessage());
            }
        }
        return run.predictions();
    }

    /** The mentions of {@code page}, ready to be linked one after another by any driver. */
    DocumentRun start(Page page, int contextPositions, LinkListener listener) {
        return new DocumentRun(this, page, contextPositions, listener);
    }

    /** The error text of a mention whose beams do not fit the KV-cache budget. */
    String kvBudgetError(int promptLength, KvCacheFullException e) {
        return "the KV-cache budget is too small for this mention's " + options.numBeams()
                + " beams over a prompt of " + promptLength + " tokens (raise it: 'longbel link --kv-cache-mb', "
                + "LongBelOptions.withKvCacheBytes): " + e.getMessage();
    }

    /** The records of a decoded mention and the rank-1 text its memory line is cut from. */
    Mapped map(Mention m, int[] ids, DecodingResult result) {
        Map<int[], String> texts = new IdentityHashMap<>();
        Function<int[], String> cleaned = generated -> texts.computeIfAbsent(generated, g -> cleanedText(ids, g));
        List<Hypothesis> hs = result.hypotheses();
        List<Prediction> predictions = mapper.map(m, result, options.numBeams(), h -> cleaned.apply(h.tokens()));
        return new Mapped(predictions, cleaned.apply(hs.isEmpty() ? NOTHING : hs.getFirst().tokens()));
    }

    /** The records of a mention that could not be decoded, and the prompt's own text for its memory line. */
    Mapped error(Mention m, int[] ids, String error) {
        return new Mapped(PredictionMapper.error(m, options.numBeams(), error), cleanedText(ids, NOTHING));
    }

    /** A mention's records and the (cleaned) text its memory line is cut from. */
    record Mapped(List<Prediction> predictions, String topText) {
    }

    String promptText(Mention m, String memory) {
        return PromptBuilder.prompt(m, memory);
    }

    int[] encode(String prompt) {
        return codec.encodeWithBos(prompt);
    }

    SampleOptions options() {
        return options;
    }

    /** Why {@code m} cannot be decoded, or null. Warns once per unknown group. */
    String problem(Mention m, int promptLength, int context, LinkListener listener) {
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

    Constraint constraint(String group) {
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
