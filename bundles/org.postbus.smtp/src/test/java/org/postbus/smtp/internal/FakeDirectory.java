package org.postbus.smtp.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.Domain;
import org.postbus.api.directory.Recipients;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.mail.MailAddress;

/**
 * A directory of one domain, {@code example.org}, with the accounts {@code alice} (password
 * {@code secret}) and {@code bob} (password {@code hunter2}) and the alias {@code postmaster}.
 * Records which threads it was called on.
 */
final class FakeDirectory implements Directory {

    static final String DOMAIN = "example.org";

    private final Map<MailAddress, String> passwords = new ConcurrentHashMap<>(Map.of(
            MailAddress.parse("alice@example.org"), "secret",
            MailAddress.parse("bob@example.org"), "hunter2"));
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<String> authenticated = new CopyOnWriteArrayList<>();

    private void called() {
        threads.add(Thread.currentThread().getName());
    }

    @Override
    public List<Domain> domains() {
        called();
        return List.of(new Domain(DOMAIN, Instant.EPOCH));
    }

    @Override
    public boolean isLocalDomain(String domain) {
        called();
        return DOMAIN.equalsIgnoreCase(domain);
    }

    @Override
    public Recipients resolve(MailAddress recipient) {
        called();
        if (!isLocalDomain(recipient.domain())) {
            return new Recipients(Set.of(), Set.of(recipient));
        }
        if (recipient.localPart().equalsIgnoreCase("postmaster")) {
            return new Recipients(Set.of(MailAddress.parse("alice@example.org")), Set.of());
        }
        return passwords.containsKey(recipient) ? new Recipients(Set.of(recipient), Set.of()) : Recipients.NONE;
    }

    @Override
    public AuthResult authenticate(String username, char[] password) {
        called();
        authenticated.add(username);
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
        return AuthResult.success(new Account(address, Account.UNLIMITED, true, Instant.EPOCH));
    }

    /** Whether the directory offers SCRAM-SHA-256; tests turn it off. */
    volatile boolean scram = true;

    /** How often the SASL mechanisms were asked for. */
    final AtomicInteger saslAsked = new AtomicInteger();

    @Override
    public Set<String> saslMechanisms() {
        saslAsked.incrementAndGet();
        return scram ? Set.of("SCRAM-SHA-256") : Set.of();
    }

    @Override
    public SaslExchange startSasl(String mechanism) {
        called();
        if (!scram || !mechanism.equalsIgnoreCase("SCRAM-SHA-256")) {
            throw new IllegalArgumentException("SASL mechanism not offered: " + mechanism);
        }
        return new FakeScramExchange(user -> {
            authenticated.add(user);
            MailAddress address = address(user);
            return address == null ? null : passwords.get(address);
        }, user -> AuthResult.success(new Account(address(user), Account.UNLIMITED, true, Instant.EPOCH)));
    }

    private static MailAddress address(String username) {
        try {
            return MailAddress.parse(username.contains("@") ? username : username + "@" + DOMAIN);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public Optional<Account> account(MailAddress address) {
        called();
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
