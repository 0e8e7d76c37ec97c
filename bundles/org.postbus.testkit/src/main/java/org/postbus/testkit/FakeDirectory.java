package org.postbus.testkit;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.DirectoryException;
import org.postbus.api.directory.Domain;
import org.postbus.api.directory.Recipients;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.mail.MailAddress;

/**
 * An in-memory {@link Directory} with plain-text passwords and no hashing, so that protocol and
 * delivery tests run without the directory bundle. It keeps the contract's semantics: bare user
 * names belong to the first domain given, a locked account is refused before its password is
 * looked at, a disabled one only after, a disabled account receives no mail, aliases expand
 * recursively with loops cut, a {@code @domain} alias catches the rest of its domain, and any
 * address outside the local domains resolves to itself as remote. SCRAM-SHA-256 runs a real
 * server exchange over the same passwords.
 *
 * <p>Tests look inside through its public fields: the threads lookups ran on, the user names
 * tried, how often the SASL mechanisms were asked for; and steer it: turn SCRAM off, or make
 * {@link #resolve} fail.
 */
public class FakeDirectory implements Directory {

    /** The domain of {@link #exampleOrg()}. */
    public static final String DOMAIN = "example.org";
    /** The one SASL mechanism offered through {@link #startSasl}. */
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";

    private static final Pattern DOMAIN_NAME =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private final Map<String, Domain> domains = new ConcurrentSkipListMap<>();
    private volatile String defaultDomain;
    private final Map<MailAddress, Account> accounts = new ConcurrentHashMap<>();
    private final Map<MailAddress, String> passwords = new ConcurrentHashMap<>();
    private final Set<MailAddress> locked = ConcurrentHashMap.newKeySet();
    /** Keyed by the source in lower case. */
    private final Map<String, Alias> aliases = new ConcurrentSkipListMap<>();

    /**
     * The name of the thread of every lookup (every call but {@link #saslMechanisms()} and the
     * changes), so that tests can check nothing slow runs on a network I/O thread.
     */
    public final List<String> threads = new CopyOnWriteArrayList<>();
    /** The user names given to {@link #authenticate} and to SCRAM exchanges, in order. */
    public final List<String> authenticated = new CopyOnWriteArrayList<>();
    /** How often {@link #saslMechanisms()} was called. */
    public final AtomicInteger saslAsked = new AtomicInteger();
    /** Whether SCRAM-SHA-256 is offered. */
    public volatile boolean scram = true;
    /** When set, {@link #resolve} throws it, as a directory that broke would. */
    public volatile RuntimeException failure;

