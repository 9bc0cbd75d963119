package org.longbel.fuzz;

import org.longbel.kb.ConceptTable;

import java.util.Map;

/** Reads back everything a parsed {@link ConceptTable} holds, so that a table that parses but is inconsistent fails here. */
final class KbTables {
    private KbTables() {}

    /** Visits every group, name and code of {@code table} and checks the counts agree. */
    static void touch(ConceptTable table) {
        long entries = 0;
        for (String group : table.groups()) {
            if (group == null || group.isBlank()) throw new AssertionError("blank group in a parsed table");
            for (Map.Entry<String, String> e : table.names(group).entrySet()) {
                if (e.getKey().isBlank() || e.getValue().isBlank()) throw new AssertionError("blank name or code in group " + group + ": " + e);
                entries++;
            }
        }
        if (entries != table.size()) throw new AssertionError("size() " + table.size() + " but " + entries + " entries");
        if (table.conflictExamples().size() > Math.min(table.conflicts(), ConceptTable.MAX_CONFLICT_EXAMPLES)) {
            throw new AssertionError("more conflict examples than conflicts");
        }
    }
}
