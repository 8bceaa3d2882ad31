package org.referralbus.cli;

import java.io.Console;

/**
 * The terminal a person types at, if the command runs on one: a seam so that a test can type the answer to a question.
 * Scripts, pipes and tests have none, and a command that asks must then behave as it did before it asked.
 */
@FunctionalInterface
interface Terminal {

    /** Shows {@code prompt} and returns the line typed, or null at the end of input (Ctrl-D). */
    String readLine(String prompt);

    /**
     * This process's terminal, or null when there is none. {@code System.console()} is null on Java 17 when input or
     * output is redirected; from Java 22 it is not, and {@code Console.isTerminal()} (looked up by name, as this code is
     * built for 17) must then say so, or every script on a newer Java would be asked a question it cannot answer.
     */
    static Terminal ofThisProcess() {
        Console console = System.console();
        if (console == null || !isTerminal(console)) {
            return null;
        }
        return prompt -> console.readLine("%s", prompt);
    }

    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException before22) {
            return true; // Java 17 to 21: a console exists only on a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // unsure: no question, as before
        }
    }
}
