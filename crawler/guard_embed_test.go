package crawler

import (
	"errors"
	"net/netip"
	"testing"
)

// TestGuardRefusesEmbeddedPrivateIPv4 checks the IPv6 forms that carry an
// IPv4 address: each is refused when the IPv4 address is private,
// loopback, link-local, CGNAT or the metadata service, and let through
// when it is public.
func TestGuardRefusesEmbeddedPrivateIPv4(t *testing.T) {
	g, err := newGuard(false, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		addr    string
		blocked bool
	}{
		// NAT64 well-known prefix, 64:ff9b::/96
		{"64:ff9b::7f00:1", true},                       // 127.0.0.1
		{"64:ff9b::a9fe:a9fe", true},                    // 169.254.169.254
		{"64:ff9b::10.1.2.3", true},                     // 10.1.2.3
		{"64:ff9b::100.100.1.1", true},                  // CGNAT
		{"64:ff9b::8.8.8.8", false},                     // public
		{"64:ff9b:1::8.8.8.8", true},                    // local-use NAT64, refused whole
		{"64:ff9b:1:ab::a00:1", true},                   // local-use NAT64
		{"2002:7f00:1::1", true},                        // 6to4 of 127.0.0.1
		{"2002:a9fe:a9fe::", true},                      // 6to4 of 169.254.169.254
		{"2002:c0a8:101::1", true},                      // 6to4 of 192.168.1.1
		{"2002:808:808::1", false},                      // 6to4 of 8.8.8.8
		{"2001:0:4136:e378:8000:63bf:80ff:fffe", true},  // Teredo, client 127.0.0.1
		{"2001:0:4136:e378:8000:63bf:5601:5601", true},  // Teredo, client 169.254.169.254 (0xa9fea9fe inverted)
		{"2001:0:4136:e378:8000:63bf:f5fe:fffe", true},  // Teredo, client 10.1.0.1
		{"2001:0:4136:e378:8000:63bf:f7f7:f7f7", false}, // Teredo, client 8.8.8.8
		{"::127.0.0.1", true},                           // IPv4-compatible
		{"::192.168.0.1", true},                         // IPv4-compatible
		{"::169.254.169.254", true},                     // IPv4-compatible
		{"::8.8.8.8", false},                            // IPv4-compatible, public
		{"::ffff:127.0.0.1", true},                      // IPv4-mapped
		{"::ffff:100.64.0.1", true},                     // IPv4-mapped CGNAT
		{"::ffff:8.8.8.8", false},                       // IPv4-mapped, public
		{"::ffff:0:127.0.0.1", true},                    // SIIT
		{"::ffff:0:172.16.0.1", true},                   // SIIT
		{"::ffff:0:8.8.8.8", false},                     // SIIT, public
		{"::1", true},                                   // loopback
		{"fe80::1", true},                               // link-local
		{"fd00::1", true},                               // unique local
		{"2606:4700::1111", false},                      // public IPv6
		{"93.184.215.14", false},                        // public IPv4
		{"169.254.169.254", true},                       // metadata
	}
	for _, c := range cases {
		a := netip.MustParseAddr(c.addr)
		err := g.control("tcp", netip.AddrPortFrom(a, 443).String(), nil)
		if got := errors.Is(err, ErrPrivateAddress); got != c.blocked {
			t.Errorf("%s: refused=%v, want %v (err %v)", c.addr, got, c.blocked, err)
		}
	}
}
