package org.longbel.core.kv;

/**
 * Where the rows of one forward read and write the KV store: row r is at {@code positions[r]} of a sequence
 * whose block table is {@code slots[rowTable[r] ..]} (position p is in block {@code slots[rowTable[r] + p / blockSize]},
 * at slot {@code p % blockSize} of it). Rows of one sequence share one table. Made by {@link PagedKvCache#batch}
 * once per forward and handed to the backend's {@code writeKv} and {@code attention} for every layer.
 *
 * @param positions position of each row
 * @param rowTable  start, in {@code slots}, of each row's block table
 * @param slots     the block tables of the forward's sequences, one after the other
 * @param layout    the layout of the blocks
 */
public record KvBatch(int[] positions, int[] rowTable, int[] slots, KvLayout layout) {

    public KvBatch {
        if (positions.length != rowTable.length) {
            throw new IllegalArgumentException(positions.length + " positions but " + rowTable.length + " row tables");
        }
    }

    /** Rows of the forward. */
    public int rows() { return positions.length; }

    /** The storage slot of the block that holds position {@code position} of row {@code row}'s sequence. */
    public int block(int row, int position) { return slots[rowTable[row] + position / layout.blockSize()]; }
}
