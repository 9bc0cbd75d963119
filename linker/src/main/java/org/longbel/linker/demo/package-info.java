/**
 * The self-contained demo: a small random checkpoint generated on first use with the project's own
 * generator, the bundled LongBEL tokenizer, and the model card's example document and concepts.
 */
package org.longbel.linker.demo;
