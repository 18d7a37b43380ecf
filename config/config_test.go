package config

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// clearEnv unsets every variable FromEnv reads for the test, so a
// developer's own NEWSDESK_* settings cannot change the results.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, name := range []string{EnvDataDir, EnvNATSURL, EnvNATSCreds, EnvESURL,
		EnvESUsername, EnvESPassword, EnvESAPIKey, EnvHTTPAddr, EnvUserAgent,
		EnvNATSReplicas, EnvNATSMaxBytes, EnvNATSMaxAge} {
		t.Setenv(name, "")
	}
}

func TestGoodFiles(t *testing.T) {
	clearEnv(t)
	files, _ := filepath.Glob("testdata/*.good.yml")
	if len(files) == 0 {
		t.Fatal("no testdata/*.good.yml")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if _, err := Load(path); err != nil {
				t.Errorf("Load: %v", err)
			}
		})
	}
}

// TestBadFiles loads each testdata/*.bad.yml and expects every message
// given in its leading "# want: " lines, with every line of the error
// naming the file.
func TestBadFiles(t *testing.T) {
	clearEnv(t)
	files, _ := filepath.Glob("testdata/*.bad.yml")
	if len(files) == 0 {
		t.Fatal("no testdata/*.bad.yml")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			wants := wantLines(t, path)
			_, err := Load(path)
			if err == nil {
				t.Fatalf("Load succeeded, want errors %q", wants)
			}
			msg := err.Error()
			for _, want := range wants {
				if !strings.Contains(msg, path+": "+want) {
					t.Errorf("error does not contain %q; got:\n%s", path+": "+want, msg)
				}
			}
			for line := range strings.SplitSeq(msg, "\n") {
				if !strings.HasPrefix(line, path+": ") {
					t.Errorf("error line does not name the file: %q", line)
				}
			}
		})
	}
}

func wantLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var wants []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		want, ok := strings.CutPrefix(sc.Text(), "# want: ")
		if !ok {
			break
		}
		wants = append(wants, want)
	}
	if len(wants) == 0 {
		t.Fatalf("%s: no leading '# want: ' line", path)
	}
	return wants
}

func TestGoodFileValues(t *testing.T) {
	clearEnv(t)
	c, err := Load("testdata/production.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	if c.NATS.Replicas != 3 || c.Elasticsearch.Analyzer != "english" || c.HTTP.Addr != ":8080" {
		t.Errorf("file values not applied: %+v", c)
	}
	if got, want := time.Duration(c.Crawl.Delay), 500*time.Millisecond; got != want {
		t.Errorf("crawl.delay = %v, want %v", got, want)
	}
	// Keys the file leaves out keep their defaults.
	if c.NATS.Stream != DefaultStream || c.Crawl.UserAgent != DefaultUserAgent || c.Crawl.IgnoreRobots {
		t.Errorf("defaults lost: stream %q, user agent %q", c.NATS.Stream, c.Crawl.UserAgent)
	}
	// The file's sources replace the example ones; a source that omits
	// max_depth gets the default.
	if len(c.Sources) != 2 || c.Sources[0].Name != "krebs" {
		t.Fatalf("sources = %+v", c.Sources)
	}
	if c.Sources[0].MaxDepth != DefaultMaxDepth || c.Sources[1].MaxDepth != 3 {
		t.Errorf("max_depth = %d, %d; want %d, 3", c.Sources[0].MaxDepth, c.Sources[1].MaxDepth, DefaultMaxDepth)
	}
}

func TestLoadDefaultsWithoutFile(t *testing.T) {
	clearEnv(t)
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Default()) {
		t.Errorf("Load(\"\") differs from Default()")
	}
	if c, _ := Load("testdata/no-sources.good.yml"); c == nil || len(c.Sources) != 0 {
		t.Errorf("sources: [] should clear the example sources")
	}
}

func TestLoadMissingFile(t *testing.T) {
	clearEnv(t)
	_, err := Load("testdata/does-not-exist.yml")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "testdata/does-not-exist.yml") {
		t.Errorf("err = %v, want a not-exist error naming the file", err)
	}
}

