package org.referralbus.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One run of the command line in this JVM, as a clerk would type it: exit code and everything printed. */
record CommandRun(int exit, String output) {

    /** Runs {@code args} against the bus at {@code bus} (adds {@code --bus} unless asking for help or bus is null). */
    static CommandRun at(String bus, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (bus != null && !all.contains("--help")) {
            all.add("--bus");
            all.add(bus);
        }
        return offline(all.toArray(String[]::new));
    }

    /** Runs a command that talks to no bus. */
    static CommandRun offline(String... args) {
        StringWriter out = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(out), args);
        return new CommandRun(exit, out.toString());
    }
}
