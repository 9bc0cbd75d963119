/**
 * A seeded, deterministic generator of synthetic documents shaped like MedMentions ST21pv (PubMed title
 * + abstract, about 200-250 words, 20-45 annotated mentions, about 40% of a document's mentions naming a
 * concept it already named), with mention names and codes taken from a knowledge base. Made for
 * benchmarking the linker at the real model's shape: the length of the text, the number of mentions,
 * where they lie and how often concepts repeat (which fills the document memory) follow the corpus; the
 * words between the mentions are filler. Entry point: {@link org.longbel.linker.synth.SyntheticCorpus}.
 */
package org.longbel.linker.synth;
