package io.smtpd.app;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Makes the JVM of {@code smtp-server.jar} give heap back to the operating system when the server is idle.
 *
 * <p>A burst of connections makes G1 touch (and keep resident) young-generation pages it no longer needs once the
 * sessions sit idle: with the defaults an idle connection costs ~10 KB of RSS of which only ~3 KB is live heap.
 * Lower heap-free ratios let a GC shrink the heap to what is live, and a periodic GC lets an idle server get there
 * without any allocation to trigger one. These HotSpot flags are "manageable", so they are set at run time through
 * the HotSpot diagnostic MBean: {@code java -jar} cannot carry JVM options. A flag given on the command line
 * ({@code -XX:MaxHeapFreeRatio=...}) is left alone, and {@code -Dsmtpd.heap.tuning=false} turns all of this off.
 * Only the runnable server does this; as a library or in Karaf the JVM belongs to its owner. The C heap is
 * {@link NativeHeapTrimmer}'s.
 */
final class HeapTuning {
    static final String DISABLE_PROPERTY = "smtpd.heap.tuning";
    private static final String DIAGNOSTIC_MBEAN = "com.sun.management:type=HotSpotDiagnostic";

    /** Flag name and value, in the order they must be set (the minimum ratio may not exceed the maximum). */
    static final String[][] SETTINGS = {
        {"MinHeapFreeRatio", "10"},
        {"MaxHeapFreeRatio", "20"},
        {"G1PeriodicGCInterval", "300000"}, // ms: a concurrent cycle after 5 idle minutes without a GC
    };

    private HeapTuning() {
    }

    /** Applies the settings whose flags still have their default value; returns "flag=value" of each one set. */
    static List<String> apply() {
        List<String> applied = new ArrayList<>();
        if (!enabled()) {
            return applied;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (String[] setting : SETTINGS) {
            try {
                ObjectName diagnostic = new ObjectName(DIAGNOSTIC_MBEAN);
                if (isDefault(server, diagnostic, setting[0])) {
                    server.invoke(diagnostic, "setVMOption", new Object[] {setting[0], setting[1]},
                            new String[] {String.class.getName(), String.class.getName()});
                    applied.add(setting[0] + "=" + setting[1]);
                }
            } catch (JMException | RuntimeException refused) {
                // not HotSpot, a flag this JVM lacks, or a value it refuses (a ratio set on the command line)
            }
        }
        return applied;
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY, "true"));
    }

    /** Whether the HotSpot flag still has its default value (false when unknown or not HotSpot). */
    static boolean isDefault(String flag) {
        try {
            return isDefault(ManagementFactory.getPlatformMBeanServer(), new ObjectName(DIAGNOSTIC_MBEAN), flag);
        } catch (JMException | RuntimeException unknown) {
            return false;
        }
    }

    private static boolean isDefault(MBeanServer server, ObjectName diagnostic, String flag) throws JMException {
        CompositeData option = (CompositeData) server.invoke(diagnostic, "getVMOption", new Object[] {flag},
                new String[] {String.class.getName()});
        return "DEFAULT".equals(String.valueOf(option.get("origin")));
    }
}
