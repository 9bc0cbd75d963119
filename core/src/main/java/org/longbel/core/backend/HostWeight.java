package org.longbel.core.backend;

import org.longbel.core.Tensor;

/** The CPU's {@link Weight}: the checkpoint tensor, read in place from its mapping. */
record HostWeight(Tensor tensor) implements Weight {
}
