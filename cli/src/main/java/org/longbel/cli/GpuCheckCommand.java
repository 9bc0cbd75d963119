package org.longbel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.longbel.cuda.GpuCheck;
import picocli.CommandLine.Command;

/** {@code longbel gpu-check}: reports the CUDA driver and devices as JSON; exit 3 when no GPU is usable. */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = "Report the CUDA driver and GPUs visible to the JVM (exit 3 when none is usable).")
public final class GpuCheckCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        GpuCheck check = GpuCheck.run();
        System.out.println(new ObjectMapper().writeValueAsString(check));
        if (!check.available()) System.err.println("longbel: no usable GPU: " + check.reason());
        return check.available() ? 0 : 3;
    }
}
