package io.smtpd.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Typed state that handlers attach to a session or a transaction. */
@ProviderType
public interface Attributes {
    /** The value stored under {@code key}, if any. */
    <T> Optional<T> get(AttributeKey<T> key);

    /** Stores {@code value} under {@code key}; {@code null} removes it. */
    <T> void put(AttributeKey<T> key, T value);
}
