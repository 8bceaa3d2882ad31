package org.referralbus.validation;

/**
 * One schema violation, as returned to the sender in the problem details. The message is the parser's and may
 * quote the sender's own content: it goes back to the sender only, never to a log or the audit trail.
 */
public record Violation(int line, int column, String message) {
}
