package crawler

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func zl(b []byte) []byte {
	var out bytes.Buffer
	w := zlib.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func rawDeflate(b []byte) []byte {
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.DefaultCompression)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// TestDecodeBody checks that every encoding a server may send arrives
// decoded, once, and that the bound counts decoded bytes.
func TestDecodeBody(t *testing.T) {
	page := []byte(strings.Repeat("<p>Privacy news. ", 100))
	cases := []struct {
		name, path, ct, ce string
		body               []byte
		want               []byte
		wantErr            error // errors.Is target; nil for none
		errText            string
	}{
		{"identity", "/a", "text/html", "", page, page, nil, ""},
		{"gzip", "/a", "text/html", "gzip", gz(page), page, nil, ""},
		{"x-gzip", "/a", "text/html", "x-gzip", gz(page), page, nil, ""},
		{"gzip, identity", "/a", "text/html", "gzip, identity", gz(page), page, nil, ""},
		{"stacked", "/a", "text/html", "gzip, deflate", zl(gz(page)), page, nil, ""},
		{"zlib deflate", "/a", "text/html", "deflate", zl(page), page, nil, ""},
		{"raw deflate", "/a", "text/html", "Deflate", rawDeflate(page), page, nil, ""},
		{"gzipped sitemap by name", "/s.xml.gz", "application/octet-stream", "", gz(page), page, nil, ""},
		{"gzipped sitemap by type", "/s", "application/x-gzip", "", gz(page), page, nil, ""},
		{"gzipped file, gzip encoded", "/s.xml.gz", "application/x-gzip", "gzip", gz(gz(page)), page, nil, ""},
		{"a .gz name that is not gzipped", "/s.xml.gz", "application/xml", "", page, page, nil, ""},
		{"empty gzip body (304)", "/a", "text/html", "gzip", nil, []byte{}, nil, ""},
		{"bomb", "/a", "text/html", "gzip", gz(make([]byte, 4096)), nil, ErrBodyTooLarge, "/a"},
		{"bomb in a sitemap", "/s.xml.gz", "application/x-gzip", "", gz(make([]byte, 4096)), nil, ErrBodyTooLarge, "s.xml.gz"},
		{"unsupported", "/a", "text/html", "br", page, nil, nil, `decoding br`},
		{"corrupt", "/a", "text/html", "gzip", page, nil, nil, `decoding gzip`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, _ := url.Parse("http://news.example" + c.path)
			resp := &http.Response{
				StatusCode: 200, Header: http.Header{"Content-Type": {c.ct}},
				Body: io.NopCloser(bytes.NewReader(c.body)), Request: &http.Request{URL: u},
			}
			if c.ce != "" {
				resp.Header.Set("Content-Encoding", c.ce)
			}
			if err := decodeBody(resp, 2048); err != nil {
				t.Fatalf("decodeBody: %v", err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case c.wantErr != nil || c.errText != "":
				if err == nil || (c.wantErr != nil && !errors.Is(err, c.wantErr)) || !strings.Contains(err.Error(), c.errText) {
					t.Fatalf("err = %v, want %v naming %q", err, c.wantErr, c.errText)
				}
			case err != nil:
				t.Fatalf("reading: %v", err)
			case !bytes.Equal(got, c.want):
				t.Fatalf("got %q, want %q", got[:min(len(got), 40)], c.want[:min(len(c.want), 40)])
			}
			if resp.Header.Get("Content-Encoding") != "" || !resp.Uncompressed {
				t.Errorf("response still marked encoded: %v, Uncompressed=%v", resp.Header, resp.Uncompressed)
			}
		})
	}
}

// TestCrawlReadsCompressedPages: pages served compressed, in an encoding
// Go's transport would not decode, reach the parser as the page.
func TestCrawlReadsCompressedPages(t *testing.T) {
	compressed := func(ce string, enc func([]byte) []byte, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				t.Errorf("Accept-Encoding %q, want gzip asked for", r.Header.Get("Accept-Encoding"))
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Encoding", ce)
			w.Write(enc([]byte(body)))
		}
	}
	site := newSite(t, map[string]http.HandlerFunc{
		"/":       compressed("x-gzip", gz, `<html><body><a href="/news/a">a</a><a href="/news/b">b</a></body></html>`),
		"/news/a": compressed("gzip, identity", gz, `<html><head><title>A</title></head><body><article data-kind="article">A</article></body></html>`),
		"/news/b": compressed("deflate", zl, `<html><head><title>B</title></head><body><article data-kind="article">B</article></body></html>`),
	})
	sum, _, pub, err := crawl(t, testOptions(), Source{Name: "daily", Seeds: []string{site.URL + "/"}})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if titles := pub.titles(); titles["A"] != 1 || titles["B"] != 1 || sum.Errors != 0 {
		t.Errorf("published %v, summary %s: want A and B, no errors", titles, sum)
	}
}
