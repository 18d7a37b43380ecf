package config

import (
	"slices"
	"testing"
	"time"
)

// TestCrawlNetworkKeys loads the keys ops tune for a deployment's network:
// the connection limits, the failure threshold and the SSRF exceptions.
func TestCrawlNetworkKeys(t *testing.T) {
	c, err := Load("testdata/crawl-network.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	cr := c.Crawl
	if time.Duration(cr.ConnectTimeout) != 20*time.Second || time.Duration(cr.TLSTimeout) != 15*time.Second ||
		time.Duration(cr.HeaderTimeout) != 45*time.Second || cr.MaxDomainFailures != 3 {
		t.Errorf("connect %v, tls %v, header %v, max failures %d", cr.ConnectTimeout, cr.TLSTimeout, cr.HeaderTimeout, cr.MaxDomainFailures)
	}
	want := []string{"10.20.0.0/16", "fd00:1::/64", "192.168.1.5", "192.168.1.6:8443"}
	if !slices.Equal(cr.PrivateExceptions, want) {
		t.Errorf("private_exceptions = %q, want %q", cr.PrivateExceptions, want)
	}
	if d := Default().Crawl; time.Duration(d.ConnectTimeout) != DefaultConnectTimeout || d.MaxDomainFailures != DefaultMaxDomainFailures {
		t.Errorf("defaults: connect %v, max failures %d", d.ConnectTimeout, d.MaxDomainFailures)
	}
}
