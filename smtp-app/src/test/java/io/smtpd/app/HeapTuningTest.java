package io.smtpd.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/** Runs in the test JVM, which starts with HotSpot's default heap-free ratios (the surefire argLine sets none). */
class HeapTuningTest {
    private final HotSpotDiagnosticMXBean diagnostic =
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void setsEachFlagStillAtItsDefaultOnceAndNeverAFlagSetElsewhere() {
        System.setProperty(HeapTuning.DISABLE_PROPERTY, "false");
        try {
            assertEquals(List.of(), HeapTuning.apply(), "switched off");
        } finally {
            System.clearProperty(HeapTuning.DISABLE_PROPERTY);
        }

        boolean fresh = diagnostic.getVMOption("MaxHeapFreeRatio").getOrigin() == VMOption.Origin.DEFAULT;
        List<String> applied = HeapTuning.apply();
        if (fresh) {
            assertEquals(List.of("MinHeapFreeRatio=10", "MaxHeapFreeRatio=20", "G1PeriodicGCInterval=300000"), applied);
        }
        for (String[] setting : HeapTuning.SETTINGS) {
            VMOption option = diagnostic.getVMOption(setting[0]);
            assertEquals(setting[1], option.getValue(), setting[0]);
            assertTrue(option.getOrigin() != VMOption.Origin.DEFAULT);
        }
        assertEquals(List.of(), HeapTuning.apply(), "a flag no longer at its default is left alone");
    }
}
