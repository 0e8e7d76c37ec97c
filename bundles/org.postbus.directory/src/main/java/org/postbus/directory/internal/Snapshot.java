package org.postbus.directory.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.Domain;
import org.postbus.api.mail.MailAddress;
import org.postbus.directory.internal.scram.ScramCredential;

/**
 * One immutable state of the directory. Readers take the current snapshot without locking; a
 * writer builds the next one from a {@link Draft} and swaps it in once it is on disk.
 */
final class Snapshot {

    /**
     * An account together with its password hash and SCRAM credential, which never leave this
     * bundle. Accounts whose password was set before SCRAM was offered have none until their
     * next password login.
     */
    record StoredAccount(Account account, String passwordHash, Optional<ScramCredential> scram) {

        StoredAccount {
            Objects.requireNonNull(scram, "scram");
        }

        /** The same account with another state, same credentials. */
        StoredAccount with(Account changed) {
            return new StoredAccount(changed, passwordHash, scram);
        }
    }

    /** Accounts sort by domain, then local part without case: an administrator reads them per domain. */
    static final Comparator<MailAddress> ADDRESS_ORDER = Comparator.comparing(MailAddress::domain)
            .thenComparing(a -> a.localPart().toLowerCase(Locale.ROOT))
            .thenComparing(MailAddress::localPart);

    static final Snapshot EMPTY = new Snapshot(new LinkedHashMap<>(), new HashMap<>(), new HashMap<>());

    // Insertion order matters: the first domain is the default for bare user names.
    private final Map<String, Domain> domains;
    private final Map<MailAddress, StoredAccount> accounts;
    private final Map<String, Alias> aliases;
    private final List<Domain> sortedDomains;
    private final List<Account> sortedAccounts;
    private final List<Alias> sortedAliases;

    private Snapshot(LinkedHashMap<String, Domain> domains, Map<MailAddress, StoredAccount> accounts,
            Map<String, Alias> aliases) {
        this.domains = Collections.unmodifiableMap(domains);
        this.accounts = Collections.unmodifiableMap(accounts);
        this.aliases = Collections.unmodifiableMap(aliases);
        this.sortedDomains = domains.values().stream().sorted(Comparator.comparing(Domain::name)).toList();
        this.sortedAccounts = accounts.values().stream().map(StoredAccount::account)
                .sorted(Comparator.comparing(Account::address, ADDRESS_ORDER)).toList();
        this.sortedAliases = aliases.values().stream()
                .sorted(Comparator.comparing((Alias a) -> aliasKey(a.source())).thenComparing(Alias::source)).toList();
    }

    /** The map key of an alias source: sources compare without case, like addresses. */
    static String aliasKey(String source) {
        return source.toLowerCase(Locale.ROOT);
    }

    /** The alias key of a full address. */
    static String aliasKey(MailAddress address) {
        return aliasKey(address.toString());
    }

    /** The alias key of a domain's catch-all. */
    static String catchAllKey(String domain) {
        return "@" + domain;
    }

    Map<String, Domain> domainMap() {
        return domains;
    }

    List<Domain> domains() {
        return sortedDomains;
    }

    /** The domain added first, if any. */
    Optional<String> firstDomain() {
        return domains.keySet().stream().findFirst();
    }

    boolean hasDomain(String lowerCaseName) {
        return domains.containsKey(lowerCaseName);
    }

    List<Account> accounts() {
        return sortedAccounts;
    }

    Map<MailAddress, StoredAccount> accountMap() {
        return accounts;
    }

    Optional<StoredAccount> account(MailAddress address) {
        return Optional.ofNullable(accounts.get(address));
    }

    List<Alias> aliases() {
        return sortedAliases;
    }

    Optional<Alias> alias(String key) {
        return Optional.ofNullable(aliases.get(key));
    }

    /** A mutable copy to build the next snapshot from. */
    Draft edit() {
        return new Draft(new LinkedHashMap<>(domains), new HashMap<>(accounts), new HashMap<>(aliases));
    }

    /** A snapshot under construction; used by one writer and then frozen. */
    static final class Draft {
        final LinkedHashMap<String, Domain> domains;
        final Map<MailAddress, StoredAccount> accounts;
        final Map<String, Alias> aliases;

        Draft() {
            this(new LinkedHashMap<>(), new HashMap<>(), new HashMap<>());
        }

        private Draft(LinkedHashMap<String, Domain> domains, Map<MailAddress, StoredAccount> accounts,
                Map<String, Alias> aliases) {
            this.domains = domains;
            this.accounts = accounts;
            this.aliases = aliases;
        }

        Snapshot freeze() {
            return new Snapshot(new LinkedHashMap<>(domains), new HashMap<>(accounts), new HashMap<>(aliases));
        }
    }

    /** For diagnostics: the names of accounts and aliases that keep {@code domain} in use. */
    List<String> usersOf(String domain) {
        List<String> users = new ArrayList<>();
        for (Account account : sortedAccounts) {
            if (account.address().domain().equals(domain)) {
                users.add(account.username());
            }
        }
        for (Alias alias : sortedAliases) {
            if (alias.domain().equals(domain)) {
                users.add(alias.source());
            }
        }
        return users;
    }
}
