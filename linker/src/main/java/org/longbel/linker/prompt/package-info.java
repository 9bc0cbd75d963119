/**
 * The input side of the reference's quirks: pages to mentions with marked contexts (reference
 * spec §2), prompts (§3) and the per-document memory (§4). Each quirk is named where it is
 * reproduced.
 */
package org.longbel.linker.prompt;
