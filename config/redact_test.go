package config

import (
	"strings"
	"testing"
)

func TestRedacted(t *testing.T) {
	c := Default()
	c.NATS.URL = "nats://s3cret-token@n1:4222,nats://user:natspw@n2:4222,nats://n3:4222"
	c.Elasticsearch.URLs = []string{"https://elastic:espw@es-0:9200/", "https://es-1:9200"}
	c.Elasticsearch.Username = "elastic"
	c.Elasticsearch.Password = "espw"
	c.Elasticsearch.APIKey = "a2V5OnNlY3JldA=="

	r := c.Redacted()

	if r.Elasticsearch.Password != "***" || r.Elasticsearch.APIKey != "***" {
		t.Errorf("password %q, api_key %q, want ***", r.Elasticsearch.Password, r.Elasticsearch.APIKey)
	}
	if want := "nats://***@n1:4222,nats://user:***@n2:4222,nats://n3:4222"; r.NATS.URL != want {
		t.Errorf("nats.url = %q, want %q", r.NATS.URL, want)
	}
	if want := "https://elastic:***@es-0:9200/"; r.Elasticsearch.URLs[0] != want {
		t.Errorf("elasticsearch.urls[0] = %q, want %q", r.Elasticsearch.URLs[0], want)
	}
	if r.Elasticsearch.URLs[1] != "https://es-1:9200" || r.Elasticsearch.Username != "elastic" {
		t.Errorf("non-secrets changed: %q, %q", r.Elasticsearch.URLs[1], r.Elasticsearch.Username)
	}
	for _, secret := range []string{"s3cret", "natspw", "espw", "a2V5"} {
		if s := marshal(t, r); strings.Contains(s, secret) {
			t.Errorf("redacted config still holds %q", secret)
		}
	}

	// A deep copy: the original keeps its secrets and its slices.
	if c.Elasticsearch.Password != "espw" || !strings.Contains(c.NATS.URL, "s3cret") ||
		!strings.Contains(c.Elasticsearch.URLs[0], "espw") {
		t.Error("Redacted changed the original")
	}
	r.Sources[0].Seeds[0] = "changed"
	if c.Sources[0].Seeds[0] == "changed" {
		t.Error("Redacted shares sources with the original")
	}

	// Empty secrets stay empty, so the log shows which auth is in use.
	if d := Default().Redacted(); d.Elasticsearch.Password != "" || d.Elasticsearch.APIKey != "" {
		t.Error("empty secrets became ***")
	}
}
