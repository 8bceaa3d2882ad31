package org.referralbus.dedupe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Implementation note: every key is HMAC-SHA256 under the bus's person-key secret over the key kind and the
 * normalised attributes, joined by U+001F (which normalisation never leaves in a name). Without the secret a
 * stored key cannot be tested against a guessed name, so the table of keys reveals nobody; with it, only the bus
 * can compute keys. Rotating the secret ends all linking to cases keyed before the rotation.
 */
final class PersonKeyScheme {

    private static final String SEPARATOR = "\u001f";

    private final SecretKeySpec secret;

    PersonKeyScheme(byte[] secret) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
    }

    PersonKeys keysFor(PersonIdentity person) {
        // Both fields get the family-name treatment: agencies swap them, and endings are stripped alike on both sides.
        String given = NameNormaliser.name(person.givenName());
        String family = NameNormaliser.name(person.familyName());
        String names = pair(given, family);
        String skeletons = pair(NameNormaliser.skeleton(given), NameNormaliser.skeleton(family));
        String patronymic = NameNormaliser.patronymic(person.patronymic());
        String sex = switch (person.sex()) {
            case FEMALE -> "F";
            case MALE -> "M";
            case OTHER, UNKNOWN -> "U";
        };
        List<Integer> years = person.birthYears();
        Set<Integer> probeYears = new TreeSet<>();
        years.forEach(y -> probeYears.addAll(List.of(y - 1, y, y + 1)));
        Map<String, KeyKind> stored = new LinkedHashMap<>();
        Map<String, KeyKind> probes = new LinkedHashMap<>();
        for (int y : probeYears) {
            Map<String, KeyKind> target = new LinkedHashMap<>();
            String yy = Integer.toString(y);
            put(target, KeyKind.NAME, names, sex, yy);
            put(target, KeyKind.SKELETON, skeletons, sex, yy);
            if (patronymic != null) {
                put(target, KeyKind.PATRONYMIC, skeletons, NameNormaliser.skeleton(patronymic), sex, yy);
                put(target, KeyKind.PATRONYMIC_KNOWN, skeletons, sex, yy);
            }
            if (person.birthDate() != null) {
                put(target, KeyKind.BIRTH_DATE_KNOWN, skeletons, sex, yy);
            }
            probes.putAll(target);
            if (years.contains(y)) {
                stored.putAll(target);
            }
        }
        if (person.birthDate() != null) {
            put(stored, KeyKind.BIRTH_DATE, skeletons, sex, person.birthDate().toString());
            put(probes, KeyKind.BIRTH_DATE, skeletons, sex, person.birthDate().toString());
        }
        return new PersonKeys(Map.copyOf(stored), Map.copyOf(probes));
    }

    private void put(Map<String, KeyKind> target, KeyKind kind, String... parts) {
        target.put(hmac(kind, parts), kind);
    }

    private String hmac(KeyKind kind, String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            String input = String.join(SEPARATOR, Stream.concat(Stream.of(kind.name()), Stream.of(parts)).toList());
            return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Given and family name as an unordered pair: agencies swap the two fields. */
    private static String pair(String a, String b) {
        List<String> sorted = Stream.of(a, b).sorted().toList();
        return sorted.get(0) + "/" + sorted.get(1);
    }
}
