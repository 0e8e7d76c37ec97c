package org.postbus.delivery.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.Domain;
import org.postbus.api.directory.Recipients;
import org.postbus.api.mail.MailAddress;

/**
 * A directory that resolves from a map: exact addresses first, then {@code @domain} catch-alls;
 * an unlisted address in a local domain reaches no one, any other is remote.
 */
final class FakeDirectory implements Directory {

    private final Set<String> domains;
    private final Map<String, Recipients> entries = new HashMap<>();
    volatile RuntimeException failure;

    FakeDirectory(String... localDomains) {
        this.domains = Set.of(localDomains);
    }

    /** An account: resolves to itself. */
    FakeDirectory account(String address) {
        MailAddress a = MailAddress.parse(address);
        entries.put(a.toString().toLowerCase(), new Recipients(Set.of(a), Set.of()));
        return this;
    }

    /** An alias or catch-all ({@code @domain}), already expanded to these targets. */
    FakeDirectory alias(String source, String... targets) {
        Set<MailAddress> local = new HashSet<>();
        Set<MailAddress> remote = new HashSet<>();
        for (String t : targets) {
            MailAddress a = MailAddress.parse(t);
            (domains.contains(a.domain()) ? local : remote).add(a);
        }
        entries.put(source.toLowerCase(), new Recipients(local, remote));
        return this;
    }

    @Override
    public Recipients resolve(MailAddress recipient) {
        if (failure != null) {
            throw failure;
        }
        if (!domains.contains(recipient.domain())) {
            return new Recipients(Set.of(), Set.of(recipient));
        }
        Recipients r = entries.get(recipient.toString().toLowerCase());
        if (r == null) {
            r = entries.get("@" + recipient.domain());
        }
        return r == null ? Recipients.NONE : r;
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return domains.contains(domain.toLowerCase());
    }

    @Override
    public List<Domain> domains() {
        throw new UnsupportedOperationException();
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
    public Optional<Account> account(MailAddress address) {
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

    @Override
    public AuthResult authenticate(String username, char[] password) {
        throw new UnsupportedOperationException();
    }
}
