package org.longbel.decoding;

/** Every token is allowed at every step. */
public final class Unconstrained implements Constraint {

    /** The shared instance (stateless). */
    public static final Unconstrained INSTANCE = new Unconstrained();

    private Unconstrained() {}

    @Override
    public int allowed(int[] prompt, int[] generated, int generatedLength, int[] out) {
        return ALL;
    }
}
