/**
 * The paged key/value cache: {@link org.longbel.core.kv.PagedKvCache} keeps every sequence as a table of
 * fixed-size, reference-counted blocks of float32 keys and values (all layers of a token range in one block),
 * so forks share their prefix and copy only a shared, partially filled last block when they next write.
 */
package org.longbel.core.kv;
