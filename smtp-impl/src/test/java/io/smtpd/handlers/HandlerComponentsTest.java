package io.smtpd.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.smtpd.api.HookResult;
import org.junit.jupiter.api.Test;

class HandlerComponentsTest {
    /** bnd writes the DS descriptors while Maven processes the classes; they are what SCR reads. */
    private static String descriptor(Class<?> component) throws IOException {
        String path = "OSGI-INF/" + component.getName() + ".xml";
        try (InputStream in = component.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path + " (bnd writes it when Maven processes the classes)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void registersSinkAsAHandlerNamedSink() throws IOException {
        String xml = descriptor(SinkComponent.class);

        assertTrue(xml.contains("<property name=\"smtp.handler.name\" type=\"String\" value=\"sink\"/>"), xml);
        assertTrue(xml.contains("<provide interface=\"io.smtpd.api.Handler\"/>"), xml);
    }

    @Test
    void registersDebuggingAsAHandlerNamedDebugging() throws IOException {
        String xml = descriptor(DebuggingComponent.class);

        assertTrue(xml.contains("<property name=\"smtp.handler.name\" type=\"String\" value=\"debugging\"/>"), xml);
        assertTrue(xml.contains("<provide interface=\"io.smtpd.api.Handler\"/>"), xml);
    }

    @Test
    void sinkComponentAccepts() {
        assertSame(HookResult.proceed(), new SinkComponent().handleData(TestSession.from("127.0.0.1"),
                TestEnvelope.of("a@example.com", List.of("b@example.com"), "Subject: x\r\n\r\nbody\r\n")));
    }

    @Test
    void debuggingComponentPrintsToStandardOutput() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, false, StandardCharsets.UTF_8));
            HookResult result = new DebuggingComponent().handleData(TestSession.from("127.0.0.1"),
                    TestEnvelope.of("a@example.com", List.of("b@example.com"), "Subject: x\r\n\r\nbody\r\n"));
            assertSame(HookResult.proceed(), result);
        } finally {
            System.setOut(original);
        }
        String eol = System.lineSeparator();
        assertEquals(String.join(eol, Debugging.HEADER, "Subject: x", "X-Peer: 127.0.0.1", "", "body",
                Debugging.FOOTER) + eol, printed.toString(StandardCharsets.UTF_8));
    }
}
