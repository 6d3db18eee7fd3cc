package io.smtpd.api;

import java.util.Objects;

/**
 * A typed key for state a handler keeps on a {@link Session} or an {@link Envelope}. Keys compare by identity,
 * so two handlers that pick the same name never see each other's values.
 *
 * @param <T> the type of the value stored under this key
 */
public final class AttributeKey<T> {
    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    public String name() {
        return name;
    }

    public T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + ": " + type.getSimpleName() + "]";
    }
}
