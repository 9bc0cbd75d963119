package org.longbel.cli;

import org.longbel.linker.MentionResult;
import org.longbel.linker.output.Prediction;

import java.nio.file.Path;

/**
 * The mentions of a {@code link} run that got error records instead of predictions (a semantic group the knowledge
 * base lacks, a prompt longer than the model's context, a KV budget too small for one mention). The output stays
 * complete; the run then ends with {@link #EXIT_CODE} and one line that counts them and quotes the first.
 */
final class MentionErrors {

    /** Exit code of a run whose output is complete but holds error records. */
    static final int EXIT_CODE = 2;

    private int count;
    private String first;

    /** Counts {@code m} if its records carry an error. Called in output order, from one thread at a time. */
    synchronized void add(MentionResult m) {
        String error = m.predictions().isEmpty() ? null : m.predictions().getFirst().error();
        if (error == null) return;
        if (count++ == 0) {
            first = "document " + m.mention().docId() + ", mention " + m.mention().mentionId() + ": " + error;
        }
    }

    synchronized int count() {
        return count;
    }

    /** The one line for stderr (without the {@code longbel: } prefix), or null when there was no error. */
    synchronized String summary(Path input, Path output, int mentions) {
        if (count == 0) return null;
        return input + ": " + count + " of " + mentions + " mention(s) could not be linked (first: " + first
                + "); " + output + " is complete, their records carry an 'error' field";
    }
}
