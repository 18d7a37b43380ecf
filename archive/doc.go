// Package archive writes and reads WARC files (ISO 28500), the format of
// the web-archiving world: the crawler archives every page it fetches
// with Writer, and import and reparse read archives (ours, Common Crawl's
// CC-NEWS, anyone's) with Read. Record parsing and writing is
// github.com/nlnwa/gowarc's; this package only maps WARC records to and
// from the HTTP exchanges newsdesk deals in.
package archive
