package config

import (
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
// prefixed with path: `newsdesk.yaml: line 7: field seeeds not found in type
// config.Source`, `newsdesk.yaml: sources[0].name: ...`. A bad environment
// value comes back naming the variable instead.
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
// document (or one holding only comments) changes nothing.
func decode(r io.Reader, c *Config) error {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return errors.New("the file must hold one YAML document, found a second one")
	}
	return nil
}

// yamlError turns yaml.v3's error into one error per problem, without the
// "yaml: unmarshal errors:" header, so each line can take the file name.
func yamlError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		errs := make([]error, len(te.Errors))
		for i, msg := range te.Errors {
			errs[i] = errors.New(msg)
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
