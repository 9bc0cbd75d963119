/**
 * The output side: finished hypotheses to ranked {@link org.longbel.linker.output.Prediction}
 * records (reference spec §6), the trie-leaf name/code (default) and the reference's text parse and
 * score ({@code --reference-compat}), and the JSON Lines form of the records.
 */
package org.longbel.linker.output;
