package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdesk/config"
	"newsdesk/indexer/elastic"
	"newsdesk/internal/testenv"
)

// doctorLine reports whether out has a line with the verdict and the
// check's name at its start, e.g. "OK    stream NEWSDESK_ARTICLES".
func doctorLine(out, verdict, what string) bool {
	re := regexp.MustCompile(`(?m)^` + verdict + `\s+` + regexp.QuoteMeta(what))
	return re.MatchString(out)
}

// TestDoctorPassesOnAHealthySetup sets up real NATS streams and a real
// Elasticsearch index as `newsdesk index` would, and expects every check
// OK and exit 0.
func TestIntegrationDoctorPassesOnAHealthySetup(t *testing.T) {
	esURL := testenv.ElasticsearchURL(t)
	natsURL := testenv.NATS(t)
	index := "newsdesk-doctor-" + randomSuffix(t)
	t.Cleanup(func() {
		testenv.DropElasticsearchIndex(t, esURL, index)
	})
	cfgPath := writeConfig(t, fmt.Sprintf("data_dir: %s\nnats:\n  url: %s\nelasticsearch:\n  urls: [%s]\n  index: %s\n  replicas: \"0\"\n",
		t.TempDir(), natsURL, esURL, index))
	if code, _, stderr := runMain(t, "", "streams", "apply", "--config", cfgPath); code != exitOK {
		t.Fatalf("streams apply: exit %d: %s", code, stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	idx, err := elastic.New(ctx, elastic.Options{URLs: []string{esURL}, Index: index, Replicas: "0"})
	if err != nil {
		t.Fatal(err)
	}
	idx.Close()

	code, stdout, _ := runMain(t, "", "doctor", "--config", cfgPath)
	if code != exitOK {
		t.Errorf("doctor: exit %d, want 0:\n%s", code, stdout)
	}
	for _, what := range []string{"config", "data dir", "nats", "stream NEWSDESK_ARTICLES", "dead letters",
		"elasticsearch", "alias " + index, "alias " + index + "-write", "index template " + index + "-template"} {
		if !doctorLine(stdout, "(OK|WARN)", what) {
			t.Errorf("no OK line for %q:\n%s", what, stdout)
		}
	}
	if !strings.Contains(stdout, "mapping version") || !strings.Contains(stdout, "all checks passed") {
		t.Errorf("doctor output:\n%s", stdout)
	}
}

// TestDoctorNamesWhatIsBrokenAndHowToFixIt points the config at a NATS and
// an Elasticsearch that do not answer and at a data dir that is a file:
// each is a FAIL line with its fix, and the exit status is 1.
func TestDoctorNamesWhatIsBrokenAndHowToFixIt(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := writeConfig(t, fmt.Sprintf("data_dir: %s\nnats:\n  url: nats://%s\nelasticsearch:\n  urls: [http://%s]\n",
		notADir, closedPort(t), closedPort(t)))
	code, stdout, _ := runMain(t, "", "doctor", "--config", cfgPath)
	if code != exitFailed {
		t.Errorf("doctor: exit %d, want %d:\n%s", code, exitFailed, stdout)
	}
	for _, what := range []string{"data dir " + notADir, "nats", "elasticsearch"} {
		if !doctorLine(stdout, "FAIL", what) {
			t.Errorf("no FAIL line for %q:\n%s", what, stdout)
		}
	}
	for _, fix := range []string{"fix: create it and make it writable", "fix: check nats.url", "fix: check elasticsearch.urls"} {
		if !strings.Contains(stdout, fix) {
			t.Errorf("doctor does not say %q:\n%s", fix, stdout)
		}
	}
}

// TestDoctorFindsMissingStreamsAndAHeldIndex connects to a real NATS
// server where the streams were never created, with an embedded index
// another process holds.
func TestDoctorFindsMissingStreamsAndAHeldIndex(t *testing.T) {
	cfg := config.Default()
	dataDir := t.TempDir()
	held, err := openIndex(context.Background(), &config.Config{DataDir: dataDir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	cfgPath := writeConfig(t, fmt.Sprintf("data_dir: %s\nnats:\n  url: %s\n", dataDir, testenv.NATS(t)))
	code, stdout, _ := runMain(t, "", "doctor", "--config", cfgPath)
	if code != exitFailed {
		t.Errorf("doctor: exit %d, want %d:\n%s", code, exitFailed, stdout)
	}
	if !doctorLine(stdout, "OK", "nats") {
		t.Errorf("the NATS connection is not OK:\n%s", stdout)
	}
	for _, stream := range []string{cfg.NATS.Stream, cfg.NATS.AlertStream, cfg.NATS.DLQStream} {
		if !doctorLine(stdout, "FAIL", "stream "+stream+": missing") {
			t.Errorf("stream %s not reported missing:\n%s", stream, stdout)
		}
	}
	if !strings.Contains(stdout, "fix: run `newsdesk streams apply`") {
		t.Errorf("no fix for the missing streams:\n%s", stdout)
	}
	if !doctorLine(stdout, "WARN", "embedded index "+filepath.Join(dataDir, "index")+": open in another newsdesk process") {
		t.Errorf("the held index lock is not reported:\n%s", stdout)
	}
}

func TestDoctorReportsABadConfig(t *testing.T) {
	cfgPath := writeConfig(t, "crawl:\n  parallelism: two\n")
	code, stdout, _ := runMain(t, "", "doctor", "--config", cfgPath)
	if code != exitFailed || !doctorLine(stdout, "FAIL", "config: "+cfgPath+": crawl.parallelism") {
		t.Errorf("doctor on a bad config: exit %d:\n%s", code, stdout)
	}
}
