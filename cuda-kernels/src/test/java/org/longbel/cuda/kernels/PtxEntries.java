package org.longbel.cuda.kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code .entry} declarations of a PTX text: parameter types and {@code .maxntid}. */
record PtxEntries(Map<String, Entry> entries) {

    record Entry(String name, List<String> paramTypes, int maxThreads) {}

    private static final Pattern ENTRY = Pattern.compile(
            "\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)\\s*(?:\\.maxntid\\s+(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+))?");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.(\\w+)\\s+\\w+");

    static PtxEntries parse(String ptx) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            List<String> types = new ArrayList<>();
            Matcher p = PARAM.matcher(m.group(2));
            while (p.find()) types.add(p.group(1));
            int maxThreads = m.group(3) == null ? 0
                    : Integer.parseInt(m.group(3)) * Integer.parseInt(m.group(4)) * Integer.parseInt(m.group(5));
            entries.put(m.group(1), new Entry(m.group(1), List.copyOf(types), maxThreads));
        }
        return new PtxEntries(entries);
    }
}
