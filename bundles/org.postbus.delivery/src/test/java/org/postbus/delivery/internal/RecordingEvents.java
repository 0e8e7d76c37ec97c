package org.postbus.delivery.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** An Event Admin that keeps what is posted. */
final class RecordingEvents implements EventAdmin {

    final List<Event> posted = new CopyOnWriteArrayList<>();
    final List<Event> sent = new CopyOnWriteArrayList<>();

    @Override
    public void postEvent(Event event) {
        posted.add(event);
    }

    @Override
    public void sendEvent(Event event) {
        sent.add(event);
    }

    List<Event> topic(String topic) {
        return posted.stream().filter(e -> e.getTopic().equals(topic)).toList();
    }
}
