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
	"strconv"
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

// ReadFile calls fn for each HTTP response record of the WARC or ARC file
// at path: plain, gzipped per record, or gzipped as one whole stream (see
// sniff). A fatal error is one of opening the file or returned by fn; bad
// records go to r.Bad. Offsets are of the record's gzip member when the
// file is gzipped per record, else of the record in the (decompressed)
// stream.
func (r *Reader) ReadFile(path string, fn func(Record) error) error {
	fm, err := sniff(path)
	if err != nil {
		return err
	}
	if fm.arc && (!fm.gzip || fm.whole) { // one stream: arcStream resyncs within it
		return r.readARCStream(path, fm, fn)
	}
	var offset int64
	for range maxResyncs {
		var next int64
		var done bool
		if fm.arc {
			next, done, err = r.readARCMembers(path, offset, fn)
		} else {
			next, done, err = r.readFrom(path, fm, offset, fn)
		}
		if err != nil || done {
			return err
		}
		if offset, err = nextRecordStart(path, fm, max(next, offset+1)); err != nil || offset < 0 {
			return err
		}
	}
	r.bad(BadRecord{File: path, Offset: offset, Err: errors.New("too many unreadable records; rest of file skipped")})
	return nil
}

// format is what sniff found a file to be.
type format struct {
	arc   bool // ARC rather than WARC
	gzip  bool
	whole bool // gzipped as one stream, not a member per record
}

// sniff tells WARC from ARC (the filedesc:// record an ARC file starts
// with, or its name) and, for a gzipped file, whether its first gzip
// member holds more than the first record: then the file was gzipped as a
// whole (gzip file.warc), which record-at-a-time reading would stop after
// the first record of.
func sniff(path string) (format, error) {
	f, err := os.Open(path)
	if err != nil {
		return format{}, fmt.Errorf("opening WARC file: %w", err)
	}
	defer f.Close()
	name := strings.ToLower(path)
	fm := format{arc: strings.HasSuffix(name, ".arc") || strings.HasSuffix(name, ".arc.gz")}
	br := bufio.NewReader(f)
	if head, _ := br.Peek(2); len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
		head, _ := br.Peek(len(arcMagic))
		fm.arc = fm.arc || string(head) == arcMagic
		return fm, nil
	}
	fm.gzip = true
	zr, err := gzip.NewReader(br)
	if err != nil {
		return fm, nil // reading reports the broken member
	}
	zr.Multistream(false)
	zb := bufio.NewReader(zr)
	head, _ := zb.Peek(len(arcMagic))
	fm.arc = fm.arc || string(head) == arcMagic
	fm.whole = moreThanOneRecord(zb, fm.arc)
	return fm, nil
}

const arcMagic = "filedesc:"

// moreThanOneRecord reads the first record of a decompressed gzip member
// and reports whether anything but line ends follows it.
func moreThanOneRecord(zb *bufio.Reader, arc bool) bool {
	var length int64 = -1
	for {
		line, err := zb.ReadString('\n')
		if err != nil {
			return false
		}
		if arc {
			h, ok := parseARCHeader(line)
			if !ok {
				return false
			}
			length = h.length
			break
		}
		if strings.TrimSpace(line) == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "Content-Length") {
			length, _ = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	if length < 0 {
		return false
	}
	if _, err := zb.Discard(int(length)); err != nil {
		return false
	}
	for {
		b, err := zb.ReadByte()
		if err != nil {
			return false
		}
		if b != '\r' && b != '\n' {
			return true
		}
	}
}

// open opens path at offset: of the file, or of the decompressed stream
// of a file gzipped as a whole (read up to there again: only a resync
// after a bad record does that).
func open(path string, fm format, offset int64) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening WARC file: %w", err)
	}
	if !fm.whole {
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			f.Close()
			return nil, fmt.Errorf("reading WARC file %s: %w", path, err)
		}
		return f, nil
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("reading WARC file %s: %w", path, err)
	}
	if _, err := io.CopyN(io.Discard, zr, offset); err != nil {
		f.Close()
		return nil, fmt.Errorf("reading WARC file %s: %w", path, readErr(err))
	}
	return readCloser{zr, f}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// readFrom reads WARC records from offset until the end (done) or an
