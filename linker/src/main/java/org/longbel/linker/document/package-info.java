/**
 * The document model the linker works on: BigBio-KB-like pages with passages and entities, in
 * document (code point) coordinates, whatever input format they were read from.
 */
package org.longbel.linker.document;
