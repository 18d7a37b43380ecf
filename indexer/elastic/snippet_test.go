package elastic

import (
	"testing"

	"newsdesk/indexer/indexertest"
)

func TestIntegrationElasticSnippetsCutAtWordBoundaries(t *testing.T) {
	indexertest.RunSnippetBoundaries(t, openTest(t, "standard"))
}
