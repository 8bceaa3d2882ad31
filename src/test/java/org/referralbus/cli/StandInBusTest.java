package org.referralbus.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test against a stand-in bus ({@link BadLineBus}) in a folder of its own; the bus a test started is stopped after it. */
abstract class StandInBusTest {

    @TempDir
    Path work;

    /** Set by each test to the bus its script needs. */
    BadLineBus bus;

    @AfterEach
    void stopTheStandInBus() throws Exception {
        if (bus != null) {
            bus.close();
        }
    }
}
