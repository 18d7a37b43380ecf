package archive

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nlnwa/gowarc"

	"newsdesk/news"
)

// DefaultMaxBytes is the size at which a WARC file is closed and the next
// one started (crawl.archive_max_bytes).
const DefaultMaxBytes = 1 << 30

// Prefix starts the name of every WARC file we write:
// newsdesk-YYYYMMDDhhmmss-SERIAL-HOST.warc.gz, the convention of the WARC
// standard's annex C.
const Prefix = "newsdesk"

// Exchange is one HTTP request and the response to it, as fetched.
// Body is the payload decoded of any Content-Encoding.
type Exchange struct {
	URL            string
	Method         string
	RequestHeader  http.Header
	Status         int
	ResponseHeader http.Header
	Body           []byte
	Date           time.Time
}

// Writer appends exchanges to the WARC files of one directory, gzip per
// record, rotating at a size. It is safe for concurrent use.
type Writer struct {
	dir string
	w   *gowarc.WarcFileWriter
}

// NewWriter opens an archive directory, creating it if needed. maxBytes
// of 0 means DefaultMaxBytes.
func NewWriter(dir string, maxBytes int64) (*Writer, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating archive directory %s: %w", dir, err)
	}
	names := &gowarc.PatternNameGenerator{
		Directory: dir,
		Prefix:    Prefix + "-",
		// A serial from the process id keeps two crawlers started in the
		// same second on one host from choosing the same name.
		Serial: int32(os.Getpid()%10000) * 10000,
	}
	w := gowarc.NewWarcFileWriter(
		gowarc.WithFileNameGenerator(names),
		gowarc.WithMaxFileSize(maxBytes),
		gowarc.WithCompression(true),
		// No .open suffix: the writer lives as long as the crawler, and
		// every record is a whole gzip member on disk once written.
		gowarc.WithOpenFileSuffix(""),
		gowarc.WithAddWarcConcurrentToHeader(true),
		gowarc.WithWarcInfoFunc(func(b gowarc.WarcRecordBuilder) error {
			b.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
			_, err := b.WriteString("software: newsdesk\r\nformat: WARC File Format 1.1\r\n")
			return err
		}),
	)
	return &Writer{dir: dir, w: w}, nil
}

// Write appends the request and response records of ex and returns where
// the response record is.
func (w *Writer) Write(ex Exchange) (news.ArchiveRef, error) {
	if ex.Date.IsZero() {
		ex.Date = time.Now()
	}
	req, err := build(gowarc.Request, ex, requestBlock(ex))
	if err != nil {
		return news.ArchiveRef{}, fmt.Errorf("archiving request to %s: %w", ex.URL, err)
	}
	resp, err := build(gowarc.Response, ex, responseBlock(ex))
	if err != nil {
		req.Close()
		return news.ArchiveRef{}, fmt.Errorf("archiving response of %s: %w", ex.URL, err)
	}
	// A record holds its block in gowarc's disk buffer, which spills to a
	// temporary file past 1 MB; the writer leaves closing it to us.
	defer resp.Close()
	defer req.Close()
	res := w.w.Write(resp, req)
	if len(res) != 2 {
		return news.ArchiveRef{}, fmt.Errorf("archiving %s: %w", ex.URL, ErrClosed)
	}
	for _, r := range res {
		if r.Err != nil {
			return news.ArchiveRef{}, fmt.Errorf("archiving %s in %s: %w", ex.URL, w.dir, r.Err)
		}
	}
	return news.ArchiveRef{File: res[0].FileName, Offset: res[0].FileOffset, RecordID: resp.WarcHeader().Get(gowarc.WarcRecordID)}, nil
}

// Close finishes the current file (dropping its .open suffix).
func (w *Writer) Close() error { return w.w.Close() }

func build(t gowarc.RecordType, ex Exchange, block []byte) (gowarc.WarcRecord, error) {
	b := gowarc.NewRecordBuilder(t)
	msg := "response"
	if t == gowarc.Request {
		msg = "request"
	}
	b.AddWarcHeader(gowarc.WarcTargetURI, ex.URL)
	b.AddWarcHeaderTime(gowarc.WarcDate, ex.Date)
	b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype="+msg)
	if _, err := b.Write(block); err != nil {
		return nil, err
	}
	rec, _, err := b.Build()
	return rec, err
}

// requestBlock renders the request as it went out.
func requestBlock(ex Exchange) []byte {
	var buf bytes.Buffer
	method := ex.Method
	if method == "" {
		method = http.MethodGet
	}
	target, host := ex.URL, ""
	if i := strings.Index(target, "://"); i >= 0 {
		rest := target[i+3:]
		host, target, _ = strings.Cut(rest, "/")
		target = "/" + target
	}
	fmt.Fprintf(&buf, "%s %s HTTP/1.1\r\n", method, target)
	h := ex.RequestHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Host") == "" && host != "" {
		h.Set("Host", host)
	}
	writeHeader(&buf, h)
	return buf.Bytes()
}

// responseBlock renders the response. The body is stored decoded, so, as
// Common Crawl does, the headers that describe the encoded bytes on the
// wire are kept under X-Crawler- names and Content-Length is the stored
// body's.
func responseBlock(ex Exchange) []byte {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "HTTP/1.1 %d %s\r\n", ex.Status, http.StatusText(ex.Status))
	h := ex.ResponseHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	for _, k := range []string{"Content-Encoding", "Content-Length", "Transfer-Encoding"} {
		if v, ok := h[k]; ok {
			h["X-Crawler-"+k] = append(h["X-Crawler-"+k], v...)
			delete(h, k)
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(ex.Body)))
	writeHeader(&buf, h)
	buf.Write(ex.Body)
	return buf.Bytes()
}

// writeHeader writes h sorted, then the blank line; values with line breaks
// are dropped rather than allowed to forge headers.
func writeHeader(buf *bytes.Buffer, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			if strings.ContainsAny(k+v, "\r\n") {
				continue
			}
			buf.WriteString(k + ": " + v + "\r\n")
		}
	}
	buf.WriteString("\r\n")
}

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("archive writer is closed")
