package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load returns the configuration: Default, then the YAML file at path (when
// path is not empty), then the environment (FromEnv with os.Getenv), then
// Validate.
//
// A missing file is an error wrapping fs.ErrNotExist. Problems found in the
// file, while decoding or validating, come back joined, one per line, each
// prefixed with path and naming the key: `newsdesk.yaml: sources[0].seeeds:
// unknown key (line 7)`, `newsdesk.yaml: sources[0].name: ...`. A bad
// environment value comes back naming the variable instead.
func Load(path string) (*Config, error) {
	c := Default()
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("reading config file: %w", err)
		}
		err = decode(f, c)
		f.Close()
		if err != nil {
			return nil, inFile(path, err)
		}
	}
	if err := FromEnv(c, os.Getenv); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		if path != "" {
			return nil, inFile(path, err)
		}
		return nil, err
	}
	return c, nil
}

// decode reads one YAML document from r over c, strictly: an unknown key is
// an error. Keys the document leaves out keep their value in c. An empty
// document (or one holding only comments) changes nothing. Type errors name
// the key, not only the line: `crawl.parallelism: "two" is not a whole
// number (line 12)`.
func decode(r io.Reader, c *Config) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return yamlError(err, data)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return errors.New("the file must hold one YAML document, found a second one")
	}
	return nil
}

// yamlError turns yaml.v3's error into one error per problem, without the
// "yaml: unmarshal errors:" header, so each line can take the file name.
// Problems yaml reports by line are rewritten to start with the key path
// found at that line of data.
func yamlError(err error, data []byte) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		keys := keyLines(data)
		errs := make([]error, len(te.Errors))
		for i, msg := range te.Errors {
			errs[i] = errors.New(keys.rewrite(msg))
		}
		return errors.Join(errs...)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
}

// inFile prefixes every joined error in err with the file name.
func inFile(path string, err error) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = fmt.Errorf("%s: %w", path, e)
	}
	return errors.Join(out...)
}