func TestExampleFile(t *testing.T) {
	clearEnv(t)
	if _, err := Load("newsdesk.example.yaml"); err != nil {
		t.Fatalf("the example does not load: %v", err)
	}
	// The embedded copy is the file on disk.
	disk, err := os.ReadFile("newsdesk.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(disk, ExampleYAML()) {
		t.Error("ExampleYAML differs from newsdesk.example.yaml")
	}
	// Decoded over nothing, the example is exactly the defaults: it shows
	// every default value, and Default takes its sources from it.
	var fromExample Config
	if err := decode(bytes.NewReader(disk), &fromExample); err != nil {
		t.Fatal(err)
	}
	if got, want := marshal(t, &fromExample), marshal(t, Default()); got != want {
		t.Errorf("the example's values differ from Default():\nexample:\n%s\ndefault:\n%s", got, want)
	}
	// And it spells out every key.
	var exampleDoc, defaultDoc yaml.Node
	if err := yaml.Unmarshal(disk, &exampleDoc); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(marshal(t, Default())), &defaultDoc); err != nil {
		t.Fatal(err)
	}
	have := keyPaths(&exampleDoc, "")
	for _, k := range keyPaths(&defaultDoc, "") {
		if !slices.Contains(have, k) {
			t.Errorf("the example does not show key %s", k)
		}
	}
	if n := len(Default().Sources); n < 9 {
		t.Errorf("Default() has %d sources, want the example's (at least 9)", n)
	}
}

// keyPaths lists the mapping keys under n as dotted paths, with [] for
// sequence items: nats.embedded.port, sources[].seeds.
func keyPaths(n *yaml.Node, prefix string) []string {
	var out []string
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			out = append(out, keyPaths(c, prefix)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if prefix != "" {
				k = prefix + "." + k
			}
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
			for _, sub := range keyPaths(n.Content[i+1], k) {
				if !slices.Contains(out, sub) {
					out = append(out, sub)
				}
			}
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			for _, sub := range keyPaths(c, prefix+"[]") {
				if !slices.Contains(out, sub) {
					out = append(out, sub)
				}
			}
		}
	}
	return out
}

func marshal(t *testing.T, c *Config) string {
	t.Helper()
	b, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDefaultIsValidAndFresh(t *testing.T) {
	a := Default()
	if err := a.Validate(); err != nil {
		t.Fatalf("Default() is invalid: %v", err)
	}
	a.Sources[0].Seeds[0] = "changed"
	if Default().Sources[0].Seeds[0] == "changed" {
		t.Error("Default() shares its sources between calls")
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	want := Default()
	var got Config
	if err := decode(strings.NewReader(marshal(t, want)), &got); err != nil {
		t.Fatalf("a marshalled Default() does not load: %v", err)
	}
	if marshal(t, &got) != marshal(t, want) {
		t.Error("round trip changed the config")
	}
}

func TestValidateJoinsEveryProblem(t *testing.T) {
	c := Default()
	c.DataDir = ""
	c.Crawl.Timeout = 0
	c.Elasticsearch.Username = "only-a-user"
	c.Elasticsearch.RefreshInterval = 0
	c.Sources = []Source{{Name: "a", Seeds: []string{"https://a.example/"}, MaxDepth: 1}}
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate succeeded")
	}
	got := strings.Split(err.Error(), "\n")
	want := []string{
		"data_dir: must not be empty",
		"elasticsearch.password: required when username is set (or password_file)",
		"elasticsearch.refresh_interval: must be positive, like 1s",
		"crawl.timeout: must be positive",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Validate() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		15 * time.Minute:       "15m",
		720 * time.Hour:        "720h",
		90 * time.Minute:       "1h30m",
		time.Second:            "1s",
		500 * time.Millisecond: "500ms",
		0:                      "0s",
	} {
		if got := Duration(d).String(); got != want {
			t.Errorf("Duration(%v).String() = %q, want %q", d, got, want)
		}
	}
	var v struct{ D Duration }
	if err := yaml.Unmarshal([]byte("d: 1h30m"), &v); err != nil || time.Duration(v.D) != 90*time.Minute {
		t.Errorf("unmarshal 1h30m: %v, %v", v.D, err)
	}
	for _, bad := range []string{"d: soon", "d: 15", "d: [1s]"} {
		if err := yaml.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("unmarshal %q succeeded", bad)
		}
	}
}
