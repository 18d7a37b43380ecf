package crawler

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// ErrPrivateAddress is the error of a connection the SSRF guard refused.
var ErrPrivateAddress = errors.New("refusing to connect to a loopback, private, link-local or metadata address (crawl.allow_private_networks is off)")

// blockedPrefixes are the special-purpose ranges netip has no predicate
// for: CGNAT (where some clouds put their metadata service), "this
// network", IETF protocol assignments, benchmarking and reserved space.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64: never a public address
}

// embedding are the IPv6 forms that carry an IPv4 address a gateway or
// the kernel may route to: NAT64 (RFC 6052's well-known prefix; the
// local-use one is refused whole, above), SIIT (::ffff:0:a.b.c.d),
// IPv4-compatible (::a.b.c.d), 6to4 and Teredo. An address of these forms
// is refused when the IPv4 address inside it is.
var embedding = []struct {
	prefix netip.Prefix
	ipv4   func(b [16]byte) netip.Addr
}{
	{netip.MustParsePrefix("64:ff9b::/96"), last32},
	{netip.MustParsePrefix("::ffff:0:0:0/96"), last32},
	{netip.MustParsePrefix("::/96"), last32},
	{netip.MustParsePrefix("2002::/16"), func(b [16]byte) netip.Addr { return netip.AddrFrom4([4]byte(b[2:6])) }},
	{netip.MustParsePrefix("2001::/32"), func(b [16]byte) netip.Addr { // Teredo: the client's IPv4, inverted
		return netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]})
	}},
}

func last32(b [16]byte) netip.Addr { return netip.AddrFrom4([4]byte(b[12:16])) }

// embeddedIPv4 returns the IPv4 address an IPv6 address carries, if it is
// of one of the embedding forms.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() {
		return netip.Addr{}, false
	}
	for _, e := range embedding {
		if e.prefix.Contains(a) {
			return e.ipv4(a.As16()), true
		}
	}
	return netip.Addr{}, false
}

// guard decides, at dial time, which addresses the crawler may connect to.
// Checking the address being dialled (not the URL's host name) is what
// makes it hold: a redirect to http://169.254.169.254/, or a public name
// whose DNS answer is 10.0.0.5, is refused all the same.
type guard struct {
	allowAll bool
	allowed  []netip.Prefix // exceptions: intranet sources, test servers
	ports    map[netip.AddrPort]bool
}

// newGuard parses the exceptions: an IP, a CIDR prefix or an ip:port.
func newGuard(allowAll bool, exceptions []string) (*guard, error) {
	g := &guard{allowAll: allowAll, ports: make(map[netip.AddrPort]bool)}
	for _, e := range exceptions {
		e = strings.TrimSpace(e)
		if ap, err := netip.ParseAddrPort(e); err == nil {
			g.ports[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] = true
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			g.allowed = append(g.allowed, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, fmt.Errorf("private address exception %q: want an IP, a CIDR prefix or ip:port", e)
		}
		g.allowed = append(g.allowed, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return g, nil
}

// blocked reports whether an address is one the crawler must not reach,
// directly or through the IPv4 address it embeds.
func blocked(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	if v4, ok := embeddedIPv4(a); ok && blockedAddr(v4) {
		return true
	}
	return blockedAddr(a)
}

func blockedAddr(a netip.Addr) bool {
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// control is the net.Dialer Control hook: it runs after name resolution,
// for every address tried.
func (g *guard) control(_, address string, _ syscall.RawConn) error {
	if g.allowAll {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
	}
	a := ap.Addr().Unmap()
	if !blocked(a) || g.ports[netip.AddrPortFrom(a, ap.Port())] {
		return nil
	}
	for _, p := range g.allowed {
		if p.Contains(a) {
			return nil
		}
	}
	return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
}

// newNetTransport is the pass's connection layer: the guard at dial time,
// a bound on each phase of a request, and no proxy from the environment
// (a proxy would dial for us, out of the guard's sight).
func newNetTransport(o Options, g *guard) *http.Transport {
	d := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second, Control: g.control}
	return &http.Transport{
		Proxy:              nil,
		DialContext:        d.DialContext,
		ForceAttemptHTTP2:  true,
		DisableCompression: true, // passTransport decodes, bounded

		TLSHandshakeTimeout:    o.TLSTimeout,
		ResponseHeaderTimeout:  o.HeaderTimeout,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    max(o.Parallelism, 2),
		IdleConnTimeout:        90 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 1 << 20,
	}
}
