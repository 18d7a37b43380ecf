package crawler

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gocolly/colly/v2"
)

// headerCharset carries the charset the server named in Content-Type, which
// passTransport moves out of the way of colly (see moveCharset).
const headerCharset = "X-Newsdesk-Header-Charset"

// passTransport is the HTTP transport of one pass. It does what colly
// cannot be told to do:
//
//   - It binds every request to the pass context. colly fetches robots.txt
//     with a bare request, so without this a cancelled pass would wait for a
//     slow robots.txt until the request timeout.
//   - It moves the charset parameter out of Content-Type (moveCharset), so
//     colly hands us the body bytes as served.
//   - It decodes every body itself, whatever its Content-Encoding, and
//     bounds the decoded bytes to maxBody (decodeBody): colly's
//     MaxBodySize counts the bytes on the wire, so a gzip bomb got past it.
//   - It shows each robots.txt to onRobots, for its Crawl-delay and Sitemap
//     lines, which colly does not read, and hands colly a cleaned copy
//     (lenientRobots) that its strict parser cannot reject.
type passTransport struct {
	ctx      context.Context
	next     http.RoundTripper
	maxBody  int
	onRobots func(host string, body []byte)
}

// maxRobotsBytes bounds the robots.txt we read, as Google does (500 KiB).
const maxRobotsBytes = 500 << 10

// RoundTrip implements http.RoundTripper.
func (t *passTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = withAcceptEncoding(req)
	resp, err := t.bound(req)
	if err != nil {
		return nil, err
	}
	if resp.Request == nil {
		resp.Request = req
	}
	keepWireHeaders(resp.Header) // archive.go
	if err := decodeBody(resp, t.maxBody); err != nil {
		resp.Body.Close()
		return nil, err
	}
	moveCharset(resp.Header)
	if req.URL.Path == "/robots.txt" && resp.StatusCode >= 200 && resp.StatusCode < 300 {
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
		resp.Body.Close()
		if err != nil && !errors.Is(err, ErrBodyTooLarge) { // too long: read what came, as Google does
			return nil, err
		}
		body = lenientRobots(body)
		if t.onRobots != nil {
			t.onRobots(req.URL.Host, body)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	return resp, nil
}

// withAcceptEncoding asks for the encodings decodeBody undoes. Setting the
// header ourselves keeps Go's transport from asking for gzip and decoding
// it out of our sight (it is also told not to: DisableCompression).
func withAcceptEncoding(req *http.Request) *http.Request {
	r := *req
	r.Header = req.Header.Clone()
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	r.Header.Set("Accept-Encoding", acceptEncoding)
	return &r
}

// bound sends req bound to the pass context. colly's own requests already
// are (their context derives from the collector's, which is the pass's, and
// carries colly.CheckRevisitKey); binding them again would cost two
// contexts and an AfterFunc per request for nothing.
func (t *passTransport) bound(req *http.Request) (*http.Response, error) {
	if req.Context().Value(colly.CheckRevisitKey) != nil {
		return t.next.RoundTrip(req)
	}
	ctx, cancel := context.WithCancel(req.Context())
	stop := context.AfterFunc(t.ctx, cancel)
	release := func() {
		stop()
		cancel()
	}
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releasingBody ends the request's merged context when the body is closed:
// cancelling it any earlier would cut the body short.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}

// moveCharset strips the charset parameter from Content-Type and keeps it in
// headerCharset. colly v2.3.0 transcodes a body to UTF-8 when Content-Type
// names another charset, but leaves the page's <meta charset> in place; a
// parser that honours the meta would then decode the bytes a second time.
// With the parameter gone colly leaves the bytes alone (DetectCharset is off)
// and pageBytes decides what the parser gets.
func moveCharset(h http.Header) {
	ct := h.Get("Content-Type")
	if !strings.Contains(strings.ToLower(ct), "charset") {
		return
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if mediaType == "" || err != nil && err != mime.ErrInvalidMediaParameter {
		mediaType, _, _ = strings.Cut(ct, ";")
		mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	}
	h.Set("Content-Type", mediaType)
	if cs := params["charset"]; cs != "" {
		h.Set(headerCharset, cs)
	}
}
