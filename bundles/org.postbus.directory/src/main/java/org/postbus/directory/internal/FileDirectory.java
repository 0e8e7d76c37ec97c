package org.postbus.directory.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.DirectoryException;
import org.postbus.api.directory.Domain;
import org.postbus.api.directory.Recipients;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.event.DirectoryEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.directory.internal.scram.FakeCredentials;
import org.postbus.directory.internal.scram.ScramCredential;
import org.postbus.directory.internal.scram.ScramExchange;
import org.postbus.directory.internal.scram.ScramUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory kept in one JSON file.
 *
 * <p>Reads use the current immutable {@link Snapshot} and never wait. Writes are serialised by
 * one lock, save the next snapshot durably and only then publish it, so no reader ever sees a
 * change that a crash could take back. Password hashing, the slow part of adding an account,
 * runs before the lock is taken so that it does not hold up other changes.
 */
public final class FileDirectory implements Directory {

    /** How deep alias expansion follows aliases of aliases before it gives up. */
    static final int MAX_ALIAS_DEPTH = 10;

    private static final Logger LOG = LoggerFactory.getLogger(FileDirectory.class);

    private final DirectoryFile file;
    private final DirectorySettings settings;
    private final PasswordHasher hasher;
    private final CredentialCache cache;
    private final FailureLockout lockout;
    private final Clock clock;
    private final ChangeListener listener;
    private final SecureRandom random;
    private final FakeCredentials fakeCredentials;
    private final Object writeLock = new Object();
    private volatile Snapshot snapshot;
    private boolean closed;

    private FileDirectory(DirectoryFile file, Snapshot initial, DirectorySettings settings, Clock clock,
            ChangeListener listener, SecureRandom random, FakeCredentials fakeCredentials) {
        this.random = random;
        this.fakeCredentials = fakeCredentials;
        this.file = file;
        this.snapshot = initial;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.hasher = new PasswordHasher(settings.argon2(), random);
        this.cache = new CredentialCache(settings.authCache(), random);
        this.lockout = new FailureLockout(settings.lockoutFailures(), settings.lockoutWindow());
    }

    /**
     * Opens the directory kept in {@code dir}, creating the folder if needed.
     *
     * @throws DirectoryFileException if the file cannot be read or is malformed; it is left untouched
     */
    static FileDirectory open(Path dir, DirectorySettings settings, Clock clock, ChangeListener listener)
            throws DirectoryFileException {
        DirectoryFile file = new DirectoryFile(dir);
        Snapshot loaded = file.load();
        SecureRandom random = new SecureRandom();
        FakeCredentials fakes;
        try {
            fakes = FakeCredentials.open(dir, settings.scramIterations(), random);
        } catch (IOException e) {
            throw new DirectoryFileException("cannot read or create " + dir.resolve(FakeCredentials.FILE_NAME) + ": "
                    + e.getMessage(), e);
        }
        return new FileDirectory(file, loaded, settings, clock, listener, random, fakes);
    }

    /** The JSON file holding this directory. */
    Path path() {
        return file.path();
    }

    /**
     * Refuses further changes. Called when the component stops, so that a caller still holding
     * this instance cannot overwrite the file of the instance that replaced it.
     */
    void close() {
        synchronized (writeLock) {
            closed = true;
        }
    }

    /** A one-line summary for the health check. */
    String summary() {
        Snapshot s = snapshot;
        return count(s.domains().size(), "domain") + ", " + count(s.accounts().size(), "account") + ", "
                + count(s.aliases().size(), "alias") + " (" + file.path() + ")";
    }

