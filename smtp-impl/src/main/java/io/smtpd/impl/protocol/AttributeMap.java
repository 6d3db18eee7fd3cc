package io.smtpd.impl.protocol;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

import io.smtpd.api.AttributeKey;
import io.smtpd.api.Attributes;

/** Typed attributes, created empty and filled only when a handler stores something. */
final class AttributeMap implements Attributes {
    private Map<AttributeKey<?>, Object> values;

    @Override
    public <T> Optional<T> get(AttributeKey<T> key) {
        return values == null ? Optional.empty() : Optional.ofNullable(key.cast(values.get(key)));
    }

    @Override
    public <T> void put(AttributeKey<T> key, T value) {
        if (value == null) {
            if (values != null) {
                values.remove(key);
            }
            return;
        }
        if (values == null) {
            values = new IdentityHashMap<>(4);
        }
        values.put(key, key.cast(value));
    }
}
