package org.postbus.pop3.internal;

import java.nio.charset.StandardCharsets;
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
import org.postbus.directory.internal.scram.ScramCredential;
import org.postbus.directory.internal.scram.ScramExchange;
import org.postbus.directory.internal.scram.ScramUsers;

/**
 * A directory of one domain, {@code example.org}: {@code alice} (password {@code secret}),
 * {@code bob} ({@code hunter2}), {@code carol} (disabled; {@code secret}) and {@code dave}
 * (locked). SCRAM-SHA-256 runs the directory bundle's own exchange over credentials derived here.
 * Records which threads it was called on.
 */
final class FakeDirectory implements Directory {

    static final String DOMAIN = "example.org";
    static final byte[] SALT = "postbus-test-salt".getBytes(StandardCharsets.US_ASCII);
    static final int ITERATIONS = 4096;

    private final Map<MailAddress, String> passwords = new ConcurrentHashMap<>(Map.of(
            MailAddress.parse("alice@example.org"), "secret",
            MailAddress.parse("bob@example.org"), "hunter2",
            MailAddress.parse("carol@example.org"), "secret"));
    private final Map<MailAddress, ScramCredential> scram = new ConcurrentHashMap<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile boolean offerScram = true;

    private void called() {
        threads.add(Thread.currentThread().getName());
    }

    private static Optional<MailAddress> address(String username) {
        try {
            return Optional.of(MailAddress.parse(username.contains("@") ? username : username + "@" + DOMAIN));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Account accountOf(MailAddress address) {
        return new Account(address, Account.UNLIMITED, true, Instant.EPOCH);
    }

    @Override
    public AuthResult authenticate(String username, char[] password) {
        called();
        Optional<MailAddress> address = address(username);
        if (address.isEmpty()) {
            return AuthResult.INVALID;
        }
        if (address.get().localPart().equals("dave")) {
            return AuthResult.LOCKED;
        }
        String expected = passwords.get(address.get());
        if (expected == null || !expected.equals(new String(password))) {
            return AuthResult.INVALID;
        }
        if (address.get().localPart().equals("carol")) {
            return AuthResult.DISABLED;
        }
        return AuthResult.success(accountOf(address.get()));
    }

    @Override
    public Set<String> saslMechanisms() {
        return offerScram ? Set.of(ScramCredential.MECHANISM) : Set.of();
    }

    @Override
    public SaslExchange startSasl(String mechanism) {
        called();
        if (!offerScram || !ScramCredential.MECHANISM.equalsIgnoreCase(mechanism)) {
            throw new IllegalArgumentException("SASL mechanism not offered: " + mechanism);
        }
        return new ScramExchange(new ScramUsers() {
            @Override
            public ScramCredential challenge(String username) {
                return address(username).map(this::credential)
                        .orElseGet(() -> ScramCredential.derive("unknown".toCharArray(), SALT, ITERATIONS));
            }

            private ScramCredential credential(MailAddress address) {
                String password = passwords.getOrDefault(address, "\u0000no such user");
                return scram.computeIfAbsent(address,
                        a -> ScramCredential.derive(password.toCharArray(), SALT, ITERATIONS));
            }

            @Override
            public AuthResult finish(String username, ScramCredential offered, boolean proofValid) {
                Optional<MailAddress> address = address(username);
                if (!proofValid || address.isEmpty() || !passwords.containsKey(address.get())) {
                    return AuthResult.INVALID;
                }
                return AuthResult.success(accountOf(address.get()));
            }
        }, new java.security.SecureRandom());
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
        return passwords.containsKey(address) ? Optional.of(accountOf(address)) : Optional.empty();
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
        return passwords.keySet().stream().map(FakeDirectory::accountOf).toList();
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
        return List.of();
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
