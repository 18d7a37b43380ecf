package archive

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ARC is the Internet Archive's format before WARC, still common in older
// collections. gowarc does not read it, so this file does: each record is
// a header line, "URL IP-address Archive-date Content-type Archive-length"
// (version 1; version 2 puts more fields between, the length stays last),
// then Archive-length bytes (for a web page, the HTTP response as
// served), then a newline. The first record, filedesc://, describes the
// file.

// arcHeader is a parsed ARC record header line.
type arcHeader struct {
	url    string
	date   time.Time
	length int64
}

// parseARCHeader reads a header line; ok is false when the line is not one.
func parseARCHeader(line string) (arcHeader, bool) {
	f := strings.Fields(line)
	if len(f) < 5 || !strings.Contains(f[0], ":") { // a URL, filedesc:, dns:
		return arcHeader{}, false
	}
	n, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	if err != nil || n < 0 {
		return arcHeader{}, false
	}
	date, err := time.Parse("20060102150405", f[2])
	if err != nil {
		return arcHeader{}, false
	}
	return arcHeader{url: f[0], date: date, length: n}, true
}

// arcStream reads records from an ARC stream: a plain file, one gzip
// member, or the whole file decompressed. pos is the stream position of
// what rd has not yet handed out.
type arcStream struct {
	r    *Reader
	path string
	rd   *bufio.Reader
	pos  func() int64
	// member, when set, is the offset every record gets (gzipped per
	// record: the gzip member to start reading at).
	member *int64
}

// next reads the next record. It returns io.EOF at a clean end and
// errStreamEnd after reporting a record cut short or a stream that broke;
// a bad header line is reported and skipped up to the next line that
// parses as one.
func (s *arcStream) next(fn func(Record) error) error {
	resyncing := false
	for {
		start := s.pos()
		line, err := s.rd.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			s.r.bad(BadRecord{File: s.path, Offset: s.offset(start), Err: readErr(err)})
			return errStreamEnd
		}
		if strings.TrimSpace(line) == "" {
			if err != nil {
				return io.EOF
			}
			continue
		}
		h, ok := parseARCHeader(line)
		switch {
		case ok:
			return s.record(h, s.offset(start), fn)
		case err != nil && !resyncing:
			s.r.bad(BadRecord{File: s.path, Offset: s.offset(start), Err: errors.New("truncated record: ARC header cut short")})
			return errStreamEnd
		case !resyncing:
			s.r.bad(BadRecord{File: s.path, Offset: s.offset(start), Err: fmt.Errorf("not an ARC record header: %.80q", line)})
		}
		if err != nil {
			return io.EOF
		}
		resyncing = true
	}
}

// errStreamEnd ends a stream whose failure is reported already.
var errStreamEnd = errors.New("ARC stream ended early")

// fnError is an error of the caller's fn: fatal, not a bad record.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

func (s *arcStream) offset(pos int64) int64 {
	if s.member != nil {
		return *s.member
	}
	return pos
}

// record reads the content of the record whose header is h.
func (s *arcStream) record(h arcHeader, off int64, fn func(Record) error) error {
	bad := func(err error) { s.r.bad(BadRecord{File: s.path, Offset: off, Err: err}) }
	limit := int64(s.r.MaxBody)
	if limit > 0 && h.length > limit+64<<10 { // room for the HTTP header
		if _, err := io.CopyN(io.Discard, s.rd, h.length); err != nil {
			bad(readErr(err))
			return errStreamEnd
		}
		bad(fmt.Errorf("body longer than %d bytes", s.r.MaxBody))
		return nil
	}
	// Grown as read, not sized by the header: a garbled length must not
	// allocate gigabytes.
	buf := bytes.NewBuffer(make([]byte, 0, min(h.length, 4<<20)))
	if _, err := io.CopyN(buf, s.rd, h.length); err != nil {
		bad(readErr(err))
		return errStreamEnd
	}
	content := buf.Bytes()
	if strings.HasPrefix(h.url, "filedesc:") || !bytes.HasPrefix(content, []byte("HTTP/")) {
		if s.r.Other != nil {
			s.r.Other() // the file's description, a DNS lookup, a non-HTTP capture
		}
		return nil
	}
	rec := Record{File: s.path, Offset: off, RecordID: arcRecordID(s.path, off), Date: h.date, URL: h.url}
	if s.r.HeadersOnly {
		return call(fn, rec)
	}
	br := bufio.NewReader(bytes.NewReader(content))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		bad(fmt.Errorf("HTTP response of %s: %w", h.url, err))
		return nil
	}
	rec.Status, rec.Header = resp.StatusCode, resp.Header
	var payload io.Reader = br // the rest of the record, whatever its Content-Length says (as gowarc reads a WARC)
	if len(resp.TransferEncoding) > 0 {
		payload = resp.Body // stored chunked, as served
	}
	body, err := s.r.decode(payload, resp.Header.Get("Content-Encoding"), len(content))
	if err != nil {
		bad(fmt.Errorf("reading payload of %s: %w", h.url, err))
		return nil
	}
	rec.Body = body
	rec.Header.Del("Content-Encoding")
	return call(fn, rec)
}

func call(fn func(Record) error, rec Record) error {
	if err := fn(rec); err != nil {
		return fnError{err}
	}
	return nil
}

// arcRecordID names an ARC record, which has no id of its own, by its file
// and offset, in the <...> form of a WARC-Record-ID.
func arcRecordID(path string, off int64) string {
	return fmt.Sprintf("<urn:x-arc:%s:%d>", filepath.Base(path), off)
}

// all reads the records of a stream until its end: nil at a clean one,
// errStreamEnd when cut short (reported), fnError when fn failed.
func (s *arcStream) all(fn func(Record) error) error {
	for {
		switch err := s.next(fn); {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
	}
}
