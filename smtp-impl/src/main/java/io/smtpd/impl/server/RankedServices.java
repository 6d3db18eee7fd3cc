package io.smtpd.impl.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.osgi.framework.Constants;

/**
 * Whiteboard services of one kind, ordered best first: highest {@code service.ranking}, then oldest
 * (lowest {@code service.id}), as the OSGi registry orders them. Copy-on-write, so readers never lock.
 *
 * @param <S> the service type
 */
final class RankedServices<S> {
    /** A service with its properties. */
    record Entry<S>(S service, Map<String, Object> properties) {
        int ranking() {
            Object r = properties.get(Constants.SERVICE_RANKING);
            return r instanceof Integer ? (Integer) r : 0;
        }

        long id() {
            Object id = properties.get(Constants.SERVICE_ID);
            return id instanceof Long ? (Long) id : Long.MAX_VALUE;
        }
    }

    private static final Comparator<Entry<?>> BEST_FIRST =
            Comparator.<Entry<?>>comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::id);

    private volatile List<Entry<S>> entries = List.of();

    synchronized void add(S service, Map<String, Object> properties) {
        List<Entry<S>> next = new ArrayList<>(entries);
        next.removeIf(e -> e.service() == service);
        next.add(new Entry<>(service, Map.copyOf(properties)));
        next.sort(BEST_FIRST);
        entries = List.copyOf(next);
    }

    synchronized void remove(S service) {
        List<Entry<S>> next = new ArrayList<>(entries);
        next.removeIf(e -> e.service() == service);
        entries = List.copyOf(next);
    }

    /** The best service whose properties match, or {@code null}. */
    S best(Predicate<Map<String, Object>> matches) {
        for (Entry<S> e : entries) {
            if (matches.test(e.properties())) {
                return e.service();
            }
        }
        return null;
    }

    List<Entry<S>> all() {
        return entries;
    }
}
