package org.longbel.linker;

/**
 * The KV cache of a {@link LongBel} handle as its scheduler last saw it ({@link LongBel#kvUsage()}). Once every
 * {@code sample} call on the handle has returned, normally or not, nothing is in use: zero bytes, zero sequences.
 *
 * @param bytesInUse  bytes of the blocks that sequences hold (blocks kept only for prefix reuse are not in use)
 * @param sequences   sequences not yet freed (a mention's prompt while it prefills, one per beam while it decodes)
 * @param budgetBytes the handle's KV budget
 */
public record KvUsage(long bytesInUse, int sequences, long budgetBytes) {
}
