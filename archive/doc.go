// Package archive writes and reads WARC files (ISO 28500), the format of
// the web-archiving world: the crawler archives every page it fetches
// with Writer, and import and reparse read archives (ours, Common Crawl's
// CC-NEWS, anyone's) with Reader. WARC record parsing and writing is
// github.com/nlnwa/gowarc's; this package maps WARC records to and from
// the HTTP exchanges newsdesk deals in, tells the forms a file comes in
// apart (plain, gzipped per record or as a whole), and reads ARC, the
// format before WARC, which gowarc does not.
package archive
