package org.longbel.kb;

import java.util.List;

/** A query for a semantic group the knowledge base does not hold; the message lists the known groups. */
public final class UnknownGroupException extends KbException {
    private final String group;

    /** The exception for a query for {@code group}, listing {@code knownGroups} in its message. */
    public UnknownGroupException(String group, List<String> knownGroups) {
        super("unknown semantic group \"" + group + "\"; the knowledge base has " + knownGroups.size()
                + " groups: " + String.join(", ", knownGroups.stream().map(g -> "\"" + g + "\"").toList()));
        this.group = group;
    }

    /** The group that was asked for. */
    public String group() {
        return group;
    }
}
