package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

// editedAndSyndicated is a page of two hits: an edited story, and a wire
// story carried by two other outlets.
func editedAndSyndicated() news.Results {
	return news.Results{Total: 4, Hits: []news.Hit{
		{ID: "a", Title: "Harbour reopens", URL: "https://ledger.example/harbour", Source: "ledger",
			Revision: 3, Changes: []string{news.ChangeTitle, news.ChangeText},
			FirstSeen: time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC), LastUpdated: time.Date(2024, 4, 3, 9, 0, 0, 0, time.UTC)},
		{ID: "b", Title: "EU fines messaging firm", URL: "https://tribune.example/eu-fine", Source: "tribune", Revision: 1,
			Group: "g1", AlsoAt: 2, Copies: []news.Copy{
				{ID: "c", Source: "ledger", URL: "https://ledger.example/eu-fine", Title: "EU fines <messaging> firm"},
				{ID: "d", Source: "gazette", URL: "https://gazette.example/eu-fine", Title: "EU fine"}}},
	}}
}

func TestEditedAndGroupParameters(t *testing.T) {
	s := &recordingSearcher{res: editedAndSyndicated()}
	resp := get(t, New(s, nil, nil), "/api/search?q=fine&edited=true")
	if resp.StatusCode != http.StatusOK || !s.got.Edited || !s.got.Group {
		t.Fatalf("status %d, query %+v: want edited and grouped (the default)", resp.StatusCode, s.got)
	}
	var res news.Results
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	if h := res.Hits[0]; h.Revision != 3 || len(h.Changes) != 2 || h.FirstSeen.IsZero() || h.LastUpdated.IsZero() {
		t.Errorf("edited hit in JSON: %+v", h)
	}
	if h := res.Hits[1]; h.AlsoAt != 2 || len(h.Copies) != 2 || h.Copies[1].Source != "gazette" {
		t.Errorf("grouped hit in JSON: %+v", h)
	}
	get(t, New(s, nil, nil), "/api/search?q=fine&group=false")
	if s.got.Group || s.got.Edited {
		t.Errorf("group=false: query %+v", s.got)
	}
	if resp := get(t, New(s, nil, nil), "/api/search?group=maybe"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("group=maybe: status %d", resp.StatusCode)
	}
}

func TestPageShowsUpdatesAndOutlets(t *testing.T) {
	s := &recordingSearcher{res: editedAndSyndicated()}
	resp := get(t, New(s, nil, nil), "/?q=fine&edited=true")
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	for _, want := range []string{
		`<span class="badge updated" title="edited since newsdesk first saw it">updated: revision 3, title and text changed</span>`,
		`<summary>also at 2 other outlets</summary>`,
		`gazette: <a href="https://gazette.example/eu-fine" rel="noopener noreferrer">EU fine</a>`,
		`EU fines &lt;messaging&gt; firm`,
		`name="edited" value="true" checked`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Count(page, "badge updated") != 1 {
		t.Error("an unedited story has an updated badge")
	}
}

func TestEditNote(t *testing.T) {
	for _, c := range []struct {
		h    news.Hit
		want string
	}{
		{news.Hit{Revision: 1}, ""},
		{news.Hit{}, ""},
		{news.Hit{Revision: 2}, "revision 2"},
		{news.Hit{Revision: 3, Changes: []string{"text"}}, "revision 3, text changed"},
		{news.Hit{Revision: 4, Changes: []string{"title", "authors", "text"}}, "revision 4, title, authors and text changed"},
	} {
		if got := EditNote(c.h); got != c.want {
			t.Errorf("EditNote(%+v) = %q, want %q", c.h, got, c.want)
		}
	}
}
