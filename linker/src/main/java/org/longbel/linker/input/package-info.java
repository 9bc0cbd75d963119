/**
 * Readers that turn input files into {@link org.longbel.linker.document.Page}s: BigBio-KB-like JSON
 * (an array or JSON Lines) and PubTator (MedMentions), plus semantic-type to semantic-group mapping
 * and validation with messages that name file, line, document, entity and field.
 */
package org.longbel.linker.input;
