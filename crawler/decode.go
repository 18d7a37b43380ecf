package crawler

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ErrBodyTooLarge is the error of a response whose body, once decoded,
// is longer than Options.MaxBodyBytes.
var ErrBodyTooLarge = errors.New("response body exceeds crawl.max_body_bytes once decoded")

// acceptEncoding is what we ask for. We decode it ourselves (see
// decodeBody): Go's transport only decodes an exact "gzip", and colly
// gunzips whatever mentions gzip without a bound on what comes out.
const acceptEncoding = "gzip, deflate"

// maxEncodingLayers bounds stacked Content-Encodings ("gzip, gzip, ...").
const maxEncodingLayers = 4

// decodeBody replaces resp.Body by its decoded bytes, bounded to max
// decoded bytes: every Content-Encoding layer is undone here (gzip, x-gzip,
// deflate, stacked), then a gzipped file (a sitemap.xml.gz, a
// Content-Type of application/gzip) is gunzipped as well. Reading past max
// returns ErrBodyTooLarge, naming the URL. The response is then marked
// Uncompressed, so colly decodes nothing a second time.
func decodeBody(resp *http.Response, max int) error {
	u := resp.Request.URL.String()
	raw := resp.Body
	codings := contentCodings(resp.Header.Get("Content-Encoding"))
	if len(codings) > maxEncodingLayers {
		return fmt.Errorf("%s: %d stacked Content-Encodings, at most %d are decoded", u, len(codings), maxEncodingLayers)
	}
	var r io.Reader = raw
	if len(codings) > 0 || gzippedFile(resp) {
		// Compressed bytes are bounded too: deflate can spin out empty
		// blocks for ever without a byte of output.
		r = &limitedReader{r: raw, left: int64(max), max: max, url: u, what: "on the wire"}
	}
	var layers []*lazyDecoder
	for i := len(codings) - 1; i >= 0; i-- { // the last applied is undone first
		d := &lazyDecoder{src: r, coding: codings[i], url: u}
		layers = append(layers, d)
		r = d
	}
	if gzippedFile(resp) {
		d := &lazyDecoder{src: r, coding: gzipFile, url: u}
		layers = append(layers, d)
		r = d
	}
	resp.Body = &decodedBody{Reader: &limitedReader{r: r, left: int64(max), max: max, url: u, what: "decoded"}, layers: layers, raw: raw}
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	resp.Uncompressed = true
	return nil
}

// contentCodings splits a Content-Encoding header into its codings, in the
// order they were applied, leaving out identity.
func contentCodings(h string) []string {
	var out []string
	for c := range strings.SplitSeq(h, ",") {
		c = strings.ToLower(strings.TrimSpace(c))
		if c != "" && c != "identity" {
			out = append(out, c)
		}
	}
	return out
}

// gzipFile is the pseudo-coding of a gzipped file served as such: it is
// gunzipped when it starts with the gzip magic, passed through otherwise.
const gzipFile = "gzip file"

// lazyDecoder undoes one coding, starting at the first Read: the gzip and
// zlib readers read their header when created, which would fail the empty
// body of a 304 or a HEAD, and an unsupported coding (br, zstd: we do not
// ask for them) only fails a body that is read.
type lazyDecoder struct {
	src    io.Reader
	coding string
	url    string
	r      io.Reader
	closer io.Closer
	err    error
}

func (d *lazyDecoder) Read(p []byte) (int, error) {
	if d.r == nil && d.err == nil {
		d.r, d.err = d.open()
		if d.err != nil && d.err != io.EOF {
			d.err = fmt.Errorf("%s: decoding %s: %w", d.url, d.coding, d.err)
		}
	}
	if d.err != nil {
		return 0, d.err
	}
	return d.r.Read(p)
}

func (d *lazyDecoder) open() (io.Reader, error) {
	br := bufio.NewReader(d.src)
	switch d.coding {
	case "gzip", "x-gzip":
		return d.keep(gzip.NewReader(br))
	case "deflate":
		// RFC 9110 deflate is zlib-wrapped; some servers send raw deflate.
		if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
			return d.keep(zlib.NewReader(br))
		}
		return d.keep(flate.NewReader(br), nil)
	case gzipFile:
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			return d.keep(gzip.NewReader(br))
		}
		return br, nil
	}
	return nil, errors.New("Content-Encoding not supported")
}

func (d *lazyDecoder) keep(rc io.ReadCloser, err error) (io.Reader, error) {
	if err != nil {
		return nil, err
	}
	d.closer = rc
	return rc, nil
}

func (d *lazyDecoder) Close() {
	if d.closer != nil {
		d.closer.Close()
	}
}

// gzippedFile reports whether the body is a gzipped file by its name or
// type; decodeBody still checks the gzip magic before gunzipping.
func gzippedFile(resp *http.Response) bool {
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	return strings.Contains(ct, "gzip") || strings.HasSuffix(strings.ToLower(resp.Request.URL.Path), ".gz")
}

// limitedReader returns ErrBodyTooLarge instead of a byte beyond left.
type limitedReader struct {
	r    io.Reader
	left int64
	max  int
	url  string
	what string
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: %s (more than %d bytes %s)", ErrBodyTooLarge, l.url, l.max, l.what)
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// decodedBody closes the decoders, then the connection's body.
type decodedBody struct {
	io.Reader
	layers []*lazyDecoder
	raw    io.ReadCloser
}

func (b *decodedBody) Close() error {
	for _, d := range b.layers {
		d.Close()
	}
	return b.raw.Close()
}
