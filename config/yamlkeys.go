package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlKey is one key or value of a YAML file: where it is and the key path
// that leads to it ("crawl.parallelism", "sources[0].seeds[1]").
type yamlKey struct {
	line  int
	path  string
	value string
	kind  yaml.Kind
	isKey bool
}

// yamlKeys are every key and value of a file, in document order.
type yamlKeys []yamlKey

// keyLines parses data into a node tree and lists its keys and values. A
// file that does not parse gives none (yaml's syntax error has no key).
func keyLines(data []byte) yamlKeys {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return nil
	}
	var out yamlKeys
	out.walk(&doc, "")
	return out
}

func (k *yamlKeys) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			k.walk(c, path)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			p := key.Value
			if path != "" {
				p = path + "." + key.Value
			}
			*k = append(*k, yamlKey{line: key.Line, path: p, value: key.Value, kind: key.Kind, isKey: true},
				yamlKey{line: val.Line, path: p, value: val.Value, kind: val.Kind})
			k.walk(val, p)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			*k = append(*k, yamlKey{line: item.Line, path: p, value: item.Value, kind: item.Kind})
			k.walk(item, p)
		}
	}
}

// find returns the key (isKey) or value at line that match accepts, the
// first one at line when none does, or false when nothing is there. Of
// several collections matching on one line ({urls: [a, {x: y}]}) it takes
// the innermost, the one yaml was decoding when it failed.
func (k yamlKeys) find(line int, isKey bool, match func(yamlKey) bool) (yamlKey, bool) {
	var first, found *yamlKey
	for i, e := range k {
		if e.line != line || e.isKey != isKey {
			continue
		}
		if first == nil {
			first = &k[i]
		}
		if match(e) {
			found = &k[i]
			if e.kind == yaml.ScalarNode {
				break
			}
		}
	}
	switch {
	case found != nil:
		return *found, true
	case first != nil:
		return *first, true
	}
	return yamlKey{}, false
}

// The messages of yaml.v3 that rewrite knows. A value longer than 10 bytes
// is shortened to its first 7 and "...".
var (
	yamlLineRe     = regexp.MustCompile("^line ([0-9]+): (.*)$")
	yamlTypeRe     = regexp.MustCompile("^cannot unmarshal !!([a-z]+)(?: `(.*)`)? into (.+)$")
	yamlUnknownRe  = regexp.MustCompile("^field (.+) not found in type .+$")
	yamlDuplicated = regexp.MustCompile(`^mapping key "(.*)" already defined at line ([0-9]+)$`)
)

// rewrite puts the key path in front of one of yaml's "line N: ..."
// messages and says what was wanted in words; the line moves to the end.
// A message it cannot place is returned as it is.
func (k yamlKeys) rewrite(msg string) string {
	m := yamlLineRe.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	line, _ := strconv.Atoi(m[1])
	rest := m[2]
	at := fmt.Sprintf("(line %d)", line)
	if t := yamlTypeRe.FindStringSubmatch(rest); t != nil {
		got, shown, into := t[1], t[2], t[3]
		e, ok := k.find(line, false, func(e yamlKey) bool { return sameValue(e, got, shown) })
		if !ok {
			return msg
		}
		return fmt.Sprintf("%s: %s %s", e.path, mismatch(e, got, describeType(into)), at)
	}
	if u := yamlUnknownRe.FindStringSubmatch(rest); u != nil {
		if e, ok := k.find(line, true, func(e yamlKey) bool { return e.value == u[1] }); ok {
			return fmt.Sprintf("%s: unknown key %s", e.path, at)
		}
		return msg
	}
	if d := yamlDuplicated.FindStringSubmatch(rest); d != nil {
		if e, ok := k.find(line, true, func(e yamlKey) bool { return e.value == d[1] }); ok {
			return fmt.Sprintf("%s: the key is written twice (lines %s and %d)", e.path, d[2], line)
		}
		return msg
	}
	e, ok := k.find(line, false, func(yamlKey) bool { return true })
	if !ok {
		return msg
	}
	return fmt.Sprintf("%s: %s %s", e.path, rest, at)
}

// sameValue reports whether e is the node yaml described by its tag and
// its (possibly shortened) value.
func sameValue(e yamlKey, tag, shown string) bool {
	switch tag {
	case "seq":
		return e.kind == yaml.SequenceNode
	case "map":
		return e.kind == yaml.MappingNode
	}
	if e.kind != yaml.ScalarNode {
		return false
	}
	if p, ok := strings.CutSuffix(shown, "..."); ok && len(e.value) > 10 {
		return strings.HasPrefix(e.value, p)
	}
	return e.value == shown
}

// mismatch says that e is not what was wanted: the value quoted (cut
// short, as it may be long), or the kind of collection.
func mismatch(e yamlKey, tag, want string) string {
	switch {
	case tag == "seq" || e.kind == yaml.SequenceNode:
		return "got a list, want " + want
	case tag == "map" || e.kind == yaml.MappingNode:
		return "got a mapping, want " + want
	}
	v := e.value
	if len(v) > 40 {
		v = v[:37] + "..."
	}
	return fmt.Sprintf("%q is not %s", v, want)
}

// describeType names a Go type the way a config's reader thinks of it.
func describeType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "a string"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["), strings.HasPrefix(goType, "config."):
		return "a mapping of keys"
	}
	return "a " + goType
}
