package org.postbus.api.health;

import java.util.Objects;

/**
 * The state of one part of the server.
 *
 * @param up whether it serves
 * @param detail a short description for administrators, such as {@code listening on
 *     127.0.0.1:2525} or {@code port 2525 already in use}
 */
public record Health(boolean up, String detail) {

    /** Checks the detail is present. */
    public Health {
        Objects.requireNonNull(detail, "detail");
    }

    /** Up, with a detail. */
    public static Health up(String detail) {
        return new Health(true, detail);
    }

    /** Down, saying why. */
    public static Health down(String detail) {
        return new Health(false, detail);
    }
}
