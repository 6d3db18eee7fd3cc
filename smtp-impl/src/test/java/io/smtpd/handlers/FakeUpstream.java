package io.smtpd.handlers;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An SMTP server on 127.0.0.1 for the relay tests: it answers with configurable replies and records each
 * connection's commands and DATA, as received on the wire and dot-unstuffed.
 */
final class FakeUpstream implements AutoCloseable {
    /** What one connection received; recorded when the connection ends. */
    record Conversation(List<String> commands, byte[] wireData, byte[] data) {
        String command(String verb) {
            return commands.stream().filter(c -> c.toUpperCase(Locale.ROOT).startsWith(verb)).findFirst()
                    .orElse(null);
        }

        List<String> commands(String verb) {
            return commands.stream().filter(c -> c.toUpperCase(Locale.ROOT).startsWith(verb)).toList();
        }

        String dataText() {
            return data == null ? null : new String(data, StandardCharsets.UTF_8);
        }
    }

    enum Behaviour { NORMAL, SILENT, STOP_READING_AFTER_354 }

    volatile Behaviour behaviour = Behaviour.NORMAL;
    volatile String greeting = "220 upstream.test ESMTP";
    volatile List<String> ehloLines = List.of("upstream.test", "8BITMIME", "SMTPUTF8", "PIPELINING");
    volatile String ehloFailure;
    volatile String heloReply = "250 upstream.test";
    volatile String mailReply = "250 2.1.0 Ok";
    final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
    volatile String dataReply = "354 End data with <CR><LF>.<CR><LF>";
    volatile String finalReply = "250 2.0.0 Ok: queued as 4BQ";

    final BlockingQueue<Conversation> conversations = new LinkedBlockingQueue<>();
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    FakeUpstream() throws IOException {
        server = new ServerSocket();
        server.setReceiveBufferSize(4096); // so that a peer that stops reading fills our side quickly
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "fake-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next conversation that ended, waiting a bounded time. */
    Conversation next() throws InterruptedException {
        Conversation conversation = conversations.poll(Hooks.WAIT_SECONDS, TimeUnit.SECONDS);
        if (conversation == null) {
            throw new AssertionError("the upstream recorded no conversation");
        }
        return conversation;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread worker = new Thread(() -> serve(socket), "fake-upstream-conversation");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        List<String> commands = new ArrayList<>();
        byte[][] data = new byte[2][];
        try (socket) {
            if (behaviour == Behaviour.SILENT) {
                closed.await();
                return;
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            send(out, greeting);
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                if (!answer(line, in, out, data)) {
                    break;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away; record what came
        } finally {
            conversations.add(new Conversation(List.copyOf(commands), data[0], data[1]));
        }
    }

    /** Answers one command; false when the conversation is over. */
    private boolean answer(String line, InputStream in, OutputStream out, byte[][] data)
            throws IOException, InterruptedException {
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (verb) {
            case "EHLO" -> {
                if (ehloFailure != null) {
                    send(out, ehloFailure);
                } else {
                    sendMultiline(out, 250, ehloLines);
                }
            }
            case "HELO" -> send(out, heloReply);
            case "MAIL" -> send(out, mailReply);
            case "RCPT" -> send(out, rcptReplies.getOrDefault(address(line), "250 2.1.5 Ok"));
            case "DATA" -> {
                send(out, dataReply);
                if (dataReply.startsWith("354")) {
                    if (behaviour == Behaviour.STOP_READING_AFTER_354) {
                        closed.await();
                        return false;
                    }
                    readData(in, data);
                    send(out, finalReply);
                }
            }
            case "QUIT" -> {
                send(out, "221 2.0.0 Bye");
                return false;
            }
            default -> send(out, "502 5.5.2 Error: command not recognized");
        }
        return true;
    }

    /** Reads DATA lines up to {@code .CRLF}; keeps them as sent and dot-unstuffed. */
    private static void readData(InputStream in, byte[][] data) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream unstuffed = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readRawLine(in);
            if (line == null) {
                throw new IOException("end of stream inside DATA");
            }
            if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                break;
            }
            wire.writeBytes(line);
            int skip = line.length > 0 && line[0] == '.' ? 1 : 0;
            unstuffed.write(line, skip, line.length - skip);
        }
        data[0] = wire.toByteArray();
        data[1] = unstuffed.toByteArray();
    }

    private static String address(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open + 1);
        return open >= 0 && close > open ? line.substring(open + 1, close) : "";
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendMultiline(OutputStream out, int code, List<String> lines) throws IOException {
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            reply.append(code).append(i + 1 < lines.size() ? '-' : ' ').append(lines.get(i)).append("\r\n");
        }
        out.write(reply.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        byte[] raw = readRawLine(in);
        if (raw == null) {
            return null;
        }
        String line = new String(raw, StandardCharsets.UTF_8);
        return line.endsWith("\r\n") ? line.substring(0, line.length() - 2) : line.strip();
    }

    /** One line with its line end (up to and including LF), or null at the end of the stream. */
    private static byte[] readRawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
