package org.longbel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.longbel.core.backend.CpuBackend;
import org.longbel.cuda.GpuCheck;

/** The GPU check's numerical comparisons, run here on the CPU so that their logic is tested without a GPU. */
class GpuCheckCommandTest {

    private static final Path FIXTURES = CliRun.fixtures();

    @Test
    void theGoldenCheckPassesOnTheCpuForBothFixtureModels() throws Exception {
        for (String model : new String[] {"tiny-llama32", "tiny-mha-untied"}) {
            GpuParity.Result r = GpuParity.golden(FIXTURES, model, () -> new CpuBackend(2), "cpu", 1e-3);
            assertEquals(model.equals("tiny-llama32") ? 640 : 200, r.positions(), model);
            assertEquals(1.0, r.agreement(), model + ": every position's top-5 ids");
            assertTrue(r.maxDelta() < 1e-3, model + ": " + r.maxDelta());
            assertTrue(r.passed());
        }
    }

    @Test
    void theGoldenCheckFailsWhenTheToleranceIsTooTight() throws Exception {
        GpuParity.Result r = GpuParity.golden(FIXTURES, "tiny-mha-untied", () -> new CpuBackend(1), "cpu", 1e-12);
        assertTrue(r.maxDelta() > 1e-12 && !r.passed(), "float32 rounding is visible against float64: " + r.maxDelta());
    }

    @Test
    void twoCpuBackendsAgreeBitForBit() {
        GpuParity.Result r = GpuParity.cpuVs(FIXTURES.resolve("models/tiny-llama32"), 48, () -> new CpuBackend(1), "cpu(1)", 1e-3, 2);
        assertEquals(1.0, r.agreement());
        assertEquals(0.0, r.maxDelta(), "the CPU forward does not depend on the thread count");
        StringWriter text = new StringWriter();
        GpuCheckCommand.printTable(new PrintWriter(text), List.of(r));
        assertTrue(text.toString().contains("| cpu vs cpu(1) tiny-llama32 (top-1 id)"), text.toString());
        assertTrue(text.toString().strip().endsWith("yes |"), text.toString());
    }

    @Test
    void withoutAGpuTheCheckExitsThreeWithTheReason() {
        assumeFalse(GpuCheck.run().available(), "a GPU is present");
        CliRun run = CliRun.of("gpu-check", "--fixtures", FIXTURES.toString());
        assertEquals(GpuCheckCommand.NO_GPU, run.exitCode());
        assertTrue(run.err().contains("no usable GPU: no CUDA driver library (libcuda.so.1)"), run.err());
    }

    @Test
    void deviceCudaIsAClearErrorWithoutAGpuAndAutoSaysItChoseTheCpu() {
        assumeFalse(GpuCheck.run().available(), "a GPU is present");
        String model = FIXTURES.resolve("models/tiny-llama32").toString();
        CliRun cuda = CliRun.of("logprobs", "--model", model, "--ids", "128000,58", "--device", "cuda");
        assertEquals(1, cuda.exitCode());
        assertTrue(cuda.err().strip().startsWith("longbel: --device cuda: CUDA cannot be used here: no CUDA driver library (libcuda.so.1)"),
                cuda.err());
        CliRun auto = CliRun.of("logprobs", "--model", model, "--ids", "128000,58", "--device", "auto");
        assertEquals(0, auto.exitCode(), auto.err());
        assertTrue(auto.err().contains("longbel: device auto -> cpu (no CUDA driver library"), auto.err());
        CliRun bad = CliRun.of("logprobs", "--model", model, "--ids", "1", "--device", "gpu");
        assertEquals("longbel: unknown device 'gpu': use cpu, cuda or auto", bad.err().strip());
    }
}
