package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// trafilaturaPin is the Python trafilatura measured beside newsdesk;
// lxml_html_clean is the part of lxml that lxml 6 ships apart and that
// trafilatura's jusText needs but does not declare.
var trafilaturaPin = []string{"trafilatura==2.3.1", "lxml_html_clean"}

// venvDir is where the harness keeps its own virtualenv, outside the
// checkout and reused between runs.
func venvDir() string {
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "newsdesk", "venv-trafilatura")
}

// venvPython returns the virtualenv's interpreter, creating the virtualenv
// and installing the pinned trafilatura from PyPI the first time.
func venvPython(log io.Writer) (string, error) {
	dir := venvDir()
	bin := filepath.Join(dir, "bin", "python")
	if runtime.GOOS == "windows" {
		bin = filepath.Join(dir, "Scripts", "python.exe")
	}
	check := exec.Command(bin, "-c", "import trafilatura")
	if check.Run() == nil {
		return bin, nil
	}
	fmt.Fprintf(log, "newsdesk-eval: installing %v into %s (once)\n", trafilaturaPin, dir)
	steps := [][]string{
		{"python3", "-m", "venv", dir},
		append([]string{bin, "-m", "pip", "install", "-q"}, trafilaturaPin...),
	}
	for _, s := range steps {
		cmd := exec.Command(s[0], s[1:]...)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("setting up trafilatura's virtualenv in %s (%v): %w", dir, s, err)
		}
	}
	return bin, nil
}

// pyTrafilatura is one long-lived Python process running
// scripts/trafilatura_worker.py, fed a page a line.
type pyTrafilatura struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Reader
	version string
}

// startPyTrafilatura starts the worker in the harness's virtualenv.
func startPyTrafilatura(log io.Writer) (*pyTrafilatura, error) {
	py, err := venvPython(log)
	if err != nil {
		return nil, err
	}
	script, err := workerScript()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(py, script)
	cmd.Stderr = log
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s %s: %w", py, script, err)
	}
	w := &pyTrafilatura{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	var hello struct{ Version string }
	if err := w.read(&hello); err != nil {
		w.Close()
		return nil, fmt.Errorf("trafilatura worker did not start: %w", err)
	}
	w.version = hello.Version
	return w, nil
}

// workerScript finds scripts/trafilatura_worker.py in the checkout.
func workerScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "scripts", "trafilatura_worker.py")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("scripts/trafilatura_worker.py not found above %s", dir)
		}
	}
}

func (w *pyTrafilatura) read(v any) error {
	line, err := w.out.ReadBytes('\n')
	if err != nil {
		return err
	}
	return json.Unmarshal(line, v)
}

// Extract sends one page and waits for its text; a broken worker gives no
// text, which the metrics count as a failed extraction.
func (w *pyTrafilatura) Extract(pageURL string, html []byte) string {
	req, _ := json.Marshal(map[string]string{"url": pageURL, "html_b64": base64.StdEncoding.EncodeToString(html)})
	if _, err := w.in.Write(append(req, '\n')); err != nil {
		return ""
	}
	var resp struct{ Text *string }
	if err := w.read(&resp); err != nil || resp.Text == nil {
		return ""
	}
	return *resp.Text
}

// Close ends the worker by closing its input.
func (w *pyTrafilatura) Close() error {
	w.in.Close()
	return w.cmd.Wait()
}
