package org.longbel.fuzz;

import org.longbel.kb.KbException;
import org.longbel.kb.KnowledgeBase;

import java.nio.file.Path;

/**
 * Fuzz targets of the memory-mapped trie file ({@code longbel kb build} writes it): the file as given, and the
 * file resealed (payload length and CRC32C recomputed, see {@link TrieFiles#reseal}) so that mutations get past
 * the checksum into the metadata JSON and the mapped arrays, as a file from a buggy or hostile writer would. An
 * opened file is used: every group's trie is walked and its entries read back ({@link TrieFiles#walk}), because a
 * file with bad internal offsets that opens fine would only fail on use.
 */
class TrieFileFuzzTest {

    @ParserFuzz
    void file(byte[] data) throws Exception {
        openAndWalk(FuzzSupport.write("kb.trie", data));
    }

    @ParserFuzz
    void resealed(byte[] data) throws Exception {
        openAndWalk(FuzzSupport.write("kb.trie", TrieFiles.reseal(data)));
    }

    private static void openAndWalk(Path file) throws Exception {
        FuzzSupport.expect(KbException.class, file.toString(), () -> {
            try (KnowledgeBase kb = KnowledgeBase.open(file)) {
                TrieFiles.walk(kb);
            }
        });
    }
}
