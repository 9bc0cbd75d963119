package org.longbel.cuda.blas;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Opens the {@link Gemm} implementation that works on this machine. */
public final class Gemms {
    private Gemms() {}

    private static volatile String lastReport = "";

    /**
     * Opens the first implementation that loads, binding it to {@code stream} (raw CUstream address,
     * 0 = default stream): with preference auto, JCublas (CUDA 12) then the FFM binding (CUDA 13 or 12).
     * {@link #lastReport()} then says which was chosen and why the others were refused.
     *
     * @throws GemmUnavailableException listing why each was refused and where it looked
     */
    public static Gemm open(long stream, GemmSearch search) {
        Objects.requireNonNull(search, "search");
        List<String> refused = new ArrayList<>();
        boolean jcublas = search.preference() != GemmSearch.Preference.FFM;
        boolean ffm = search.preference() != GemmSearch.Preference.JCUBLAS;
        if (jcublas) {
            try {
                return chosen(JCublasGemm.open(stream, search), refused);
            } catch (RuntimeException | LinkageError e) {
                refused.add("JCublas refused: " + CublasLibrary.firstLine(e.getMessage()));
            }
        }
        if (ffm) {
            try {
                return chosen(FfmCublasGemm.open(stream, search), refused);
            } catch (RuntimeException | LinkageError e) {
                refused.add("FFM cuBLAS refused: " + CublasLibrary.firstLine(e.getMessage()));
            }
        }
        List<String> names = new ArrayList<>();
        if (jcublas) names.add(JCublasGemm.LIBRARY);
        if (ffm) for (String n : FfmCublasGemm.NAMES) if (!names.contains(n)) names.add(n);
        String message = "no cuBLAS GEMM could be opened (preference " + search.preference().name().toLowerCase()
                + "): " + String.join("; ", refused) + ". " + CublasLibrary.whereLooked(search, names)
                + ". Set " + GemmSearch.LIBPATH_ENV + " (or -D" + GemmSearch.LIBPATH_PROPERTY
                + ") to the directory holding libcublas.";
        lastReport = message;
        throw new GemmUnavailableException(message, refused);
    }

    /** Opens with {@link GemmSearch#defaults()}. */
    public static Gemm open(long stream) {
        return open(stream, GemmSearch.defaults());
    }

    /**
     * The outcome of the last {@link #open} in this JVM, for the log: "cuBLAS: &lt;description&gt;" followed
     * by " — JCublas refused: ..." for each refused implementation, or the failure message; "" before any.
     */
    public static String lastReport() {
        return lastReport;
    }

    private static Gemm chosen(Gemm gemm, List<String> refused) {
        lastReport = "cuBLAS: " + gemm.description() + (refused.isEmpty() ? "" : " — " + String.join("; ", refused));
        return gemm;
    }
}
