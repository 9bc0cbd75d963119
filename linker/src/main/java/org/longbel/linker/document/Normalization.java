package org.longbel.linker.document;

/**
 * One {@code normalized} entry of an entity: the gold concept.
 *
 * @param dbName  {@code db_name} (e.g. UMLS), may be null
 * @param dbId    {@code db_id}: the concept code (a composite code joins codes with {@code +})
 * @param dbMatch {@code db_match}: the concept name, null when absent
 */
public record Normalization(String dbName, String dbId, String dbMatch) {
}
