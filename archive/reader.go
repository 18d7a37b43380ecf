package archive

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nlnwa/gowarc"
)

// Record is an HTTP response read from a WARC file, its body decoded.
type Record struct {
	File     string // the path it was read from
	Offset   int64  // of the record in the file
	RecordID string
	Date     time.Time
	URL      string
	Status   int
	Header   http.Header
	Body     []byte
}

// BadRecord is a record that could not be read, and why.
type BadRecord struct {
	File   string
	Offset int64
	Err    error
}

func (b BadRecord) Error() string {
	return fmt.Sprintf("%s at offset %d: %v", b.File, b.Offset, b.Err)
}

// Reader reads response records. MaxBody bounds a decoded body (0: no
// bound): a longer one is reported bad rather than read whole.
type Reader struct {
	MaxBody int
	// Bad, when set, is told of every record that could not be read; the
	// file is read on after it where the format allows.
	Bad func(BadRecord)
	// Other, when set, is told of every record that is not an HTTP
	// response (warcinfo, request, metadata...).
	Other func()
	// HeadersOnly reads the WARC headers of response records (File,
	// Offset, RecordID, Date, URL) and skips their blocks: a quick scan.
	HeadersOnly bool
}

// maxResyncs bounds how often a file's reading restarts after an error.
const maxResyncs = 1000

// ReadFile calls fn for each HTTP response record of the WARC file at path,
// plain or gzipped per record. A fatal error is one of opening the file or
// returned by fn; bad records go to r.Bad.
func (r *Reader) ReadFile(path string, fn func(Record) error) error {
	var offset int64
	for range maxResyncs {
		next, done, err := r.readFrom(path, offset, fn)
		if err != nil || done {
			return err
		}
		if offset, err = nextRecordStart(path, max(next, offset+1)); err != nil || offset < 0 {
			return err
		}
	}
	r.bad(BadRecord{File: path, Offset: offset, Err: errors.New("too many unreadable records; rest of file skipped")})
	return nil
}

// readFrom reads records from offset until the end (done) or an unreadable
// record, whose offset it returns so the caller can resume past it.
func (r *Reader) readFrom(path string, offset int64, fn func(Record) error) (next int64, done bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false, fmt.Errorf("opening WARC file: %w", err)
	}
	// Syntax errors fail the record: gowarc's lenient policies loop for
	// ever on a record cut short inside its header; nextRecordStart does
	// the resynchronising instead.
	opts := []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail),
		gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
		gowarc.WithBlockErrorPolicy(gowarc.ErrIgnore),
		gowarc.WithAddMissingDigest(false),
		gowarc.WithFixDigest(false),
	}
	if r.HeadersOnly {
		opts = append(opts, gowarc.WithSkipParseBlock())
	}
	wf, err := gowarc.NewWarcFileReaderFromStream(f, offset, opts...)
	if err != nil {
		f.Close()
		return 0, false, fmt.Errorf("reading WARC file %s: %w", path, err)
	}
	defer wf.Close() // closes f
	for {
		rec, off, _, err := wf.Next()
		switch {
		case errors.Is(err, io.EOF) && rec == nil:
			return 0, true, nil
		case err != nil:
			r.bad(BadRecord{File: path, Offset: off, Err: readErr(err)})
			return off + 1, false, nil
		}
		out, ok, err := r.response(rec, path, off)
		if err != nil {
			r.bad(BadRecord{File: path, Offset: off, Err: err})
			continue
		}
		if !ok {
			if r.Other != nil {
				r.Other()
			}
			continue
		}
		if err := fn(out); err != nil {
			return 0, true, err
		}
	}
}

// nextRecordStart finds the first offset at or after from where a record
// may start: a gzip member or "WARC/1."; -1 when there is none.
func nextRecordStart(path string, from int64) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return -1, fmt.Errorf("opening WARC file: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return -1, fmt.Errorf("reading WARC file %s: %w", path, err)
	}
	br := bufio.NewReaderSize(f, 64<<10)
	for pos := from; ; pos++ {
		head, _ := br.Peek(7) // fewer near the end
		if len(head) < 3 {
			return -1, nil // end of file
		}
		if head[0] == 0x1f && head[1] == 0x8b && head[2] == 0x08 || bytes.HasPrefix(head, []byte("WARC/1.")) {
			return pos, nil
		}
		if _, err := br.Discard(1); err != nil {
			return -1, nil
		}
	}
}

func readErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("truncated record: %w", err)
	}
	return err
}

func (r *Reader) bad(b BadRecord) {
	if r.Bad != nil {
		r.Bad(b)
	}
}

// response turns an HTTP response record into a Record; ok is false for
// any other record.
func (r *Reader) response(rec gowarc.WarcRecord, path string, off int64) (Record, bool, error) {
	if rec.Type() != gowarc.Response {
		return Record{}, false, nil
	}
	h := rec.WarcHeader()
	out := Record{
		File:     path,
		Offset:   off,
		RecordID: h.Get(gowarc.WarcRecordID),
		URL:      strings.Trim(h.Get(gowarc.WarcTargetURI), "<>"),
	}
	if out.URL == "" {
		return Record{}, false, errors.New("response record without WARC-Target-URI")
	}
	out.Date, _ = rec.Date()
	if r.HeadersOnly {
		return out, true, nil
	}
	block, isHTTP := rec.Block().(gowarc.HttpResponseBlock)
	if !isHTTP {
		return Record{}, false, nil
	}
	out.Status = block.HttpStatusCode()
	if hh := block.HttpHeader(); hh != nil {
		out.Header = hh.Clone()
	} else {
		out.Header = http.Header{}
	}
	payload, err := block.PayloadBytes()
	if err != nil {
		return Record{}, false, fmt.Errorf("reading payload of %s: %w", out.URL, err)
	}
	body, err := r.decode(payload, out.Header.Get("Content-Encoding"))
	if err != nil {
		return Record{}, false, fmt.Errorf("reading payload of %s: %w", out.URL, err)
	}
	out.Body = body
	out.Header.Del("Content-Encoding")
	return out, true, nil
}

// decode reads a payload, undoing a Content-Encoding that a WARC writer
// kept as served (ours and Common Crawl's store it decoded already).
func (r *Reader) decode(payload io.Reader, coding string) ([]byte, error) {
	var src io.Reader = payload
	switch strings.ToLower(strings.TrimSpace(coding)) {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(payload)
		if err != nil {
			return nil, fmt.Errorf("gzip Content-Encoding: %w", err)
		}
		src = zr
	case "deflate":
		src = flate.NewReader(payload)
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", coding)
	}
	if r.MaxBody <= 0 {
		return io.ReadAll(src)
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(src, int64(r.MaxBody)+1))
	if err != nil {
		return nil, err
	}
	if n > int64(r.MaxBody) {
		return nil, fmt.Errorf("body longer than %d bytes", r.MaxBody)
	}
	return buf.Bytes(), nil
}

// Expand turns import arguments into WARC file paths: "@list.txt" is a
// file of paths, one a line (blank lines and # comments skipped, relative
// paths from the list's directory), and a directory means its WARC files.
func Expand(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "@"):
			paths, err := readList(a[1:])
			if err != nil {
				return nil, err
			}
			out = append(out, paths...)
		default:
			fi, err := os.Stat(a)
			if err != nil {
				return nil, fmt.Errorf("WARC file: %w", err)
			}
			if !fi.IsDir() {
				out = append(out, a)
				continue
			}
			files, err := Files(a)
			if err != nil {
				return nil, err
			}
			out = append(out, files...)
		}
	}
	return out, nil
}

func readList(list string) ([]string, error) {
	b, err := os.ReadFile(list)
	if err != nil {
		return nil, fmt.Errorf("reading list of WARC files: %w", err)
	}
	var out []string
	for line := range strings.SplitSeq(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(filepath.Dir(list), line)
		}
		out = append(out, line)
	}
	return out, nil
}

// Files lists the finished WARC files of an archive directory in name
// order, which is the order they were written in. Files still being
// written (.open) are left out.
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading archive directory: %w", err)
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".warc") || strings.HasSuffix(n, ".warc.gz")) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out, nil
}
