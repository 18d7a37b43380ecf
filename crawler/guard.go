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
	netip.MustParsePrefix("64:ff9b:1::/48"),
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

// blocked reports whether an address is one the crawler must not reach.
func blocked(a netip.Addr) bool {
	a = a.Unmap()
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
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    o.TLSTimeout,
		ResponseHeaderTimeout:  o.HeaderTimeout,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    max(o.Parallelism, 2),
		IdleConnTimeout:        90 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 1 << 20,
	}
}
