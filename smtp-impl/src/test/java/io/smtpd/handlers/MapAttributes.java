package io.smtpd.handlers;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.smtpd.api.AttributeKey;
import io.smtpd.api.Attributes;

/** Attributes in a map, for the test session and envelope. */
final class MapAttributes implements Attributes {
    private final Map<AttributeKey<?>, Object> values = new HashMap<>();

    @Override
    public <T> Optional<T> get(AttributeKey<T> key) {
        return Optional.ofNullable(values.get(key)).map(key::cast);
    }

    @Override
    public <T> void put(AttributeKey<T> key, T value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }
}
