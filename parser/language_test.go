package parser

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// Paragraphs of news prose without any markup, one per language.
var languageSamples = map[string]string{
	"en": "The regulator said on Tuesday that the company had shared the location data of millions of users with advertisers without their consent, and that it would appeal the fine. The firm has until the end of the month to respond.",
	"de": "Der Stadtrat hat am Dienstag beschlossen, dass die Radwege in der Innenstadt bis 2027 ausgebaut werden. Die Kosten für den Umbau sind noch nicht bekannt, aber die Opposition kritisiert den Plan und fordert eine Bürgerbefragung.",
	"fr": "Le régulateur a annoncé mardi que la société avait partagé les données de localisation de millions d'utilisateurs avec des annonceurs sans leur consentement. Elle dispose de trois semaines pour faire appel de cette décision, selon le communiqué publié par l'autorité.",
	"es": "El regulador dijo el martes que la empresa había compartido los datos de ubicación de millones de usuarios con anunciantes sin su consentimiento, y que ya hay una investigación abierta. Según la autoridad, la sanción fue la más alta impuesta hasta ahora a una empresa del sector.",
	"it": "Il garante ha annunciato martedì che la società ha condiviso i dati di localizzazione di milioni di utenti con gli inserzionisti senza il loro consenso. Secondo l'autorità, la sanzione è la più alta mai inflitta a una società del settore e non sono previsti sconti.",
	"nl": "De toezichthouder heeft dinsdag bekendgemaakt dat het bedrijf de locatiegegevens van miljoenen gebruikers zonder toestemming met adverteerders heeft gedeeld. Het bedrijf heeft nog drie weken om bezwaar te maken tegen de boete, die volgens de toezichthouder de hoogste is die ooit werd opgelegd.",
	"pt": "O regulador disse na terça-feira que a empresa partilhou os dados de localização de milhões de utilizadores com anunciantes sem o seu consentimento. A empresa ainda pode recorrer da decisão, que é a maior multa já aplicada pela autoridade a uma empresa do setor.",
}

func TestDetectLanguage(t *testing.T) {
	for want, text := range languageSamples {
		if got, _ := detectLanguage(text); got != want {
			t.Errorf("detectLanguage(%s sample) = %q", want, got)
		}
	}
	if got, _ := detectLanguage("Short text."); got != "" {
		t.Errorf("a two-word text was detected as %q; too little to tell", got)
	}
	if got, _ := detectLanguage(strings.Repeat("Привет мир как дела сегодня ", 10)); got != "" {
		t.Errorf("Russian text was detected as %q; it is none of ours", got)
	}
}

func TestResolveLanguage(t *testing.T) {
	for _, tc := range []struct {
		declared, text, want string
	}{
		{"", languageSamples["de"], "de"},                   // no markup: detect
		{"en", languageSamples["de"], "de"},                 // template says en, text is German
		{"de", languageSamples["de"], "de"},                 // agree
		{"fr", "Too short to judge.", "fr"},                 // markup stands
		{"ja", languageSamples["en"], "en"},                 // implausible: the text is clearly English
		{"ru", "Привет мир " + languageSamples["en"], "en"}, // likewise
		{"", "Привет мир как дела сегодня у нас всё хорошо", ""},
	} {
		if got := resolveLanguage(tc.declared, tc.text); got != tc.want {
			t.Errorf("resolveLanguage(%q, %.30q) = %q, want %q", tc.declared, tc.text, got, tc.want)
		}
	}
}

// TestCountStopWordsMatchesFields checks the one-pass word count against
// the plain reading it replaced: lower-case the text, split it on all but
// letters and apostrophes, keep the first maxDetectWords words.
func TestCountStopWordsMatchesFields(t *testing.T) {
	pieces := strings.Fields("the The THE der Die le LES el It's it’s İ K \xff é ß 1 . , ' - gli Così muito há")
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var sb strings.Builder
		n := r.IntN(40)
		if r.IntN(100) == 0 { // past maxDetectWords
			n = 5000
		}
		for range n {
			sb.WriteString(pieces[r.IntN(len(pieces))])
			sb.WriteString([]string{" ", "", "\n", "'"}[r.IntN(4)])
		}
		text := sb.String()
		words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
		words = words[:min(len(words), maxDetectWords)]
		var want [8]int
		for k, lang := range stopLangs {
			for _, w := range words {
				if stopWords[lang][w] {
					want[k]++
				}
			}
		}
		if got, total := countStopWords(text); got != want || total != len(words) {
			t.Fatalf("countStopWords(%q) = %v, %d; want %v, %d", text, got, total, want, len(words))
		}
	}
}
