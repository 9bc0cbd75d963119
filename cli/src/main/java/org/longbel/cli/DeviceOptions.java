package org.longbel.cli;

import java.io.PrintWriter;
import org.longbel.core.backend.BackendRequest;
import org.longbel.core.backend.Backends;
import org.longbel.core.backend.Device;
import org.longbel.core.backend.Precision;
import picocli.CommandLine.Option;

/**
 * {@code --device} and {@code --precision}, mixed into every command that runs the model with
 * {@code @Mixin DeviceOptions device;}.
 */
final class DeviceOptions {

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda|auto",
            description = "Where the model runs: cpu, cuda (an NVIDIA GPU; an error when none is usable), or auto (CUDA when "
                    + "usable, else the CPU; the choice and its reason are printed) (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "Activations entering the GPU's matrix products; accumulation is fp32 either way, and the CPU "
                    + "always computes fp32 (default: ${DEFAULT-VALUE}).")
    String precision;

    Device device() { return Device.parse(device); }

    Precision precision() { return Precision.parse(precision); }

    /** Opens the backend these options ask for with {@code threads} CPU threads and prints which one on {@code err}. */
    Backends.Choice open(int threads, PrintWriter err) {
        Backends.Choice choice = Backends.open(new BackendRequest(device(), threads, precision()));
        note(err, choice.note());
        return choice;
    }

    /** Prints the device line on stderr when it says more than the default CPU. */
    static void note(PrintWriter err, String note) {
        if (!note.startsWith("device cpu:")) {
            err.println("longbel: " + note);
            err.flush();
        }
    }
}
