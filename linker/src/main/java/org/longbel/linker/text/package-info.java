/**
 * Python string semantics the reference relies on ({@code str.isspace}, {@code strip}, slicing by
 * code point) and the reference's text cleaning.
 */
package org.longbel.linker.text;
