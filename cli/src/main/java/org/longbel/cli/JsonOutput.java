package org.longbel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The CLI's JSON writing: one shared Jackson mapper, compact lines (JSON Lines, one result per line)
 * or indented documents (a single summary), printed on a command's stdout and flushed.
 */
final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter INDENTED = MAPPER.writerWithDefaultPrettyPrinter();

    private JsonOutput() {
    }

    /** A new, empty JSON object. */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new, empty JSON array. */
    static com.fasterxml.jackson.databind.node.ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** {@code value} as compact JSON on one line (no line terminator). */
    static String line(Object value) {
        return write(MAPPER.writer(), value);
    }

    /** {@code value} as indented JSON (no trailing line terminator). */
    static String indented(Object value) {
        return write(INDENTED, value);
    }

    /** Prints {@code value} as one compact line and flushes. */
    static void printLine(PrintWriter out, Object value) {
        out.println(line(value));
        out.flush();
    }

    /** Prints {@code value} as an indented document and flushes. */
    static void printIndented(PrintWriter out, Object value) {
        out.println(indented(value));
        out.flush();
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
