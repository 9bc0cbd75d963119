package org.longbel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.longbel.core.Checkpoint;
import org.longbel.core.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code longbel inspect --model DIR}: opens a checkpoint (config + memory-mapped weights, fully
 * validated) and prints its shape as JSON.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Validate a checkpoint directory and print its configuration, parameter count and dtype as JSON.")
public final class InspectCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face checkpoint directory (config.json + model.safetensors or sharded index).")
    Path model;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        try (Checkpoint ckpt = Checkpoint.open(model)) {
            double openMs = (System.nanoTime() - start) / 1e6;
            JsonOutput.printIndented(common.out(), describe(ckpt, openMs));
            return 0;
        }
    }

    /** The JSON description of an open checkpoint. */
    static ObjectNode describe(Checkpoint ckpt, double openMs) {
        ModelConfig c = ckpt.config();
        ObjectNode n = JsonOutput.object();
        n.put("model", ckpt.dir().toAbsolutePath().normalize().toString());
        n.put("model_type", c.modelType());
        n.put("layers", c.numLayers());
        n.put("hidden", c.hiddenSize());
        n.put("intermediate", c.intermediateSize());
        n.put("heads", c.numHeads());
        n.put("kv_heads", c.numKvHeads());
        n.put("head_dim", c.headDim());
        n.put("vocab", c.vocabSize());
        n.put("parameters", ckpt.parameterCount());
        n.put("dtype", ckpt.dtypeSummary());
        ObjectNode byDtype = n.putObject("parameters_by_dtype");
        ckpt.parameterCountByDType().forEach((dtype, count) -> byDtype.put(dtype.name(), count));
        n.put("tied", c.tieWordEmbeddings());
        var notices = n.putArray("notices");   // what the loader tolerated and ignored, as Hugging Face does
        ckpt.notices().forEach(notices::add);
        ObjectNode rope = n.putObject("rope");
        rope.put("theta", c.rope().theta());
        rope.put("type", c.rope().type());
        if (c.rope().isLlama3()) {
            rope.put("factor", c.rope().factor());
            rope.put("low_freq_factor", c.rope().lowFreqFactor());
            rope.put("high_freq_factor", c.rope().highFreqFactor());
            rope.put("original_max_position_embeddings", c.rope().originalMaxPositions());
        }
        n.put("rms_norm_eps", Double.parseDouble(Float.toString(c.rmsNormEps())));
        n.put("max_position_embeddings", c.maxPositions());
        n.put("bos_token_id", c.bosTokenId());
        var eos = n.putArray("eos_token_ids");
        for (int id : c.eosTokenIds()) eos.add(id);
        n.put("bytes_mapped", ckpt.bytesMapped());
        var files = n.putArray("files");
        ckpt.files().forEach(f -> files.add(f.getFileName().toString()));
        n.put("open_ms", Math.round(openMs * 10) / 10.0);
        return n;
    }
}
