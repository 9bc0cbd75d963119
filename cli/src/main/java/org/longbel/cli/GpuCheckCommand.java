package org.longbel.cli;

import java.util.concurrent.Callable;
import org.longbel.cuda.GpuCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code longbel gpu-check}: reports the CUDA driver and devices as JSON; exit 3 when no GPU is usable. */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = "Report the CUDA driver and GPUs visible to the JVM (exit 3 when none is usable).")
public final class GpuCheckCommand implements Callable<Integer> {

    /** Exit code when no GPU is usable. */
    static final int NO_GPU = 3;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        GpuCheck check = GpuCheck.run();
        JsonOutput.printLine(common.out(), check);
        if (check.available()) return 0;
        common.err().println("longbel: no usable GPU: " + check.reason());
        common.err().flush();
        return NO_GPU;
    }
}
