package org.longbel.linker.synth;

/**
 * A mention chosen for a synthetic document, before it is placed in the text.
 *
 * @param concept the concept it names
 * @param name    the knowledge-base name written in the text
 * @param repeat  whether the document named the concept before
 */
record PlannedMention(ConceptPool.Concept concept, String name, boolean repeat) {
}