    private static String count(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun.endsWith("s") ? noun + "es" : noun + "s");
    }

    // ---------------------------------------------------------------- domains

    @Override
    public List<Domain> domains() {
        return snapshot.domains();
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return domain != null && snapshot.hasDomain(domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public Domain addDomain(String name) throws DirectoryException {
        String normalized = domainName(name);
        synchronized (writeLock) {
            checkOpen();
            Snapshot current = snapshot;
            if (current.hasDomain(normalized)) {
                throw new DirectoryException("domain " + normalized + " already exists");
            }
            Snapshot.Draft draft = current.edit();
            Domain domain = new Domain(normalized, clock.instant());
            draft.domains.put(normalized, domain);
            commit(draft.freeze(), DirectoryEvents.DOMAIN_CHANGED, normalized, "added");
            return domain;
        }
    }

    /**
     * Adds {@code name} if the directory has no domain at all, so that a fresh server accepts mail
     * for something.
     *
     * @return whether it was added
     */
    boolean addDomainIfNone(String name) throws DirectoryException {
        synchronized (writeLock) {
            if (!snapshot.domains().isEmpty()) {
                return false;
            }
            addDomain(name);
            return true;
        }
    }

    @Override
    public boolean removeDomain(String name) throws DirectoryException {
        if (name == null || !DomainNames.isValid(name)) {
            return false;
        }
        String normalized = DomainNames.normalize(name);
        synchronized (writeLock) {
            checkOpen();
            Snapshot current = snapshot;
            if (!current.hasDomain(normalized)) {
                return false;
            }
            List<String> users = current.usersOf(normalized);
            if (!users.isEmpty()) {
                String shown = users.size() <= 5 ? String.join(", ", users)
                        : String.join(", ", users.subList(0, 5)) + " and " + (users.size() - 5) + " more";
                throw new DirectoryException("domain " + normalized + " still has accounts or aliases (" + shown
                        + "); remove them first");
            }
            Snapshot.Draft draft = current.edit();
            draft.domains.remove(normalized);
            commit(draft.freeze(), DirectoryEvents.DOMAIN_CHANGED, normalized, "removed");
            return true;
        }
    }

    /** The domain a bare user name belongs to: the configured one if it is local, else the first added. */
    Optional<String> defaultDomain() {
        return defaultDomain(snapshot);
    }

    private Optional<String> defaultDomain(Snapshot s) {
        String configured = settings.defaultDomain().toLowerCase(Locale.ROOT);
        if (!configured.isEmpty() && s.hasDomain(configured)) {
            return Optional.of(configured);
        }
        return s.firstDomain();
    }

    // --------------------------------------------------------------- accounts

    @Override
    public List<Account> accounts() {
        return snapshot.accounts();
    }

    @Override
    public Optional<Account> account(MailAddress address) {
        if (address == null) {
            return Optional.empty();
        }
        return snapshot.account(address).map(Snapshot.StoredAccount::account);
    }

    @Override
    public Account addAccount(MailAddress address, char[] password) throws DirectoryException {
        Objects.requireNonNull(address, "address");
        checkPassword(password);
        try {
            DomainNames.checkLocalPart(address.localPart());
        } catch (IllegalArgumentException e) {
            throw new DirectoryException(e.getMessage());
        }
        // Checked before hashing to fail fast, and again under the lock in case of a race.
        checkAddressFree(snapshot, address);
        String hash = hasher.hash(password);
        Optional<ScramCredential> scram = scramCredential(password, address);
        synchronized (writeLock) {
            checkOpen();
            Snapshot current = snapshot;
            checkAddressFree(current, address);
            Account account = new Account(address, Account.UNLIMITED, true, clock.instant());
            Snapshot.Draft draft = current.edit();
            draft.accounts.put(address, new Snapshot.StoredAccount(account, hash, scram));
            commit(draft.freeze(), DirectoryEvents.ACCOUNT_CHANGED, address.toString(), "added");
            return account;
        }
    }

    private static void checkAddressFree(Snapshot s, MailAddress address) throws DirectoryException {
        if (!s.hasDomain(address.domain())) {
            throw new DirectoryException("domain " + address.domain() + " is not a local domain; add it first");
        }
        Optional<Snapshot.StoredAccount> existing = s.account(address);
        if (existing.isPresent()) {
            throw new DirectoryException(existing.get().account().username() + " is already an account");
        }
        Optional<Alias> alias = s.alias(Snapshot.aliasKey(address));
        if (alias.isPresent()) {
            throw new DirectoryException(alias.get().source() + " is already an alias");
        }
    }

    @Override
    public void setPassword(MailAddress address, char[] password) throws DirectoryException {
        Objects.requireNonNull(address, "address");
        checkPassword(password);
        if (snapshot.account(address).isEmpty()) {
            throw new DirectoryException("no account " + address);
        }
        String hash = hasher.hash(password);
        Optional<ScramCredential> scram = scramCredential(password, address);
        synchronized (writeLock) {
            checkOpen();
            Snapshot current = snapshot;
            Snapshot.StoredAccount stored = current.account(address)
                    .orElseThrow(() -> new DirectoryException("no account " + address));
            Snapshot.Draft draft = current.edit();
            draft.accounts.put(address, new Snapshot.StoredAccount(stored.account(), hash, scram));
            commit(draft.freeze(), DirectoryEvents.ACCOUNT_CHANGED, stored.account().username(), "changed");
            cache.invalidate(address);
            // A new password set by an administrator is the usual way out of a lockout.
            lockout.reset(Snapshot.aliasKey(address));
        }
    }


    @Override
    public Account setEnabled(MailAddress address, boolean enabled) throws DirectoryException {
        return updateAccount(address, old -> new Account(old.address(), old.quotaBytes(), enabled, old.created()));
    }

    @Override
    public Account setQuota(MailAddress address, long quotaBytes) throws DirectoryException {
        if (quotaBytes < 0 && quotaBytes != Account.UNLIMITED) {
            throw new DirectoryException("a quota is a number of bytes, or " + Account.UNLIMITED + " for none");
        }
        return updateAccount(address, old -> new Account(old.address(), quotaBytes, old.enabled(), old.created()));
    }

    private Account updateAccount(MailAddress address, java.util.function.UnaryOperator<Account> change)
            throws DirectoryException {
        Objects.requireNonNull(address, "address");
        synchronized (writeLock) {
            checkOpen();
            Snapshot current = snapshot;
            Snapshot.StoredAccount stored = current.account(address)
                    .orElseThrow(() -> new DirectoryException("no account " + address));
            Account old = stored.account();
            Account account = change.apply(old);
            if (account.equals(old)) {
                return old;
            }
            Snapshot.Draft draft = current.edit();
            draft.accounts.put(address, stored.with(account));
            commit(draft.freeze(), DirectoryEvents.ACCOUNT_CHANGED, account.username(), "changed");
            cache.invalidate(address);
            return account;
        }
    }

    @Override
    public boolean removeAccount(MailAddress address) throws DirectoryException {
        if (address == null) {
            return false;
        }
        synchronized (writeLock) {
            checkOpen();
            Snapshot current = snapshot;
            Optional<Snapshot.StoredAccount> stored = current.account(address);
            if (stored.isEmpty()) {
                return false;
            }
            Snapshot.Draft draft = current.edit();
            draft.accounts.remove(address);
            commit(draft.freeze(), DirectoryEvents.ACCOUNT_CHANGED, stored.get().account().username(), "removed");
            cache.invalidate(address);
            return true;
        }
    }

    /**
     * The SCRAM-SHA-256 credential of a new password, or none if SASLprep refuses the password
     * (the account then logs in with PLAIN or LOGIN only).
     */
    private Optional<ScramCredential> scramCredential(char[] password, MailAddress address) {
        byte[] salt = new byte[ScramCredential.SALT_BYTES];
        random.nextBytes(salt);
        try {
            return Optional.of(ScramCredential.derive(password, salt, settings.scramIterations()));
        } catch (IllegalArgumentException e) {
            LOG.info("the password of {} cannot be used with SCRAM-SHA-256 ({}); it works with PLAIN and LOGIN only",
                    address, e.getMessage());
            return Optional.empty();
        }
    }

    private static void checkPassword(char[] password) throws DirectoryException {
        if (password == null || password.length == 0) {
            throw new DirectoryException("the password must not be empty");
        }
    }

    // ---------------------------------------------------------------- aliases

    @Override
    public List<Alias> aliases() {
        return snapshot.aliases();
    }

    @Override
    public Alias putAlias(String source, List<MailAddress> targets) throws DirectoryException {
        String normalized;
        try {
            normalized = aliasSource(source);
        } catch (IllegalArgumentException e) {
            throw new DirectoryException(e.getMessage());
        }
        if (targets == null || targets.isEmpty()) {
            throw new DirectoryException("alias " + normalized + " needs at least one target");
        }
        Set<MailAddress> unique = new LinkedHashSet<>();
        for (MailAddress target : targets) {
            if (target == null) {
                throw new DirectoryException("alias " + normalized + " has an empty target");
            }
            unique.add(target);
        }
        Alias alias = new Alias(normalized, List.copyOf(unique));
        synchronized (writeLock) {
            checkOpen();
            Snapshot current = snapshot;
            String domain = alias.domain();
            if (!current.hasDomain(domain)) {
                throw new DirectoryException("domain " + domain + " is not a local domain; add it first");
            }
            if (!alias.isCatchAll()) {
                Optional<Snapshot.StoredAccount> account = current.account(MailAddress.parse(normalized));
                if (account.isPresent()) {
                    throw new DirectoryException(account.get().account().username()
                            + " is an account; an alias cannot have the same address");
                }
            }
            String key = Snapshot.aliasKey(normalized);
            boolean existed = current.alias(key).isPresent();
            Snapshot.Draft draft = current.edit();
            draft.aliases.put(key, alias);
            commit(draft.freeze(), DirectoryEvents.ALIAS_CHANGED, normalized, existed ? "changed" : "added");
            return alias;
        }
    }

    @Override
    public boolean removeAlias(String source) throws DirectoryException {
        String normalized;
        try {
            normalized = aliasSource(source);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String key = Snapshot.aliasKey(normalized);
        synchronized (writeLock) {
            checkOpen();
            Snapshot current = snapshot;
            Optional<Alias> existing = current.alias(key);
            if (existing.isEmpty()) {
                return false;
            }
            Snapshot.Draft draft = current.edit();
            draft.aliases.remove(key);
            commit(draft.freeze(), DirectoryEvents.ALIAS_CHANGED, existing.get().source(), "removed");
            return true;
        }
    }

    /**
     * Checks and normalises an alias source: {@code local@domain} or {@code @domain}, domain in
     * lower case.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static String aliasSource(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("an alias source must not be empty");
        }
        String text = source.strip();
        if (text.startsWith("@")) {
            return "@" + DomainNames.normalize(text.substring(1));
        }
        MailAddress address = MailAddress.parse(text);
        DomainNames.checkLocalPart(address.localPart());
        return address.localPart() + "@" + DomainNames.normalize(address.domain());
    }

    // -------------------------------------------------------------- resolving

    @Override
    public Recipients resolve(MailAddress recipient) {
        Objects.requireNonNull(recipient, "recipient");
        Snapshot s = snapshot;
        if (!s.hasDomain(recipient.domain())) {
            return new Recipients(Set.of(), Set.of(recipient));
        }
        Set<MailAddress> local = new LinkedHashSet<>();
        Set<MailAddress> remote = new LinkedHashSet<>();
        deliver(s, recipient, 0, new LinkedHashSet<>(), local, remote);
        if (local.isEmpty() && remote.isEmpty()) {
            return Recipients.NONE;
        }
        return new Recipients(local, remote);
    }

    /**
     * Adds where mail for {@code address} goes. Every alias is expanded at most once per
     * resolution: that cuts loops, and an alias reached twice adds nothing new the second time.
     */
    private void deliver(Snapshot s, MailAddress address, int depth, Set<String> expanded, Set<MailAddress> local,
            Set<MailAddress> remote) {
        if (!s.hasDomain(address.domain())) {
            remote.add(address);
            return;
        }
        Optional<Snapshot.StoredAccount> account = s.account(address);
        if (account.isPresent()) {
            // A disabled account receives no mail (Account#enabled); nor does its domain's catch-all.
            if (account.get().account().enabled()) {
                local.add(account.get().account().address());
            }
            return;
        }
        Optional<Alias> alias = s.alias(Snapshot.aliasKey(address))
                .or(() -> s.alias(Snapshot.catchAllKey(address.domain())));
        if (alias.isEmpty()) {
            return;
        }
        String source = alias.get().source();
        if (!expanded.add(Snapshot.aliasKey(source))) {
            LOG.debug("alias {} reached again while resolving; not expanded twice", source);
            return;
        }
        if (depth >= MAX_ALIAS_DEPTH) {
            LOG.warn("alias {} is nested more than {} aliases deep; its targets are dropped", source, MAX_ALIAS_DEPTH);
            return;
        }
        for (MailAddress target : alias.get().targets()) {
            deliver(s, target, depth + 1, expanded, local, remote);
        }
    }

    // --------------------------------------------------------- authentication

    @Override
    public AuthResult authenticate(String username, char[] password) {
        if (username == null || username.isBlank() || password == null || password.length == 0) {
            // Says nothing about who exists, so no need to spend hashing time.
            return AuthResult.INVALID;
        }
        Snapshot s = snapshot;
        String name = username.strip();
        Optional<MailAddress> address = loginAddress(s, name);
        String key = address.map(Snapshot::aliasKey).orElse(name.toLowerCase(Locale.ROOT));
        Instant now = clock.instant();
        if (lockout.isLocked(key, now)) {
            LOG.debug("login refused, too many recent failures: {}", address.map(Object::toString).orElse("(unknown)"));
            return AuthResult.LOCKED;
        }
        Optional<Snapshot.StoredAccount> stored = address.flatMap(s::account);
        if (stored.isEmpty()) {
            hasher.verifyDummy(password);
            lockout.recordFailure(key, now);
            return AuthResult.INVALID;
        }
        Account account = stored.get().account();
        String hash = stored.get().passwordHash();
        boolean cached = cache.matches(account.address(), hash, password, now);
        if (!cached && !hasher.verify(password, hash)) {
            if (lockout.recordFailure(key, now)) {
                LOG.warn("{} locked after {} failed logins within {} minutes", account.username(),
                        settings.lockoutFailures(), settings.lockoutWindow().toMinutes());
            } else {
                LOG.debug("wrong password for {}", account.username());
            }
            return AuthResult.INVALID;
        }
        lockout.reset(key);
        if (!account.enabled()) {
            return AuthResult.DISABLED;
        }
        if (!cached) {
            cache.put(account.address(), hash, password, now);
        }
        if (stored.get().scram().isEmpty()) {
            addScramCredential(account.address(), hash, password);
        }
        return AuthResult.success(account);
    }

    /**
     * Gives an account whose password predates SCRAM its credential, now that its password is
     * known, so that SCRAM logins work from now on. A failure to save only delays that.
     */
    private void addScramCredential(MailAddress address, String hash, char[] password) {
        byte[] salt = new byte[ScramCredential.SALT_BYTES];
        random.nextBytes(salt);
        Optional<ScramCredential> scram;
        try {
            scram = Optional.of(ScramCredential.derive(password, salt, settings.scramIterations()));
        } catch (IllegalArgumentException e) {
            // Said once, when the password was set; not again at every login.
            LOG.debug("no SCRAM-SHA-256 credential for {}: {}", address, e.getMessage());
            return;
        }
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            Snapshot current = snapshot;
            Optional<Snapshot.StoredAccount> stored = current.account(address);
            // The password may have changed meanwhile; then the new one came with its credential.
            if (stored.isEmpty() || !stored.get().passwordHash().equals(hash) || stored.get().scram().isPresent()) {
                return;
            }
            Snapshot.Draft draft = current.edit();
            draft.accounts.put(address, new Snapshot.StoredAccount(stored.get().account(), hash, scram));
            Snapshot next = draft.freeze();
            try {
                file.save(next);
            } catch (IOException e) {
                LOG.warn("cannot save the SCRAM credential of {} in {}: {}; trying again at its next login", address,
                        file.path(), e.toString());
                return;
            }
            snapshot = next;
            LOG.info("account {}: SCRAM-SHA-256 credential added", address);
        }
    }

    // ------------------------------------------------------------------- SASL

    @Override
    public Set<String> saslMechanisms() {
        return Set.of(ScramCredential.MECHANISM);
    }

    @Override
    public SaslExchange startSasl(String mechanism) {
        if (!ScramCredential.MECHANISM.equalsIgnoreCase(mechanism)) {
            throw new IllegalArgumentException("SASL mechanism not offered: " + mechanism);
        }
        return new ScramExchange(scramUsers, random);
    }

    private final ScramUsers scramUsers = new ScramUsers() {

        @Override
        public ScramCredential challenge(String username) {
            Snapshot s = snapshot;
            return loginAddress(s, username.strip()).flatMap(s::account)
                    .flatMap(Snapshot.StoredAccount::scram)
                    .orElseGet(() -> fakeCredentials.of(username.strip()));
        }

        @Override
        public AuthResult finish(String username, ScramCredential offered, boolean proofValid) {
            Snapshot s = snapshot;
            String name = username.strip();
            Optional<MailAddress> address = loginAddress(s, name);
            String key = address.map(Snapshot::aliasKey).orElse(name.toLowerCase(Locale.ROOT));
            Instant now = clock.instant();
            if (lockout.isLocked(key, now)) {
                LOG.debug("SCRAM login refused, too many recent failures: {}",
                        address.map(Object::toString).orElse("(unknown)"));
                return AuthResult.LOCKED;
            }
            Optional<Snapshot.StoredAccount> stored = address.flatMap(s::account);
            if (stored.isPresent() && stored.get().scram().isEmpty()) {
                // No guess can succeed here, so this is no attack to count: the client simply
                // needs one password login first.
                LOG.info("SCRAM login for {} failed: no SCRAM credential yet (log in once with PLAIN or LOGIN)",
                        stored.get().account().username());
                return AuthResult.INVALID;
            }
            boolean current = stored.flatMap(Snapshot.StoredAccount::scram).map(offered::sameAs).orElse(false);
            if (!proofValid || !current) {
                if (lockout.recordFailure(key, now)) {
                    LOG.warn("{} locked after {} failed logins within {} minutes",
                            address.map(Object::toString).orElse(name), settings.lockoutFailures(),
                            settings.lockoutWindow().toMinutes());
                } else {
                    LOG.debug("wrong SCRAM proof for {}", address.map(Object::toString).orElse(name));
                }
                return AuthResult.INVALID;
            }
            lockout.reset(key);
            Account account = stored.get().account();
            return account.enabled() ? AuthResult.success(account) : AuthResult.DISABLED;
        }
    };

    /** The address a login name stands for: itself, or a bare local part in the default domain. */
    @Override
    public Optional<MailAddress> loginAddress(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        return loginAddress(snapshot, username.strip());
    }

    private Optional<MailAddress> loginAddress(Snapshot s, String name) {
        try {
            if (name.indexOf('@') >= 0) {
                return Optional.of(MailAddress.parse(name));
            }
            Optional<String> domain = defaultDomain(s);
            return domain.map(d -> new MailAddress(name, d));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- writing

    /** Saves, publishes and announces the next state; the caller holds the write lock. */
    private void commit(Snapshot next, String topic, String name, String change) throws DirectoryException {
        try {
            file.save(next);
        } catch (IOException e) {
            LOG.error("cannot save {}: {}; the change to {} was not made", file.path(), e.toString(), name);
            throw new DirectoryException("cannot save " + file.path() + ": " + e.getMessage(), e);
        }
        snapshot = next;
        String what = switch (topic) {
            case DirectoryEvents.DOMAIN_CHANGED -> "domain";
            case DirectoryEvents.ACCOUNT_CHANGED -> "account";
            default -> "alias";
        };
        LOG.info("{} {} {}", what, name, change);
        try {
            listener.changed(topic, name, change);
        } catch (RuntimeException e) {
            LOG.warn("could not announce that {} was {}: {}", name, change, e.toString());
        }
    }

    private void checkOpen() throws DirectoryException {
        if (closed) {
            throw new DirectoryException("the directory has been stopped; try again once it is back");
        }
    }

    private static String domainName(String name) throws DirectoryException {
        try {
            return DomainNames.normalize(name);
        } catch (IllegalArgumentException e) {
            throw new DirectoryException(e.getMessage());
        }
    }
}
