package org.postbus.queue.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds where mail for a domain goes (RFC 5321 section 5.1): its MX hosts in preference order,
 * else the domain itself (implicit MX); a null MX (RFC 7505) means the domain takes no mail.
 */
final class MxResolver {

    /** A host to try and its addresses. */
    record Host(String name, List<InetAddress> addresses) {
    }

    /** The hosts, or why there are none. */
    record Route(List<Host> hosts, Failure failure) {
        static Route of(List<Host> hosts) {
            return new Route(hosts, null);
        }

        static Route failed(Failure failure) {
            return new Route(List.of(), failure);
        }
    }

    private final Resolver resolver;
    private final Cache cache = new Cache(DClass.IN);

    MxResolver(Resolver resolver) {
        this.resolver = resolver;
    }

    /** A resolver asking {@code server}, or the system's resolvers when empty. */
    static Resolver resolver(Optional<InetSocketAddress> server, Duration timeout) {
        Resolver r = server.<Resolver>map(SimpleResolver::new).orElseGet(Lookup::getDefaultResolver);
        r.setTimeout(timeout);
        return r;
    }

    Route route(String domain) {
        Name name;
        try {
            name = Name.fromString(domain, Name.root);
        } catch (TextParseException e) {
            return Route.failed(Failure.permanent("5.1.2", "bad destination domain " + domain));
        }
        Lookup mx = lookup(name, Type.MX);
        Record[] records = mx.run();
        switch (mx.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<MXRecord> mxs = new ArrayList<>();
                for (Record r : records) {
                    if (r instanceof MXRecord m) {
                        mxs.add(m);
                    }
                }
                if (mxs.size() == 1 && mxs.get(0).getTarget().equals(Name.root)) {
                    return Route.failed(Failure.permanent("5.1.10",
                            "556 5.1.10 " + domain + " does not accept mail (null MX)"));
                }
                mxs.sort(Comparator.comparingInt(MXRecord::getPriority));
                List<Host> hosts = new ArrayList<>();
                boolean temporary = false;
                for (MXRecord m : mxs) {
                    if (m.getTarget().equals(Name.root)) {
                        continue;
                    }
                    AddressResult a = addresses(m.getTarget());
                    temporary |= a.temporary;
                    if (!a.addresses.isEmpty()) {
                        hosts.add(new Host(m.getTarget().toString(true), a.addresses));
                    }
                }
                if (hosts.isEmpty()) {
                    return Route.failed(temporary
                            ? Failure.temporary("4.4.3", "cannot resolve the MX hosts of " + domain)
                            : Failure.permanent("5.1.2", "the MX hosts of " + domain + " have no address"));
                }
                return Route.of(hosts);
            }
            case Lookup.TYPE_NOT_FOUND -> {
                AddressResult a = addresses(name);
                if (!a.addresses.isEmpty()) {
                    return Route.of(List.of(new Host(domain, a.addresses)));
                }
                return Route.failed(a.temporary
                        ? Failure.temporary("4.4.3", "cannot resolve " + domain)
                        : Failure.permanent("5.1.2", domain + " has neither MX nor address records"));
            }
            case Lookup.HOST_NOT_FOUND -> {
                return Route.failed(Failure.permanent("5.1.2", "domain " + domain + " does not exist"));
            }
            default -> {
                return Route.failed(Failure.temporary("4.4.3",
                        "DNS lookup of " + domain + " failed: " + mx.getErrorString()));
            }
        }
    }

    private record AddressResult(List<InetAddress> addresses, boolean temporary) {
    }

    private AddressResult addresses(Name host) {
        List<InetAddress> result = new ArrayList<>();
        boolean temporary = false;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Lookup l = lookup(host, type);
            Record[] records = l.run();
            if (l.getResult() == Lookup.SUCCESSFUL) {
                for (Record r : records) {
                    if (r instanceof ARecord a) {
                        result.add(a.getAddress());
                    } else if (r instanceof AAAARecord aaaa) {
                        result.add(aaaa.getAddress());
                    }
                }
            } else if (l.getResult() == Lookup.TRY_AGAIN || l.getResult() == Lookup.UNRECOVERABLE) {
                temporary = true;
            }
        }
        return new AddressResult(result, temporary);
    }

    private Lookup lookup(Name name, int type) {
        Lookup l = new Lookup(name, type, DClass.IN);
        l.setResolver(resolver);
        l.setCache(cache);
        // Only DNS: /etc/hosts says nothing about mail routing and would hide the configured server.
        l.setHostsFileParser(null);
        return l;
    }
}
