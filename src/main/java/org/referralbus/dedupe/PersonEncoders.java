package org.referralbus.dedupe;

import java.util.List;

/**
 * The encoder under the current person-key secret, which makes every new encoding, and during a rotation the one under
 * the previous secret, which only reads: a person referred before the rotation is still found, and the new referral's
 * encodings (under the current secret) carry the case on. Once the person window has passed since the rotation, no
 * encoding of the previous key is left and the previous secret can be removed (docs/linking.md, "Rotating the secret").
 */
record PersonEncoders(PersonEncoder current, PersonEncoder previous) {

    List<PersonEncoder> all() {
        return previous == null ? List.of(current) : List.of(current, previous);
    }
}
