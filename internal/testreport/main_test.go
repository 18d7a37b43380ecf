package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// A recorded `go test -json` stream: one package passes with a skipped
// integration test, one fails, one has no tests.
const stream = `{"Action":"start","Package":"newsdesk/a"}
{"Action":"run","Package":"newsdesk/a","Test":"TestUnit"}
{"Action":"output","Package":"newsdesk/a","Test":"TestUnit","Output":"=== RUN   TestUnit\n"}
{"Action":"output","Package":"newsdesk/a","Test":"TestUnit","Output":"--- PASS: TestUnit (0.00s)\n"}
{"Action":"pass","Package":"newsdesk/a","Test":"TestUnit","Elapsed":0}
{"Action":"run","Package":"newsdesk/a","Test":"TestIntegrationES"}
{"Action":"output","Package":"newsdesk/a","Test":"TestIntegrationES","Output":"=== RUN   TestIntegrationES\n"}
{"Action":"output","Package":"newsdesk/a","Test":"TestIntegrationES","Output":"    es_test.go:12: NEWSDESK_TEST_ES_URL is not set: scripts/elasticsearch.sh start prints it\n"}
{"Action":"output","Package":"newsdesk/a","Test":"TestIntegrationES","Output":"--- SKIP: TestIntegrationES (0.00s)\n"}
{"Action":"skip","Package":"newsdesk/a","Test":"TestIntegrationES","Elapsed":0}
{"Action":"output","Package":"newsdesk/a","Output":"PASS\n"}
{"Action":"pass","Package":"newsdesk/a","Elapsed":0.5}
{"Action":"run","Package":"newsdesk/b","Test":"TestBroken"}
{"Action":"output","Package":"newsdesk/b","Test":"TestBroken","Output":"=== RUN   TestBroken\n"}
{"Action":"output","Package":"newsdesk/b","Test":"TestBroken","Output":"    b_test.go:9: got 1, want 2\n"}
{"Action":"output","Package":"newsdesk/b","Test":"TestBroken","Output":"--- FAIL: TestBroken (0.00s)\n"}
{"Action":"fail","Package":"newsdesk/b","Test":"TestBroken","Elapsed":0}
{"Action":"output","Package":"newsdesk/b","Output":"FAIL\tnewsdesk/b\t0.2s\n"}
{"Action":"fail","Package":"newsdesk/b","Elapsed":0.2}
{"Action":"output","Package":"newsdesk/c","Output":"?   \tnewsdesk/c\t[no test files]\n"}
{"Action":"skip","Package":"newsdesk/c","Elapsed":0}
`

func TestReportListsSkipsLastWithTheirReason(t *testing.T) {
	var out bytes.Buffer
	r := newReport(&out)
	if err := r.read(strings.NewReader(stream)); err != nil {
		t.Fatal(err)
	}
	r.printSkips()
	got := out.String()
	t.Logf("report:\n%s", got)
	if !r.failed {
		t.Error("a failed test did not mark the run failed")
	}
	for _, want := range []string{"ok  \tnewsdesk/a\t0.500s", "b_test.go:9: got 1, want 2", "--- FAIL: TestBroken", "FAIL\tnewsdesk/b", "[no test files]"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(got, "=== RUN") || strings.Contains(got, "--- PASS") {
		t.Error("report shows verbose lines of passing tests, unlike plain go test")
	}
	tail := got[strings.LastIndex(got, "FAIL\tnewsdesk/b"):]
	for _, want := range []string{"1 TEST(S) SKIPPED", "SKIP newsdesk/a TestIntegrationES", "NEWSDESK_TEST_ES_URL is not set"} {
		if !strings.Contains(tail, want) {
			t.Errorf("the end of the report lacks %q", want)
		}
	}
}

func TestReportSaysNothingWithoutSkips(t *testing.T) {
	var out bytes.Buffer
	r := newReport(&out)
	_ = r.read(strings.NewReader(`{"Action":"pass","Package":"newsdesk/a","Elapsed":0.1}` + "\n"))
	r.printSkips()
	if strings.Contains(out.String(), "SKIPPED") {
		t.Errorf("report %q announces skips without any", out.String())
	}
}

func TestExitCodeKeepsGoTestStatus(t *testing.T) {
	err := exec.Command("sh", "-c", "exit 2").Run()
	if got := exitCode(nil, err, false); got != 2 {
		t.Errorf("exit code %d, want go test's 2", got)
	}
	if got := exitCode(nil, nil, true); got != 1 {
		t.Errorf("exit code %d with a failed test, want 1", got)
	}
	if got := exitCode(nil, nil, false); got != 0 {
		t.Errorf("exit code %d, want 0", got)
	}
}