    /** A directory of these local domains; the first one is the default domain for bare user names. */
    public FakeDirectory(String... localDomains) {
        for (String domain : localDomains) {
            try {
                addDomain(domain);
            } catch (DirectoryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }

    /**
     * The directory most protocol tests use: the domain {@code example.org} with {@code alice}
     * (password {@code secret}), {@code bob} ({@code hunter2}), the disabled {@code carol}
     * ({@code secret}), the locked {@code dave} ({@code secret}) and the alias {@code postmaster}
     * for alice.
     */
    public static FakeDirectory exampleOrg() {
        return new FakeDirectory(DOMAIN)
                .account("alice@example.org", "secret")
                .account("bob@example.org", "hunter2")
                .account("carol@example.org", "secret").disabled("carol@example.org")
                .account("dave@example.org", "secret").locked("dave@example.org")
                .alias("postmaster@example.org", "alice@example.org");
    }

    /** Adds an account that cannot log in (no password): it only receives mail. */
    public FakeDirectory account(String address) {
        MailAddress a = MailAddress.parse(address);
        try {
            checkNewAccount(a);
        } catch (DirectoryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        accounts.put(a, new Account(a, Account.UNLIMITED, true, Instant.EPOCH));
        return this;
    }

    /** Adds an account with a password. */
    public FakeDirectory account(String address, String password) {
        try {
            addAccount(MailAddress.parse(address), password.toCharArray());
        } catch (DirectoryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return this;
    }

    /** Disables an account: it can neither log in nor receive mail. */
    public FakeDirectory disabled(String address) {
        try {
            setEnabled(MailAddress.parse(address), false);
        } catch (DirectoryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return this;
    }

    /** Locks an account, as too many failed logins would: every login is refused for now. */
    public FakeDirectory locked(String address) {
        MailAddress a = MailAddress.parse(address);
        if (!accounts.containsKey(a)) {
            throw new IllegalArgumentException("no account " + address);
        }
        locked.add(a);
        return this;
    }

    /** Adds an alias, or a catch-all for {@code @domain}, for these targets. */
    public FakeDirectory alias(String source, String... targets) {
        try {
            putAlias(source, Arrays.stream(targets).map(MailAddress::parse).toList());
        } catch (DirectoryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return this;
    }

    private void called() {
        threads.add(Thread.currentThread().getName());
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    @Override
    public List<Domain> domains() {
        called();
        return List.copyOf(domains.values());
    }

    @Override
    public boolean isLocalDomain(String domain) {
        called();
        return local(domain);
    }

    private boolean local(String domain) {
        return domains.containsKey(lower(domain));
    }

    @Override
    public Domain addDomain(String name) throws DirectoryException {
        String lower = lower(name);
        if (!DOMAIN_NAME.matcher(lower).matches()) {
            throw new DirectoryException("not a domain name: " + name);
        }
        Domain domain = new Domain(lower, Instant.EPOCH);
        if (domains.putIfAbsent(lower, domain) != null) {
            throw new DirectoryException("domain already present: " + name);
        }
        if (defaultDomain == null) {
            defaultDomain = lower;
        }
        return domain;
    }

    @Override
    public boolean removeDomain(String name) throws DirectoryException {
        String lower = lower(name);
        if (accounts.keySet().stream().anyMatch(a -> a.domain().equals(lower))
                || aliases.values().stream().anyMatch(a -> a.domain().equals(lower))) {
            throw new DirectoryException("domain still has accounts or aliases: " + name);
        }
        return domains.remove(lower) != null;
    }

    @Override
    public List<Account> accounts() {
        called();
        return accounts.values().stream().sorted(Comparator.comparing(Account::username)).toList();
    }

    @Override
    public Optional<Account> account(MailAddress address) {
        called();
        return Optional.ofNullable(accounts.get(address));
    }

    private void checkNewAccount(MailAddress address) throws DirectoryException {
        if (!local(address.domain())) {
            throw new DirectoryException("unknown domain: " + address.domain());
        }
        if (accounts.containsKey(address) || aliases.containsKey(lower(address.toString()))) {
            throw new DirectoryException("address taken: " + address);
        }
    }

    @Override
    public Account addAccount(MailAddress address, char[] password) throws DirectoryException {
        checkNewAccount(address);
        if (password == null || password.length == 0) {
            throw new DirectoryException("empty password");
        }
        Account account = new Account(address, Account.UNLIMITED, true, Instant.EPOCH);
        accounts.put(address, account);
        passwords.put(address, new String(password));
        return account;
    }

    @Override
    public void setPassword(MailAddress address, char[] password) throws DirectoryException {
        existing(address);
        if (password == null || password.length == 0) {
            throw new DirectoryException("empty password");
        }
        passwords.put(address, new String(password));
    }

    private Account existing(MailAddress address) throws DirectoryException {
        Account account = accounts.get(address);
        if (account == null) {
            throw new DirectoryException("no account " + address);
        }
        return account;
    }

    @Override
    public Account setEnabled(MailAddress address, boolean enabled) throws DirectoryException {
        Account old = existing(address);
        Account changed = new Account(old.address(), old.quotaBytes(), enabled, old.created());
        accounts.put(address, changed);
        return changed;
    }

    @Override
    public Account setQuota(MailAddress address, long quotaBytes) throws DirectoryException {
        Account old = existing(address);
        if (quotaBytes < 0 && quotaBytes != Account.UNLIMITED) {
            throw new DirectoryException("negative quota: " + quotaBytes);
        }
        Account changed = new Account(old.address(), quotaBytes, old.enabled(), old.created());
        accounts.put(address, changed);
        return changed;
    }

    @Override
    public boolean removeAccount(MailAddress address) {
        passwords.remove(address);
        locked.remove(address);
        return accounts.remove(address) != null;
    }

    @Override
    public List<Alias> aliases() {
        called();
        return List.copyOf(aliases.values());
    }

    @Override
    public Alias putAlias(String source, List<MailAddress> targets) throws DirectoryException {
        String key = lower(source);
        int at = key.lastIndexOf('@');
        if (at < 0 || !local(key.substring(at + 1))) {
            throw new DirectoryException("not an address in a local domain: " + source);
        }
        if (at > 0 && accounts.containsKey(MailAddress.parse(key))) {
            throw new DirectoryException("an account has this address: " + source);
        }
        if (targets.isEmpty()) {
            throw new DirectoryException("an alias needs at least one target");
        }
        Alias alias = new Alias(key, targets);
        aliases.put(key, alias);
        return alias;
    }

    @Override
    public boolean removeAlias(String source) {
        return aliases.remove(lower(source)) != null;
    }

    @Override
    public Recipients resolve(MailAddress recipient) {
        called();
        RuntimeException broken = failure;
        if (broken != null) {
            throw broken;
        }
        Set<MailAddress> local = new HashSet<>();
        Set<MailAddress> remote = new HashSet<>();
        expand(recipient, local, remote, new HashSet<>());
        return local.isEmpty() && remote.isEmpty() ? Recipients.NONE : new Recipients(local, remote);
    }

    private void expand(MailAddress address, Set<MailAddress> local, Set<MailAddress> remote, Set<MailAddress> seen) {
        if (!seen.add(address)) {
            return;
        }
        if (!local(address.domain())) {
            remote.add(address);
            return;
        }
        Account account = accounts.get(address);
        if (account != null) {
            if (account.enabled()) {
                local.add(account.address());
            }
            return;
        }
        Alias alias = aliases.get(lower(address.toString()));
        if (alias == null) {
            alias = aliases.get("@" + address.domain());
        }
        if (alias != null) {
            for (MailAddress target : alias.targets()) {
                expand(target, local, remote, seen);
            }
        }
    }

    /** The address of a user name: as given, or a bare local part in the default domain. */
    Optional<MailAddress> address(String username) {
        try {
            if (username.contains("@")) {
                return Optional.of(MailAddress.parse(username));
            }
            String domain = defaultDomain;
            return domain == null ? Optional.empty() : Optional.of(MailAddress.parse(username + "@" + domain));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public AuthResult authenticate(String username, char[] password) {
        called();
        authenticated.add(username);
        Optional<MailAddress> address = address(username);
        if (address.isEmpty()) {
            return AuthResult.INVALID;
        }
        if (locked.contains(address.get())) {
            return AuthResult.LOCKED;
        }
        String expected = passwords.get(address.get());
        if (expected == null || !expected.equals(new String(password))) {
            return AuthResult.INVALID;
        }
        return outcome(address.get());
    }

    /** What a login with the right password gets. */
    AuthResult outcome(MailAddress address) {
        Account account = accounts.get(address);
        if (account == null) {
            return AuthResult.INVALID;
        }
        return account.enabled() ? AuthResult.success(account) : AuthResult.DISABLED;
    }

    /** The password a SCRAM exchange checks the proof against; null for an unknown user. */
    String scramPassword(String username) {
        authenticated.add(username);
        return address(username).map(passwords::get).orElse(null);
    }

    /** Whether a SCRAM exchange for this user ends locked, whatever the proof. */
    boolean scramLocked(String username) {
        return address(username).map(locked::contains).orElse(false);
    }

    /** The outcome of a SCRAM exchange whose proof was right. */
    AuthResult scramOutcome(String username) {
        return address(username).map(this::outcome).orElse(AuthResult.INVALID);
    }

    @Override
    public Set<String> saslMechanisms() {
        saslAsked.incrementAndGet();
        return scram ? Set.of(SCRAM_SHA_256) : Set.of();
    }

    @Override
    public SaslExchange startSasl(String mechanism) {
        called();
        if (!scram || !SCRAM_SHA_256.equalsIgnoreCase(mechanism)) {
            throw new IllegalArgumentException("SASL mechanism not offered: " + mechanism);
        }
        return new FakeScramExchange(this);
    }
}
