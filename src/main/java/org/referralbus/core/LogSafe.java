package org.referralbus.core;

/**
 * Values that came from outside (message properties, certificate fields, client addresses) made safe for one log
 * line: control characters (newlines above all, which would forge a second line) become {@code ?}, and the value
 * is cut at 120 characters.
 */
public final class LogSafe {

    private static final int MAX = 120;

    private LogSafe() {
    }

    public static String value(Object raw) {
        if (raw == null) {
            return "null";
        }
        String text = raw.toString();
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX));
        for (int i = 0; i < text.length() && safe.length() < MAX; i++) {
            char c = text.charAt(i);
            safe.append(Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR ? '?' : c);
        }
        return text.length() > MAX ? safe + "…" : safe.toString();
    }
}
