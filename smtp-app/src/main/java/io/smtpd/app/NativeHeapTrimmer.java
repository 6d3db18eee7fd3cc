package io.smtpd.app;

import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Returns the C heap that the JVM freed (JIT compiler arenas, mostly) to the operating system every
 * {@value #INTERVAL_MS} ms, as {@code -XX:TrimNativeHeapInterval} would: glibc keeps freed memory in its arenas, so
 * the compilations a burst of new connections triggers left 4-18 MB resident in an idle server. It runs the
 * diagnostic command {@code System.trim_native_heap} (HotSpot 17.0.9 and later; elsewhere it does nothing), which
 * costs well under a millisecond when there is little to give back. Part of {@link HeapTuning}: same switch
 * ({@code -Dsmtpd.heap.tuning=false}), and a {@code -XX:TrimNativeHeapInterval} on the command line wins.
 */
final class NativeHeapTrimmer {
    static final long INTERVAL_MS = 5_000;
    private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";
    private static final String OPERATION = "systemTrimNativeHeap";

    private NativeHeapTrimmer() {
    }

    /** Starts the daemon thread when the JVM has the command; returns whether it did. */
    static boolean start() {
        if (!HeapTuning.enabled() || !HeapTuning.isDefault("TrimNativeHeapInterval")) {
            return false;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName commands;
        String[] signature;
        try {
            commands = new ObjectName(DIAGNOSTIC_COMMANDS);
            signature = signatureOf(server, commands);
        } catch (JMException | RuntimeException unavailable) {
            return false;
        }
        if (signature == null) {
            return false;
        }
        Object[] arguments = signature.length == 0 ? new Object[0] : new Object[] {new String[0]};
        Thread trimmer = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(INTERVAL_MS);
                    server.invoke(commands, OPERATION, arguments, signature);
                }
            } catch (InterruptedException | JMException | RuntimeException stop) {
                // interrupted, or the command failed once: it would fail again
            }
        }, "smtpd-native-trim");
        trimmer.setDaemon(true);
        trimmer.start();
        return true;
    }

    /** The operation's parameter types, or null when this JVM has no such command. */
    private static String[] signatureOf(MBeanServer server, ObjectName commands) throws JMException {
        for (MBeanOperationInfo operation : server.getMBeanInfo(commands).getOperations()) {
            if (OPERATION.equals(operation.getName())) {
                var parameters = operation.getSignature();
                String[] types = new String[parameters.length];
                for (int i = 0; i < types.length; i++) {
                    types[i] = parameters[i].getType();
                }
                return types;
            }
        }
        return null;
    }
}
