package org.postbus.imap.internal.command;

import org.postbus.imap.internal.codec.ImapParser;

/**
 * One command being executed.
 *
 * @param tag the client's tag
 * @param name the command's name, upper case, without a UID prefix
 * @param uid whether the command came as {@code UID name}
 * @param args the parser, positioned after the name
 */
public record Request(String tag, String name, boolean uid, ImapParser args) {
}
