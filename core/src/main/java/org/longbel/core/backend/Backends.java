package org.longbel.core.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Chooses and opens the {@link Backend} a {@link BackendRequest} asks for: {@code cpu} is the {@link CpuBackend};
 * {@code cuda} is the provider registered for CUDA (an error saying why when there is none or it cannot run here);
 * {@code auto} takes CUDA when its provider says it is usable and the CPU otherwise, and says which and why in
 * {@link Choice#note()}.
 */
public final class Backends {

    private Backends() {
    }

    /** The backend opened and one line for the log saying what it is and, for {@code auto}, why it was chosen. */
    public record Choice(Backend backend, String note) {
    }

    /** Opens the backend of {@code request} from the providers on the class path. */
    public static Choice open(BackendRequest request) {
        return open(request, providers());
    }

    /** Opens the backend of {@code request}, looking only at {@code providers} (tests). */
    public static Choice open(BackendRequest request, List<BackendProvider> providers) {
        BackendProvider cuda = providers.stream().filter(p -> p.device() == Device.CUDA).findFirst().orElse(null);
        switch (request.device()) {
            case CPU -> {
                return cpu(request, "");
            }
            case CUDA -> {
                if (cuda == null) {
                    throw new IllegalStateException("--device cuda: no CUDA backend on the class path (the longbel-cuda-kernels jar "
                            + "is missing); use --device cpu");
                }
                String why = cuda.unavailableReason();
                if (why != null) throw new IllegalStateException("--device cuda: CUDA cannot be used here: " + why + "; use --device cpu or auto");
                Backend b = cuda.open(request);
                return new Choice(b, "device cuda: " + b.description());
            }
            default -> {
                String why = cuda == null ? "no CUDA backend on the class path" : cuda.unavailableReason();
                if (why == null) {
                    try {
                        Backend b = cuda.open(request);
                        return new Choice(b, "device auto -> cuda: " + b.description());
                    } catch (RuntimeException e) {
                        why = "CUDA failed to start: " + e.getMessage();
                    }
                }
                return cpu(request, "device auto -> cpu (" + why + ")");
            }
        }
    }

    private static Choice cpu(BackendRequest request, String prefix) {
        CpuBackend b = new CpuBackend(request.threads());
        String note = (prefix.isEmpty() ? "device cpu" : prefix) + ": " + b.description();
        if (request.precision() != Precision.FP32) note += "; --precision " + request.precision() + " applies to CUDA only, the CPU computes in fp32";
        return new Choice(b, note);
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> out = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(out::add);
        return out;
    }
}
