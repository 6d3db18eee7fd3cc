package io.smtpd.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

class NativeHeapTrimmerTest {

    @Test
    void startsATrimmerThreadExactlyWhenTheJvmHasTheCommand() throws Exception {
        boolean jvmHasIt = Arrays.stream(ManagementFactory.getPlatformMBeanServer()
                .getMBeanInfo(new ObjectName("com.sun.management:type=DiagnosticCommand")).getOperations())
                .anyMatch(o -> o.getName().equals("systemTrimNativeHeap"));

        System.setProperty(HeapTuning.DISABLE_PROPERTY, "false");
        try {
            assertFalse(NativeHeapTrimmer.start(), "switched off");
        } finally {
            System.clearProperty(HeapTuning.DISABLE_PROPERTY);
        }
        assertEquals(jvmHasIt, NativeHeapTrimmer.start());
        assertEquals(jvmHasIt, Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("smtpd-native-trim") && t.isDaemon()));
    }
}
