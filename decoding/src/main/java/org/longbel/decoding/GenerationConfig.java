package org.longbel.decoding;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.longbel.core.CheckpointException;

/**
 * The fields of a checkpoint's {@code generation_config.json} that shape decoding, with Hugging Face's
 * defaults for absent ones ({@code GenerationConfig.__init__}). Settings that would add logits
 * processors this engine does not implement (repetition penalty, n-gram blocking, ...) are refused
 * with the field's name.
 *
 * @param doSample       {@code do_sample} (default false)
 * @param temperature    {@code temperature} (1.0)
 * @param topK           {@code top_k} (50; 0 = off, also for an explicit {@code null})
 * @param topP           {@code top_p} (1.0)
 * @param numBeams       {@code num_beams} (1)
 * @param eosTokenIds    {@code eos_token_id} as a list (empty when absent)
 * @param padTokenId     {@code pad_token_id}, -1 when absent (or written as -1, an old convention for none)
 * @param bosTokenId     {@code bos_token_id}, -1 when absent
 * @param lengthPenalty  {@code length_penalty} (1.0)
 * @param earlyStopping  {@code early_stopping} (false)
 */
public record GenerationConfig(boolean doSample, double temperature, int topK, double topP, int numBeams,
                               int[] eosTokenIds, int padTokenId, int bosTokenId, double lengthPenalty,
                               EarlyStopping earlyStopping) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Hugging Face's defaults (a checkpoint without the file). */
    public static final GenerationConfig DEFAULTS =
            new GenerationConfig(false, 1.0, 50, 1.0, 1, new int[0], -1, -1, 1.0, EarlyStopping.FALSE);

    /**
     * Reads {@code generation_config.json} of a checkpoint directory; {@link #DEFAULTS} when the file is absent.
     *
     * @throws CheckpointException when the file is unreadable or malformed (see {@link #read})
     */
    public static GenerationConfig readCheckpoint(Path checkpointDir) {
        Path file = checkpointDir.resolve("generation_config.json");
        return Files.exists(file) ? read(file) : DEFAULTS;
    }

    /**
     * Reads one {@code generation_config.json}. Fields are checked for their types as Hugging Face uses them
     * (ids and counts are integers, ids non-negative). The ranges of the sampling settings are not: like Hugging
     * Face, which refuses them only when it builds the sampling warpers, {@link #longBelSettings} refuses them
     * when it samples, and deterministic decoding ignores them.
     *
     * @throws CheckpointException naming the file and the field when the file cannot be read, is not a JSON
     *                             object, or holds a value of the wrong type or range or an unsupported setting
     */
    public static GenerationConfig read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new CheckpointException(file + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new CheckpointException(file + ": must hold a JSON object");
        try {
            refuseUnsupported(root);
            boolean doSample = bool(root, "do_sample", false);
            double temperature = number(root, "temperature", 1.0);
            int topK = topK(root);
            double topP = number(root, "top_p", 1.0);
            double lengthPenalty = number(root, "length_penalty", 1.0);
            if (!Double.isFinite(lengthPenalty)) throw new IllegalArgumentException("length_penalty must be finite, got " + lengthPenalty);
            return new GenerationConfig(doSample, temperature, topK, topP,
                    integer(root, "num_beams", 1, 1),
                    ids(root.get("eos_token_id")),
                    integer(root, "pad_token_id", -1, -1),
                    integer(root, "bos_token_id", -1, -1),
                    lengthPenalty,
                    EarlyStopping.parse(earlyStoppingValue(root.get("early_stopping"))));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The pad id {@code generate} uses when {@code eos} is passed as its eos: {@code pad_token_id} when
     * set, else {@code eos} (Hugging Face's {@code _prepare_special_tokens}: pad or eos[0]).
     */
    public int padId(int eos) {
        return padTokenId >= 0 ? padTokenId : eos;
    }

    /**
     * The LongBEL wrapper's settings with this file's sampling choices: K beams, the single eos and the
     * pad and bos of {@code ids} (resolved from this file and the tokenizer by {@link SpecialIds#resolve}),
     * 128 new tokens. Beam sampling (or plain sampling for K = 1) when {@code do_sample} is true and
     * {@code forceDeterministic} is false; otherwise deterministic beam search (greedy for K = 1).
     *
     * @throws IllegalArgumentException when {@code ids.pad()} is not this file's pad for {@code ids.eos()}
     *                                  (ids resolved from another {@code generation_config.json})
     */
    public DecodingSettings longBelSettings(SpecialIds ids, int beams, boolean forceDeterministic, long seed) {
        if (ids.pad() != padId(ids.eos())) {
            throw new IllegalArgumentException("pad id " + ids.pad() + " is not this generation config's pad "
                    + padId(ids.eos()) + " (pad_token_id, else the eos " + ids.eos() + ")");
        }
        boolean sample = doSample && !forceDeterministic;
        SamplingSettings sampling = sample
                ? new SamplingSettings(temperature, topK, topP, seed)
                : SamplingSettings.HF_DEFAULT.withSeed(seed);
        return new DecodingSettings(beams, beams, new int[] {ids.eos()}, ids.pad(), ids.bos(), 128,
                earlyStopping, lengthPenalty, DecodingMode.of(beams, sample), sampling);
    }

    private static void refuseUnsupported(JsonNode root) {
        check(root, "repetition_penalty", 1.0);
        check(root, "no_repeat_ngram_size", 0);
        check(root, "encoder_no_repeat_ngram_size", 0);
        check(root, "min_length", 0);
        check(root, "min_new_tokens", 0);
        check(root, "num_beam_groups", 1);
        check(root, "diversity_penalty", 0.0);
        check(root, "typical_p", 1.0);
        check(root, "epsilon_cutoff", 0.0);
        check(root, "eta_cutoff", 0.0);
        for (String field : List.of("bad_words_ids", "sequence_bias", "guidance_scale", "forced_bos_token_id",
                "forced_eos_token_id", "suppress_tokens", "begin_suppress_tokens", "min_p",
                "exponential_decay_length_penalty", "watermarking_config", "constraints", "force_words_ids")) {
            JsonNode v = root.get(field);
            if (v != null && !v.isNull()) throw new IllegalArgumentException(field + " is set; it is not supported");
        }
        if (bool(root, "renormalize_logits", false)) throw new IllegalArgumentException("renormalize_logits=true is not supported");
        if (bool(root, "remove_invalid_values", false)) throw new IllegalArgumentException("remove_invalid_values=true is not supported");
    }

    private static void check(JsonNode root, String field, double neutral) {
        JsonNode v = root.get(field);
        if (v != null && !v.isNull() && v.asDouble() != neutral) {
            throw new IllegalArgumentException(field + "=" + v + " is not supported (only " + neutral + ")");
        }
    }

    /**
     * {@code top_k}: 50 when absent, but an explicit {@code null} turns the warper off (0), as
     * Hugging Face adds {@code TopKLogitsWarper} only for a top_k that is not None and not 0.
     */
    private static int topK(JsonNode root) {
        JsonNode v = root.get("top_k");
        if (v != null && v.isNull()) return 0;
        return integer(root, "top_k", 50, Integer.MIN_VALUE);
    }

    /** An integer field of at least {@code min}, {@code fallback} when absent or null. */
    private static int integer(JsonNode root, String field, int fallback, int min) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new IllegalArgumentException(field + " must be an integer, got " + v);
        if (v.intValue() < min) throw new IllegalArgumentException(field + " must be at least " + min + ", got " + v);
        return v.intValue();
    }

    private static boolean bool(JsonNode root, String field, boolean fallback) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) throw new IllegalArgumentException(field + " must be true or false, got " + v);
        return v.booleanValue();
    }

    private static double number(JsonNode root, String field, double fallback) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber()) throw new IllegalArgumentException(field + " must be a number, got " + v);
        return v.doubleValue();
    }

    private static int[] ids(JsonNode v) {
        if (v == null || v.isNull()) return new int[0];
        if (isId(v)) return new int[] {v.intValue()};
        if (!v.isArray()) throw new IllegalArgumentException("eos_token_id must be an id or a list of ids, got " + v);
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!isId(e)) throw new IllegalArgumentException("eos_token_id holds " + e + ", not a non-negative integer id");
            out.add(e.intValue());
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean isId(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0;
    }

    private static Object earlyStoppingValue(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isTextual()) return v.textValue();
        throw new IllegalArgumentException("early_stopping must be true, false or \"never\", got " + v);
    }

    /** {@code eos_token_id} as a list (a copy). */
    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }
}
