// Package schemas holds the JSON Schemas (draft 2020-12) of newsdesk's
// public events, one file per event type and version, so subscribers can
// validate what they receive without reading our code. A test validates
// events that the real pipeline emits against them.
package schemas

import (
	"embed"
	"strings"
)

// FS holds the schema files.
//
//go:embed *.json
var FS embed.FS

// BaseURL is the $id prefix of every schema.
const BaseURL = "https://newsdesk.example/schemas/"

// FileForType names the schema file of a CloudEvents type such as
// io.newsdesk.article.created.v1 (article-created.v1.json), or "" for a
// type that is not newsdesk's.
func FileForType(eventType string) string {
	name, ok := strings.CutPrefix(eventType, "io.newsdesk.")
	if !ok {
		return ""
	}
	i := strings.LastIndex(name, ".v")
	if i < 0 {
		return ""
	}
	return strings.ReplaceAll(name[:i], ".", "-") + name[i:] + ".json"
}
