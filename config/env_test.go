package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// env returns a getenv that reads from m.
func env(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

func TestFromEnv(t *testing.T) {
	c := Default()
	err := FromEnv(c, env(map[string]string{
		EnvDataDir:    "/var/lib/newsdesk",
		EnvNATSURL:    "nats://n1:4222, nats://n2:4222",
		EnvNATSCreds:  "testdata/nats.creds",
		EnvESURL:      "http://es-0:9200, http://es-1:9200",
		EnvESUsername: "newsdesk",
		EnvESPassword: " pass word ",
		EnvHTTPAddr:   " :8080 ",
		EnvUserAgent:  "newsdesk-test/1.0",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"http://es-0:9200", "http://es-1:9200"}; !reflect.DeepEqual(c.Elasticsearch.URLs, want) {
		t.Errorf("elasticsearch.urls = %q, want %q", c.Elasticsearch.URLs, want)
	}
	if c.HTTP.Addr != ":8080" {
		t.Errorf("http.addr = %q, want :8080", c.HTTP.Addr)
	}
	if c.DataDir != "/var/lib/newsdesk" || c.NATS.URL != "nats://n1:4222, nats://n2:4222" ||
		c.NATS.CredsFile != "testdata/nats.creds" || c.Crawl.UserAgent != "newsdesk-test/1.0" {
		t.Errorf("overrides not applied: %+v", c)
	}
	if c.Elasticsearch.Username != "newsdesk" || c.Elasticsearch.Password != " pass word " {
		t.Errorf("credentials = %q/%q, want them verbatim", c.Elasticsearch.Username, c.Elasticsearch.Password)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("overridden config invalid: %v", err)
	}
}

func TestFromEnvEmptyIsUnset(t *testing.T) {
	c := Default()
	if err := FromEnv(c, env(nil)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Default()) {
		t.Error("an empty environment changed the config")
	}
}

func TestFromEnvBadValues(t *testing.T) {
	c := Default()
	err := FromEnv(c, env(map[string]string{
		EnvNATSURL:  "not a url",
		EnvESURL:    "http://es-0:9200,es-1",
		EnvHTTPAddr: "localhost",
	}))
	if err == nil {
		t.Fatal("FromEnv accepted bad values")
	}
	for _, want := range []string{
		`NEWSDESK_NATS_URL: "not a url" is not a NATS URL`,
		`NEWSDESK_ES_URL: "es-1" is not an absolute http(s) URL`,
		`NEWSDESK_HTTP_ADDR: "localhost" is not a host:port address`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q; got:\n%v", want, err)
		}
	}
	if c.NATS.URL != "" || c.HTTP.Addr != DefaultHTTPAddr {
		t.Errorf("bad values were applied: nats.url %q, http.addr %q", c.NATS.URL, c.HTTP.Addr)
	}
}

func TestLoadAppliesEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvHTTPAddr, "0.0.0.0:9090")
	t.Setenv(EnvESURL, "http://a:9200,http://b:9200")
	c, err := Load("testdata/production.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	// The environment wins over the file.
	if c.HTTP.Addr != "0.0.0.0:9090" || len(c.Elasticsearch.URLs) != 2 || c.Elasticsearch.URLs[1] != "http://b:9200" {
		t.Errorf("env not applied over the file: addr %q, urls %q", c.HTTP.Addr, c.Elasticsearch.URLs)
	}
}

func TestLoadBadEnvironment(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvNATSURL, "not a url")
	_, err := Load("testdata/empty.good.yml")
	if err == nil || !strings.HasPrefix(err.Error(), `NEWSDESK_NATS_URL: "not a url"`) {
		t.Errorf("err = %v, want one naming NEWSDESK_NATS_URL (and not the file)", err)
	}
}

// TestFromEnvNATSLimits checks the stream limits ops set per environment,
// and that a bad value names its variable and leaves the key alone.
func TestFromEnvNATSLimits(t *testing.T) {
	c := Default()
	err := FromEnv(c, env(map[string]string{
		EnvNATSReplicas: " 3 ",
		EnvNATSMaxBytes: "10737418240",
		EnvNATSMaxAge:   "2160h",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.NATS.Replicas != 3 || c.NATS.MaxBytes != 10<<30 || c.NATS.MaxAge != Duration(90*24*time.Hour) {
		t.Errorf("nats limits = replicas %d, max_bytes %d, max_age %s", c.NATS.Replicas, c.NATS.MaxBytes, c.NATS.MaxAge)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("overridden config invalid: %v", err)
	}
	// 0 is a value, not unset: no cap, keep forever.
	if err := FromEnv(c, env(map[string]string{EnvNATSMaxBytes: "0", EnvNATSMaxAge: "0"})); err != nil || c.NATS.MaxBytes != 0 || c.NATS.MaxAge != 0 {
		t.Errorf("zero limits: %v, max_bytes %d, max_age %s", err, c.NATS.MaxBytes, c.NATS.MaxAge)
	}

	c = Default()
	err = FromEnv(c, env(map[string]string{
		EnvNATSReplicas: "7",
		EnvNATSMaxBytes: "10GiB",
		EnvNATSMaxAge:   "30 days",
	}))
	for _, want := range []string{
		`NEWSDESK_NATS_REPLICAS: "7" is not a number of replicas from 1 to 5`,
		`NEWSDESK_NATS_MAX_BYTES: "10GiB" is not a size in bytes`,
		`NEWSDESK_NATS_MAX_AGE: "30 days" is not a duration`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q; got:\n%v", want, err)
		}
	}
	if d := Default(); c.NATS.Replicas != d.NATS.Replicas || c.NATS.MaxBytes != d.NATS.MaxBytes || c.NATS.MaxAge != d.NATS.MaxAge {
		t.Errorf("bad values were applied: %+v", c.NATS)
	}
}
