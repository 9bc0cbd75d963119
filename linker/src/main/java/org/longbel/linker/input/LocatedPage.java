package org.longbel.linker.input;

import org.longbel.linker.document.Page;

import java.util.List;

/**
 * A page read from a file and the line where it starts there, so that validation messages can point at it (two
 * pages may share an id).
 *
 * @param page the page
 * @param line the line of the file (from 1) where the page starts
 */
record LocatedPage(Page page, long line) {

    static List<Page> pages(List<LocatedPage> located) {
        return located.stream().map(LocatedPage::page).toList();
    }
}
