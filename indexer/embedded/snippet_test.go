package embedded_test

import (
	"path/filepath"
	"testing"

	"newsdesk/indexer/embedded"
	"newsdesk/indexer/indexertest"
)

func TestSnippetsCutAtWordBoundaries(t *testing.T) {
	idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	indexertest.RunSnippetBoundaries(t, idx)
}
