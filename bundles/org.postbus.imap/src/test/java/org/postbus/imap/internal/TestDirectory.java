package org.postbus.imap.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.Domain;
import org.postbus.api.directory.Recipients;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.mail.MailAddress;

/**
 * A directory of one domain, {@code example.org}, with {@code alice} (password {@code secret}),
 * {@code bob} ({@code hunter2}), the disabled {@code carol} ({@code secret}) and the locked
 * {@code dave}. Offers SCRAM-SHA-256 through {@link TestScram}. Records the threads it is called on.
 */
final class TestDirectory implements Directory {

    static final String DOMAIN = "example.org";

    final Map<MailAddress, String> passwords = new ConcurrentHashMap<>(Map.of(
            MailAddress.parse("alice@example.org"), "secret",
            MailAddress.parse("bob@example.org"), "hunter2",
            MailAddress.parse("carol@example.org"), "secret",
            MailAddress.parse("dave@example.org"), "secret"));
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile boolean scram = true;

    @Override
    public AuthResult authenticate(String username, char[] password) {
        threads.add(Thread.currentThread().getName());
        MailAddress address;
        try {
            address = MailAddress.parse(username.contains("@") ? username : username + "@" + DOMAIN);
        } catch (IllegalArgumentException e) {
            return AuthResult.INVALID;
        }
        String expected = passwords.get(address);
        if (expected == null || !expected.equals(new String(password))) {
            return AuthResult.INVALID;
        }
        return result(address);
    }

    AuthResult result(MailAddress address) {
        return switch (address.localPart()) {
            case "carol" -> AuthResult.DISABLED;
            case "dave" -> AuthResult.LOCKED;
            default -> AuthResult.success(new Account(address, Account.UNLIMITED, true, Instant.EPOCH));
        };
    }

    @Override
    public Set<String> saslMechanisms() {
        return scram ? Set.of("SCRAM-SHA-256") : Set.of();
    }

    @Override
    public SaslExchange startSasl(String mechanism) {
        if (!scram || !mechanism.equals("SCRAM-SHA-256")) {
            throw new IllegalArgumentException(mechanism);
        }
        threads.add(Thread.currentThread().getName());
        return new TestScram(this);
    }

    @Override
    public List<Domain> domains() {
        return List.of(new Domain(DOMAIN, Instant.EPOCH));
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return DOMAIN.equalsIgnoreCase(domain);
    }

    @Override
    public Recipients resolve(MailAddress recipient) {
        return passwords.containsKey(recipient) ? new Recipients(Set.of(recipient), Set.of()) : Recipients.NONE;
    }

    @Override
    public Optional<Account> account(MailAddress address) {
        return passwords.containsKey(address)
                ? Optional.of(new Account(address, Account.UNLIMITED, true, Instant.EPOCH)) : Optional.empty();
    }

    @Override
    public Domain addDomain(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeDomain(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Account> accounts() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Account addAccount(MailAddress address, char[] password) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setPassword(MailAddress address, char[] password) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Account setEnabled(MailAddress address, boolean enabled) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Account setQuota(MailAddress address, long quotaBytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeAccount(MailAddress address) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Alias> aliases() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Alias putAlias(String source, List<MailAddress> targets) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeAlias(String source) {
        throw new UnsupportedOperationException();
    }
}
