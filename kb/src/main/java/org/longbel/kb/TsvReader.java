package org.longbel.kb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a tab-separated KB: {@code code<TAB>name<TAB>group}, one concept name per line. A first line
 * {@code code<TAB>name<TAB>group} (any case) is a header and skipped; blank lines are skipped.
 */
public final class TsvReader {
    private TsvReader() {}

    /** Reads {@code file} into a new table. */
    public static ConceptTable read(Path file) {
        ConceptTable.Builder table = new ConceptTable.Builder();
        String name = file.toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNr = 0;
            while ((line = in.readLine()) != null) {
                lineNr++;
                if (lineNr == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
                if (line.isBlank()) continue;
                if (lineNr == 1 && line.strip().equalsIgnoreCase("code\tname\tgroup")) continue;
                String[] f = line.split("\t", -1);
                if (f.length != 3) {
                    throw new KbException(name + ":" + lineNr + ": expected 3 tab-separated columns (code, name, group), found " + f.length);
                }
                if (f[1].isEmpty()) {
                    throw new KbException(name + ":" + lineNr + ": code \"" + f[0] + "\" has no name (column 2 is empty)");
                }
                if (f[0].isBlank()) {
                    throw new KbException(name + ":" + lineNr + ": name \"" + f[1] + "\" has no code (column 1 is empty)");
                }
                table.add(f[2], f[1], f[0], name, lineNr, 0);
            }
        } catch (CharacterCodingException e) {
            throw InvalidUtf8.in(file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read knowledge base " + name + ": " + e.getMessage(), e);
        }
        return table.build();
    }
}
