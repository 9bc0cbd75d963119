package org.longbel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.longbel.core.backend.Precision;
import org.longbel.cuda.GpuCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longbel gpu-check}: reports the CUDA driver and devices as JSON (exit 3 when no GPU is usable); with
 * {@code --fixtures} and/or {@code --compare-model} it also runs the CUDA forward against the golden fixtures and
 * against the CPU forward, prints a table, and exits 4 when a check fails. {@code scripts/gpu-check.sh} runs it
 * on a GPU machine.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = "Report the CUDA driver and GPUs visible to the JVM (exit 3 when none is usable); optionally check the "
                + "CUDA forward against the golden fixtures and the CPU (exit 4 when a check fails).")
public final class GpuCheckCommand implements Callable<Integer> {

    /** Exit code when no GPU is usable. */
    static final int NO_GPU = 3;
    /** Exit code when a numerical check fails. */
    static final int CHECK_FAILED = 4;

    @Option(names = "--fixtures", paramLabel = "DIR", description = "The shared fixtures folder: check the CUDA forward of "
            + "each tiny checkpoint against its float64 golden log-probs (fp32: 1e-3).")
    Path fixtures;

    @Option(names = "--compare-model", paramLabel = "DIR", description = "A checkpoint (e.g. random weights of the 1B shape): "
            + "compare the CUDA forward with the CPU forward (top-1 agreement >= 99%; |delta log-prob| <= 1e-3 fp32, 2e-2 bf16).")
    Path compareModel;

    @Option(names = "--tokens", defaultValue = "256", paramLabel = "N", description = "Prompt length of --compare-model (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads of the CPU side of --compare-model (default: all processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        GpuCheck check = GpuCheck.run();
        JsonOutput.printLine(common.out(), check);
        if (!check.available()) {
            common.err().println("longbel: no usable GPU: " + check.reason());
            common.err().flush();
            return NO_GPU;
        }
        if (fixtures == null && compareModel == null) return 0;
        List<GpuParity.Result> results = new ArrayList<>();
        if (fixtures != null) {
            for (String model : new String[] {"tiny-llama32", "tiny-mha-untied"}) {
                results.add(GpuParity.golden(fixtures, model, Precision.FP32, 1e-3));
            }
        }
        if (compareModel != null) {
            results.add(GpuParity.cpuVsCuda(compareModel, tokens, Precision.FP32, 1e-3, threads));
            results.add(GpuParity.cpuVsCuda(compareModel, tokens, Precision.BF16, 2e-2, threads));
        }
        printTable(common.out(), results);
        return results.stream().allMatch(GpuParity.Result::passed) ? 0 : CHECK_FAILED;
    }

    static void printTable(PrintWriter out, List<GpuParity.Result> results) {
        out.printf(Locale.ROOT, "| %-52s | %9s | %9s | %12s | %9s | %4s |%n", "check", "positions", "agreement", "max |delta|",
                "tolerance", "ok");
        out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%n", "-".repeat(54), "-".repeat(11), "-".repeat(11), "-".repeat(14),
                "-".repeat(11), "-".repeat(6));
        for (GpuParity.Result r : results) {
            out.printf(Locale.ROOT, "| %-52s | %9d | %8.2f%% | %12.2e | %9.0e | %4s |%n", r.check(), r.positions(),
                    100 * r.agreement(), r.maxDelta(), r.tolerance(), r.passed() ? "yes" : "NO");
        }
        out.flush();
    }
}
