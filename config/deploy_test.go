package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestDeployConfigs loads the newsdesk.yaml files that deploy/ ships (the
// image's default, the compose config, the Kubernetes ConfigMap) with the
// environment those deployments set, so a config change cannot silently
// break them.
func TestDeployConfigs(t *testing.T) {
	clearEnv(t)
	// The deploy files carry a placeholder User-Agent that fails until the
	// operator names a contact; NEWSDESK_USER_AGENT does it without an edit.
	if _, err := Load("../deploy/newsdesk.yaml"); err == nil || !strings.Contains(err.Error(), "crawl.user_agent") {
		t.Errorf("deploy/newsdesk.yaml with its placeholder User-Agent: %v, want an error naming crawl.user_agent", err)
	}
	t.Setenv(EnvUserAgent, "newsdesk/0.1 (+https://news.example.org/bot; ops@news.example.org)")
	if _, err := Load("../deploy/newsdesk.yaml"); err != nil {
		t.Errorf("deploy/newsdesk.yaml: %v", err)
	}

	var compose struct {
		Configs map[string]struct{ Content string } `yaml:"configs"`
	}
	readYAML(t, "../deploy/compose.yaml", &compose)
	t.Run("compose", func(t *testing.T) {
		t.Setenv(EnvNATSURL, "nats://nats:4222")
		t.Setenv(EnvESURL, "http://elasticsearch:9200")
		loadContent(t, compose.Configs["newsdesk"].Content)
	})

	var configMap struct {
		Data map[string]string `yaml:"data"`
	}
	readYAML(t, "../deploy/kubernetes/configmap.yaml", &configMap)
	t.Run("kubernetes", func(t *testing.T) {
		t.Setenv(EnvESUsername, "newsdesk")
		t.Setenv(EnvESPassword, "secret")
		c := loadContent(t, configMap.Data["newsdesk.yaml"])
		if c != nil && c.NATS.Replicas != 3 {
			t.Errorf("nats.replicas = %d, want 3 for a JetStream cluster", c.NATS.Replicas)
		}
	})
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func loadContent(t *testing.T, content string) *Config {
	t.Helper()
	if content == "" {
		t.Fatal("no newsdesk.yaml content found")
	}
	path := filepath.Join(t.TempDir(), "newsdesk.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Error(err)
	}
	return c
}
