package io.smtpd.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.smtpd.api.Envelope;
import io.smtpd.api.Session;
import io.smtpd.api.auth.AuthExchange;
import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.LoginPassword;
import io.smtpd.api.auth.PasswordLookup;
import io.smtpd.impl.auth.CramMd5Mechanism;
import io.smtpd.impl.auth.LoginMechanism;
import io.smtpd.impl.auth.PlainMechanism;
import io.smtpd.impl.auth.StrictBase64;

/**
 * AUTH decoding on arbitrary client data: strict base64 (what aiosmtpd's {@code b64decode(validate=True)} accepts,
 * never more), and the PLAIN, LOGIN and CRAM-MD5 mechanisms fed arbitrary responses: they never throw, PLAIN passes
 * the authenticator exactly the three NUL-separated fields or refuses with 501, and CRAM-MD5 succeeds only for the
 * right digest of a known user's password.
 */
class AuthDecodingFuzzTest {
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");

    @FuzzTest(maxDuration = "30s")
    void base64(byte[] data) {
        checkBase64(data);
    }

    static void checkBase64(byte[] data) {
        String text = FuzzText.of(data);
        byte[] decoded = StrictBase64.decode(text);
        if (decoded == null) {
            return;
        }
        assertTrue(BASE64.matcher(text).matches(), "accepted a character outside the alphabet or stray padding");
        assertEquals(0, text.length() % 4, "accepted a length that is not a multiple of 4");
        int pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        assertEquals(text.length() / 4 * 3 - pad, decoded.length, "decoded length");
        // re-encoding gives the text back, but for unused low bits of the last character
        String again = Base64.getEncoder().encodeToString(decoded);
        assertEquals(again.length(), text.length());
        int tail = pad == 0 ? text.length() : text.length() - pad - 1;
        assertEquals(again.substring(0, tail), text.substring(0, tail), "decoded bytes differ from the text");
        // and the round trip of what was decoded is exact
        assertArrayEquals(decoded, StrictBase64.decode(again));
    }

    @FuzzTest(maxDuration = "30s")
    void plain(byte[] data) {
        checkPlain(data);
    }

    static void checkPlain(byte[] data) {
        boolean initial = data.length > 0 && (data[0] & 1) != 0;
        byte[] message = data.length > 0 ? Arrays.copyOfRange(data, 1, data.length) : data;
        FakeExchange exchange = new FakeExchange(List.of(message));
        AuthResult result = join(new PlainMechanism().authenticate(exchange, initial ? message : null));
        List<byte[]> fields = splitNul(message);
        if (fields.size() != 3) {
            assertNotNull(result, "a malformed PLAIN response must be answered");
            assertFalse(result.success());
            assertNotNull(result.reply(), "a malformed PLAIN response needs its own reply (501)");
            assertEquals(501, result.reply().code());
            assertTrue(exchange.checked.isEmpty(), "the authenticator saw a malformed PLAIN response");
            return;
        }
        assertEquals(1, exchange.checked.size());
        LoginPassword seen = (LoginPassword) exchange.checked.get(0);
        assertArrayEquals(fields.get(1), seen.login());
        assertTrue(seen.passwordEquals(fields.get(2)));
        byte[] authz = Arrays.equals(fields.get(0), fields.get(1)) ? new byte[0] : fields.get(0);
        assertArrayEquals(authz, seen.authorizationId());
    }

    @FuzzTest(maxDuration = "30s")
    void login(byte[] data) {
        checkLogin(data);
    }

    static void checkLogin(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        int split = input.u8();
        boolean initial = (input.u8() & 1) != 0;
        byte[] rest = input.rest();
        int at = Math.min(split, rest.length);
        byte[] user = Arrays.copyOfRange(rest, 0, at);
        byte[] password = Arrays.copyOfRange(rest, at, rest.length);
        FakeExchange exchange = new FakeExchange(initial ? List.of(password) : List.of(user, password));
        join(new LoginMechanism().authenticate(exchange, initial ? user : null));
        assertEquals(1, exchange.checked.size());
        LoginPassword seen = (LoginPassword) exchange.checked.get(0);
        assertArrayEquals(user, seen.login());
        assertTrue(seen.passwordEquals(password));
    }

    @FuzzTest(maxDuration = "30s")
    void cramMd5(byte[] data) {
        checkCramMd5(data);
    }

    static void checkCramMd5(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        boolean answerRight = (input.u8() & 1) != 0;
        byte[] response = input.rest();
        PasswordLookup passwords = login -> "alice".equals(login)
                ? Optional.of("s3cret".getBytes(StandardCharsets.UTF_8)) : Optional.empty();
        FakeExchange exchange = new FakeExchange(List.of(response));
        if (answerRight) {
            exchange.answer = challenge -> ("alice " + hmac("s3cret", challenge)).getBytes(StandardCharsets.US_ASCII);
        }
        AuthResult result = join(new CramMd5Mechanism(passwords).authenticate(exchange, null));
        assertNotNull(result);
        assertEquals(1, exchange.challenges.size());
        byte[] challenge = exchange.challenges.get(0);
        byte[] sent = exchange.sent.get(0);
        String expected = "alice " + hmac("s3cret", challenge);
        String text = new String(sent, StandardCharsets.UTF_8);
        boolean right = text.startsWith("alice ") && text.substring(6).equalsIgnoreCase(expected.substring(6))
                && sent.length == expected.length();
        assertEquals(right, result.success(), () -> "CRAM-MD5 verdict for " + Arrays.toString(sent));
        if (!result.success()) {
            assertNull(result.authData());
        }
    }

    private static String hmac(String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(message));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> splitNul(byte[] message) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= message.length; i++) {
            if (i == message.length || message[i] == 0) {
                out.add(Arrays.copyOfRange(message, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    private static AuthResult join(CompletionStage<AuthResult> stage) {
        try {
            return stage.toCompletableFuture().getNow(null);
        } catch (CancellationException e) {
            return null;
        }
    }

    /** An exchange whose client answers each challenge with the next scripted response, and records what it saw. */
    private static final class FakeExchange implements AuthExchange {
        final Deque<byte[]> responses;
        final List<byte[]> challenges = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        final List<Object> checked = new ArrayList<>();
        java.util.function.Function<byte[], byte[]> answer;

        FakeExchange(List<byte[]> responses) {
            this.responses = new ArrayDeque<>(responses);
        }

        @Override
        public Session session() {
            return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "serverHostname":
                                return "mx.test";
                            case "id":
                                return "fuzz";
                            case "toString":
                                return "FuzzSession";
                            default:
                                throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }

        @Override
        public Envelope envelope() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String mechanism() {
            return "FUZZ";
        }

        @Override
        public CompletionStage<byte[]> challenge(byte[] challenge) {
            challenges.add(challenge.clone());
            byte[] next = answer != null ? answer.apply(challenge) : responses.poll();
            if (next == null) {
                CompletableFuture<byte[]> cancelled = new CompletableFuture<>();
                cancelled.cancel(false);
                return cancelled;
            }
            sent.add(next);
            return CompletableFuture.completedFuture(next);
        }

        @Override
        public AuthResult authenticate(String mechanism, Object data) {
            checked.add(data);
            return AuthResult.failure();
        }
    }
}