// unreadable record, whose offset it returns so the caller can resume
// past it.
func (r *Reader) readFrom(path string, fm format, offset int64, fn func(Record) error) (next int64, done bool, err error) {
	f, err := open(path, fm, offset)
	if err != nil {
		return 0, false, err
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
	// gowarc's own parse of an HTTP block hashes the payload twice as it is
	// read (block and payload digests, which nothing here checks): the
	// block is read raw, hashed once, and its HTTP header parsed in
	// response.
	opts = append(opts, gowarc.WithSkipParseBlock())
	wf, err := gowarc.NewWarcFileReaderFromStream(f, offset, opts...)
	if err != nil {
		f.Close()
		return 0, false, fmt.Errorf("reading WARC file %s: %w", path, err)
	}
	defer wf.Close()  // closes f
	size := int64(-1) // of a plain file: gowarc reads a record the file ends inside as shorter, not as cut
	if fi, err := os.Stat(path); err == nil && !fm.gzip {
		size = fi.Size()
	}
	lastBad := int64(-1)
	for {
		rec, off, _, err := wf.Next()
		switch {
		case errors.Is(err, io.EOF) && rec == nil:
			return 0, true, nil
		case err != nil:
			if off != lastBad { // a payload cut short fails again as the record is closed
				r.bad(BadRecord{File: path, Offset: off, Err: readErr(err)})
			}
			return off + 1, false, nil
		}
		if n, _ := rec.WarcHeader().GetInt64(gowarc.ContentLength); size >= 0 && off+n > size {
			r.bad(BadRecord{File: path, Offset: off, Err: errors.New("truncated record: the file ends inside it")})
			return 0, true, nil
		}
		out, ok, err := r.response(rec, path, off)
		if err != nil {
			lastBad = off
			r.bad(BadRecord{File: path, Offset: off, Err: readErr(err)})
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

// readARCStream reads a plain ARC file, or one gzipped as a whole, as one
// stream; arcStream skips what it cannot read.
func (r *Reader) readARCStream(path string, fm format, fn func(Record) error) error {
	f, err := open(path, fm, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := &countingReader{r: f}
	rd := bufio.NewReaderSize(cr, 64<<10)
	s := &arcStream{r: r, path: path, rd: rd, pos: func() int64 { return cr.n - int64(rd.Buffered()) }}
	var fatal fnError
	if err := s.all(fn); errors.As(err, &fatal) {
		return fatal.err
	}
	return nil // the rest of a stream cut short is unreadable
}

// readARCMembers reads an ARC file gzipped per record, a member at a time
// from offset, until the end (done) or a member that is not gzip, whose
// offset it returns.
func (r *Reader) readARCMembers(path string, offset int64, fn func(Record) error) (next int64, done bool, err error) {
	f, err := open(path, format{}, offset)
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	cr := &countingReader{r: f, n: offset}
	br := bufio.NewReaderSize(cr, 64<<10)
	var zr *gzip.Reader
	for {
		member := cr.n - int64(br.Buffered())
		if _, err := br.Peek(1); err != nil {
			return 0, true, nil // end of file
		}
		if zr == nil {
			zr, err = gzip.NewReader(br)
		} else {
			err = zr.Reset(br)
		}
		if err != nil {
			r.bad(BadRecord{File: path, Offset: member, Err: fmt.Errorf("not a gzip member: %w", readErr(err))})
			return member + 1, false, nil
		}
		zr.Multistream(false)
		s := &arcStream{r: r, path: path, rd: bufio.NewReader(zr), pos: func() int64 { return 0 }, member: &member}
		var fatal fnError
		switch err := s.all(fn); {
		case errors.As(err, &fatal):
			return 0, true, fatal.err
		case err != nil: // a member cut short or corrupt (reported): resume at the next one
			return member + 1, false, nil
		}
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// nextRecordStart finds the first offset at or after from where a record
// may start: a gzip member or "WARC/1." (only the latter within a stream
// gzipped as a whole); -1 when there is none.
func nextRecordStart(path string, fm format, from int64) (int64, error) {
	f, err := open(path, fm, from)
	if err != nil {
		return -1, nil // a whole-file gzip stream broken before from: nothing more to read
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	for pos := from; ; pos++ {
		head, _ := br.Peek(7) // fewer near the end
		if len(head) < 3 {
			return -1, nil // end of file
		}
		if !fm.whole && head[0] == 0x1f && head[1] == 0x8b && head[2] == 0x08 || bytes.HasPrefix(head, []byte("WARC/1.")) {
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
	if !strings.HasPrefix(strings.ToLower(h.Get(gowarc.ContentType)), gowarc.ApplicationHttp) {
		return Record{}, false, nil
	}
	raw, err := rec.Block().RawBytes()
	if err != nil {
		return Record{}, false, fmt.Errorf("reading block of %s: %w", out.URL, err)
	}
	payload := bufio.NewReader(raw)
	head, err := httpHead(payload)
	if err != nil {
		return Record{}, false, fmt.Errorf("reading HTTP header of %s: %w", out.URL, err)
	}
	if !bytes.HasPrefix(head, []byte("HTTP")) {
		return Record{}, false, nil // a request block in a response record
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(head)), nil)
	if err != nil {
		return Record{}, false, fmt.Errorf("reading HTTP header of %s: %w", out.URL, err)
	}
	out.Status, out.Header = resp.StatusCode, resp.Header
	size, _ := h.GetInt64(gowarc.ContentLength) // the block's: a bound for an unencoded payload
	body, err := r.decode(payload, out.Header.Get("Content-Encoding"), int(size)-len(head))
	if err != nil {
		return Record{}, false, fmt.Errorf("reading payload of %s: %w", out.URL, err)
	}
	out.Body = body
	out.Header.Del("Content-Encoding")
	return out, true, nil
}

// httpHead reads the HTTP status line and header lines of a block, up to
// and with the blank line that ends them, as gowarc does.
func httpHead(r *bufio.Reader) ([]byte, error) {
	var head []byte
	lineStart := 0
	for {
		part, err := r.ReadSlice('\n')
		head = append(head, part...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue // a line longer than the buffer: read on
		case err != nil:
			return nil, fmt.Errorf("no end of the HTTP header: %w", readErr(err))
		case len(head)-lineStart < 3: // "\r\n" or "\n"
			return head, nil
		}
		lineStart = len(head)
	}
}

// decode reads a payload, undoing a Content-Encoding that a WARC writer
// kept as served (ours and Common Crawl's store it decoded already). size
// is how long the record says it is: reading into a buffer of that size
// at once, rather than one grown by doubling, saves the import most of
// the garbage it made per page.
func (r *Reader) decode(payload io.Reader, coding string, size int) ([]byte, error) {
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
	if r.MaxBody > 0 {
		size = min(size, r.MaxBody)
	}
	buf := make([]byte, 0, max(size, 0)+1) // +1: EOF is seen without growing
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if r.MaxBody > 0 && len(buf) > r.MaxBody {
			return nil, fmt.Errorf("body longer than %d bytes", r.MaxBody)
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Expand turns import arguments into WARC or ARC file paths: "@list.txt"
// is a file of paths, one a line (blank lines and # comments skipped,
// relative paths from the list's directory), and a directory means its
// WARC and ARC files.
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

// Files lists the finished WARC (and ARC) files of an archive directory
// in name order, which is the order they were written in. Files still
// being written (.open) are left out.
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading archive directory: %w", err)
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".warc") || strings.HasSuffix(n, ".warc.gz") || strings.HasSuffix(n, ".arc") || strings.HasSuffix(n, ".arc.gz")) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out, nil
}
