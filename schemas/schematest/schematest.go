// Package schematest validates events against the JSON Schemas of package
// schemas, for tests anywhere in newsdesk.
package schematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"newsdesk/schemas"
)

// compiler has every schema file added under its $id, so $refs resolve
// offline.
var compiler = sync.OnceValues(func() (*jsonschema.Compiler, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	files, err := fs.Glob(schemas.FS, "*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := fs.ReadFile(schemas.FS, f)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("reading schema %s: %w", f, err)
		}
		if err := c.AddResource(schemas.BaseURL+f, doc); err != nil {
			return nil, fmt.Errorf("adding schema %s: %w", f, err)
		}
	}
	return c, nil
})

// Validate checks one event (a CloudEvents JSON envelope) against the
// schema its type names. It fails for a type without a schema.
func Validate(event []byte) error {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(event, &head); err != nil {
		return fmt.Errorf("reading event type: %w", err)
	}
	file := schemas.FileForType(head.Type)
	if _, err := fs.Stat(schemas.FS, file); file == "" || err != nil {
		return fmt.Errorf("event type %q has no schema", head.Type)
	}
	c, err := compiler()
	if err != nil {
		return err
	}
	sch, err := c.Compile(schemas.BaseURL + file)
	if err != nil {
		return fmt.Errorf("compiling schema %s of type %q: %w", file, head.Type, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(event))
	if err != nil {
		return fmt.Errorf("reading event: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("event of type %s against %s: %w", head.Type, file, err)
	}
	return nil
}
